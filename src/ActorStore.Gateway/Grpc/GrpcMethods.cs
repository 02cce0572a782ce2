using System.Runtime.CompilerServices;
using ActorStore.Protocol.Errors;
using Google.Protobuf;

namespace ActorStore.Gateway.Grpc;

internal static class GrpcMethods
{
    /// <summary>Reads the single request of a unary or server-streaming call.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<T> ReadSingleRequestAsync<T>(GrpcCallContext call, MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var request = await call.ReadMessageAsync(parser, call.CancellationToken).ConfigureAwait(false);
        return request ?? throw new RpcException(StatusCode.Internal, "grpc: the client sent no request message");
    }

    public static T EnsureResponse<T>(T? response, string method)
        where T : class
    {
        return response ?? throw new RpcException(StatusCode.Internal, $"grpc: the handler of {method} returned no response message");
    }
}
