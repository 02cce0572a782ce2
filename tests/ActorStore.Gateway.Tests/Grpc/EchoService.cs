using ActorStore.Gateway.Tests.Grpc.Services;
using ActorStore.Protocol.Errors;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ProjectRpcException = ActorStore.Protocol.Errors.RpcException;
using ProjectStatusCode = ActorStore.Protocol.Errors.StatusCode;

namespace ActorStore.Gateway.Tests.Grpc;

/// <summary>test.Echo: answers, fails, hangs and streams as the request asks; Later is left to the generated base.</summary>
public sealed class EchoService(GrpcTestServer server) : Echo.EchoBase
{
    public override async Task<StringValue> Unary(StringValue request, ServerCallContext context)
    {
        switch (request.Value)
        {
            case "fail":
                throw EtcdErrors.LeaseNotFound;
            case "unicode":
                throw new ProjectRpcException(ProjectStatusCode.FailedPrecondition, "caf\u00e9 100% r\u00e9ussi\nligne 2");
            case "boom":
                throw new InvalidOperationException("kaboom");
            case "token":
                return new StringValue { Value = context.RequestHeaders.GetValue("token") ?? "<none>" };
            case "metadata":
                await context.WriteResponseHeadersAsync(new Metadata { { "x-header", "h" } });
                context.ResponseTrailers.Add("x-trailer", "t");
                return new StringValue { Value = "with metadata" };
            case "deadline":
                return new StringValue { Value = context.Deadline == DateTime.MaxValue ? "<none>" : context.Deadline.ToString("O") };
            default:
                return new StringValue { Value = "echo:" + request.Value };
        }
    }

    public override async Task<StringValue> Hang(StringValue request, ServerCallContext context)
    {
        var observed = server.HangOutcome(request.Value);
        server.HangStart(request.Value).TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            observed.TrySetResult(false);
            return request;
        }
        catch (OperationCanceledException)
        {
            observed.TrySetResult(true);
            throw;
        }
    }

    /// <summary>Like Hang, but answers only a while after its token fired, so that a client's own deadline decides first.</summary>
    public override async Task<StringValue> HangThenLinger(StringValue request, ServerCallContext context)
    {
        try
        {
            return await Hang(request, context);
        }
        catch (OperationCanceledException)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            throw;
        }
    }

    public override async Task Count(Int32Value request, IServerStreamWriter<Int32Value> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < request.Value; i++)
        {
            await responseStream.WriteAsync(new Int32Value { Value = i });
        }
    }

    public override async Task<Int32Value> Sum(IAsyncStreamReader<Int32Value> requestStream, ServerCallContext context)
    {
        var sum = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            sum += request.Value;
        }

        return new Int32Value { Value = sum };
    }

    public override async Task Chat(IAsyncStreamReader<StringValue> requestStream, IServerStreamWriter<StringValue> responseStream, ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (request.Value == "stop")
            {
                throw new ProjectRpcException(ProjectStatusCode.Aborted, "stopped on request");
            }

            await responseStream.WriteAsync(new StringValue { Value = "re:" + request.Value });
        }
    }
}

/// <summary>test.Declared: Built has a handler, Pending is left to the generated base.</summary>
public sealed class DeclaredService : Declared.DeclaredBase
{
    public override Task<Empty> Built(Empty request, ServerCallContext context) => Task.FromResult(new Empty());
}
