using ActorStore.Client;
using Akka.Actor;
using Etcdserverpb;

namespace ActorStore.EndToEnd.AkkaClient;

/// <summary>
/// A watch subscriber: keeps every update it receives, in order, and acknowledges each at once unless told to hold
/// its acknowledgements (a slow subscriber); <see cref="Release"/> then acknowledges what it held and goes on acking.
/// </summary>
public sealed class EventCollector : ReceiveActor
{
    private readonly List<WatchResponse> _responses;
    private bool _holding;
    private int _held;
    private IActorRef _watch = ActorRefs.Nobody;

    public EventCollector(List<WatchResponse> responses, bool hold)
    {
        _responses = responses;
        _holding = hold;
        Receive<WatchUpdate>(update =>
        {
            lock (_responses)
            {
                _responses.Add(update.Response);
            }
            _watch = update.Watch;
            if (_holding)
            {
                _held++;
            }
            else
            {
                update.Watch.Tell(new WatchAck(1));
            }
        });
        Receive<Release>(_ =>
        {
            _holding = false;
            if (_held > 0)
            {
                _watch.Tell(new WatchAck(_held));
                _held = 0;
            }
        });
    }

    public sealed record Release;

    public static Props Props(List<WatchResponse> responses, bool hold = false) =>
        Akka.Actor.Props.Create(() => new EventCollector(responses, hold));
}
