using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Tests.Json;

/// <summary>A Watch service that answers every request at once and one last time when the client stops sending.</summary>
public sealed class EchoWatchService : Watch.WatchBase
{
    public override async Task Watch(IAsyncStreamReader<WatchRequest> requestStream, IServerStreamWriter<WatchResponse> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var request = requestStream.Current;
            await responseStream.WriteAsync(new WatchResponse
            {
                WatchId = request.CreateRequest?.StartRevision ?? -1,
                Created = request.CreateRequest is not null,
                Canceled = request.CancelRequest is not null,
            });
        }
        await responseStream.WriteAsync(new WatchResponse { CancelReason = "client done" });
    }
}
