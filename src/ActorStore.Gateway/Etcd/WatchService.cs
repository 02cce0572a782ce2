using ActorStore.Gateway.Grpc;
using ActorStore.Server;
using ActorStore.Server.Watch;
using Etcdserverpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's Watch service: one bidirectional call carries many watchers. Requests are handled in the order they
/// arrive while a second loop sends the watchers' responses; the call lasts until the client cancels it, and its
/// watchers stop with it.
/// </summary>
public static class WatchService
{
    public const string WatchMethod = "/etcdserverpb.Watch/Watch";

    public static void Register(GrpcServiceRegistry registry, EtcdMember member)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(member);
        var watches = (MemberWatches)member.Watches;
        registry.AddDuplexStreaming<WatchRequest, WatchResponse>(
            WatchMethod, WatchRequest.Parser, (requests, responses, call) =>
            {
                member.RefuseOnLearner();
                return ServeAsync(watches, requests, responses, call);
            });
    }

    private static async Task ServeAsync(
        MemberWatches watches, IAsyncStreamReader<WatchRequest> requests, IServerStreamWriter<WatchResponse> responses, GrpcCallContext call)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken);
        var stream = watches.OpenStream();
        await using (stream.ConfigureAwait(false))
        {
            var sending = SendAsync(stream, responses, ending);
            try
            {
                while (await requests.MoveNext(ending.Token).ConfigureAwait(false))
                {
                    stream.Handle(requests.Current);
                }
                // Like etcd, a client that stops sending still gets its events until it cancels the call.
                await sending.ConfigureAwait(false);
            }
            finally
            {
                await ending.CancelAsync().ConfigureAwait(false);
                try
                {
                    await sending.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The call is over either way.
                }
            }
        }
    }

    private static async Task SendAsync(WatchStream stream, IServerStreamWriter<WatchResponse> responses, CancellationTokenSource ending)
    {
        try
        {
            await foreach (var response in stream.ReadResponsesAsync(ending.Token).ConfigureAwait(false))
            {
                if (stream.HasQueuedResponses)
                {
                    responses.WriteWithoutFlush(response);
                }
                else
                {
                    await responses.WriteAsync(response, ending.Token).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // A client that stopped reading ends the call; so does a hub that stopped (member shutting down).
            await ending.CancelAsync().ConfigureAwait(false);
        }
    }
}
