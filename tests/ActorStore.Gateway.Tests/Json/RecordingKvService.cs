using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace ActorStore.Gateway.Tests.Json;

/// <summary>
/// A KV service that answers Range with what the call carried (the authorization metadata as the key) and Put with
/// an error, so that tests see what the JSON gateway sends and how it shows answers and errors.
/// </summary>
public sealed class RecordingKvService : KV.KVBase
{
    public override Task<RangeResponse> Range(RangeRequest request, ServerCallContext context)
    {
        var authorization = context.RequestHeaders.GetValue("authorization") ?? "";
        var response = new RangeResponse
        {
            Header = new ResponseHeader { ClusterId = ulong.MaxValue, Revision = 7 },
            Count = 1,
        };
        response.Kvs.Add(new KeyValue { Key = ByteString.CopyFromUtf8(authorization), Value = request.Key, ModRevision = 7, Version = 1 });
        return Task.FromResult(response);
    }

    public override Task<PutResponse> Put(PutRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.FailedPrecondition, "etcdserver: <precondition> & \"quotes\""));
}
