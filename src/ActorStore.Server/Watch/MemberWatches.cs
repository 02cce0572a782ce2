using System.Runtime.CompilerServices;
using Akka.Actor;
using Etcdserverpb;

namespace ActorStore.Server.Watch;

/// <summary>
/// The member's watches: <see cref="OpenStream"/> for each gRPC Watch call, <see cref="WatchAsync"/> for code in the
/// process. Both use the watcher actors under the member's <see cref="WatchHub"/>.
/// </summary>
public sealed class MemberWatches : IWatchSource
{
    private readonly IActorRef _hub;

    public MemberWatches(ActorSystem system, IActorRef hub, IActorRef apply, Func<long, ResponseHeader> header, MemberOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        _hub = hub;
        hub.Tell(new WatchHubSetup(new WatchSettings(apply, header)
        {
            MaxResponseBytes = options.MaxRequestBytes + WatchSettings.GrpcOverheadBytes,
            ProgressNotifyInterval = options.WatchProgressNotifyInterval,
        }));
    }

    /// <summary>A new stream: one per Watch call.</summary>
    public WatchStream OpenStream() => new(_hub);

    public async IAsyncEnumerable<WatchResponse> WatchAsync(WatchCreateRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stream = OpenStream();
        await using (stream.ConfigureAwait(false))
        {
            stream.Handle(new WatchRequest { CreateRequest = request });
            var responses = stream.ReadResponsesAsync(ct).GetAsyncEnumerator(ct);
            await using (responses.ConfigureAwait(false))
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await responses.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        more = false;
                    }
                    if (!more)
                    {
                        yield break;
                    }
                    var response = responses.Current;
                    yield return response;
                    if (response.Canceled)
                    {
                        yield break;
                    }
                }
            }
        }
    }
}
