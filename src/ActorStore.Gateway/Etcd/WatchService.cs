using ActorStore.Server;
using ActorStore.Server.Auth;
using ActorStore.Server.Watch;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's Watch service: one bidirectional call carries many watchers. Requests are handled in the order they
/// arrive while a second loop sends the watchers' responses; the call lasts until the client cancels it (or the
/// server stops), and its watchers stop with it. With auth on, each create request is checked against the caller's
/// read permission when it arrives, and open watches are checked again whenever the auth store changes.
/// </summary>
public sealed class WatchService(EtcdMember member) : Watch.WatchBase
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    private readonly MemberWatches _watches = (MemberWatches)member.Watches;

    public override async Task Watch(
        IAsyncStreamReader<WatchRequest> requestStream, IServerStreamWriter<WatchResponse> responseStream, ServerCallContext context)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var stream = _watches.OpenStream();
        await using (stream.ConfigureAwait(false))
        {
            var sending = SendAsync(stream, responseStream, ending);
            var permissions = new OpenWatchPermissions(member.Auth, stream, () => context.CallerAsync(member), ending.Token);
            try
            {
                while (await requestStream.MoveNext(ending.Token).ConfigureAwait(false))
                {
                    var request = requestStream.Current;
                    switch (request.RequestUnionCase)
                    {
                        case WatchRequest.RequestUnionOneofCase.CreateRequest:
                            await permissions.CreateAsync(request.CreateRequest).ConfigureAwait(false);
                            break;
                        case WatchRequest.RequestUnionOneofCase.CancelRequest:
                            permissions.Forget(request.CancelRequest.WatchId);
                            stream.Handle(request);
                            break;
                        default:
                            stream.Handle(request);
                            break;
                    }
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
                // Responses already queued go out with the next one: one flush for a burst instead of one each.
                responses.WriteOptions = stream.HasQueuedResponses ? Buffered : null;

                // No token: Grpc.AspNetCore resets the stream when a write's token fires, and an ending call should
                // close with its status. A write that waits on a client that stopped reading ends when it goes away.
                await responses.WriteAsync(response).ConfigureAwait(false);
            }
        }
        finally
        {
            // A client that stopped reading ends the call; so does a hub that stopped (member shutting down).
            await ending.CancelAsync().ConfigureAwait(false);
        }
    }
}
