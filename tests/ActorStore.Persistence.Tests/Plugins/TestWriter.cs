namespace ActorStore.Persistence.Tests.Plugins;

using Akka.Actor;
using Akka.Persistence;

/// <summary>
/// A persistent actor that stores string events and answers with what it recovered and wrote.
/// Commands: <see cref="Append"/>, <see cref="AppendAll"/>, <see cref="AppendAsync"/>, <see cref="GetEvents"/>,
/// <see cref="TakeSnapshot"/>, <see cref="DeleteEventsTo"/>.
/// </summary>
public sealed class TestWriter : UntypedPersistentActor
{
    private readonly List<string> _events = [];
    private long _snapshotAt;

    public TestWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new TestWriter(persistenceId));

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case string e:
                _events.Add(e);
                break;
            case SnapshotOffer { Snapshot: string[] state } offer:
                _events.Clear();
                _events.AddRange(state);
                _snapshotAt = offer.Metadata.SequenceNr;
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        var sender = Sender;
        switch (message)
        {
            case Append append:
                Persist(append.Event, e =>
                {
                    _events.Add(e);
                    sender.Tell(new Appended(LastSequenceNr));
                });
                break;
            case AppendAll all:
                PersistAll(all.Events, e =>
                {
                    _events.Add(e);
                    if (e == all.Events[^1])
                    {
                        sender.Tell(new Appended(LastSequenceNr));
                    }
                });
                break;
            case AppendAsync append:
                PersistAsync(append.Event, e =>
                {
                    _events.Add(e);
                    sender.Tell(new Appended(LastSequenceNr));
                });
                break;
            case GetEvents:
                sender.Tell(new Events([.. _events], LastSequenceNr, _snapshotAt));
                break;
            case TakeSnapshot:
                SaveSnapshot(_events.ToArray());
                BecomeStacked(WaitingFor<SaveSnapshotSuccess, SaveSnapshotFailure>(sender));
                break;
            case DeleteEventsTo delete:
                DeleteMessages(delete.ToSequenceNr);
                BecomeStacked(WaitingFor<DeleteMessagesSuccess, DeleteMessagesFailure>(sender));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Sender.Tell(new Rejected(sequenceNr, cause.Message));
    }

    private UntypedReceive WaitingFor<TSuccess, TFailure>(IActorRef replyTo) =>
        message =>
        {
            if (message is TSuccess or TFailure)
            {
                replyTo.Tell(message);
                UnbecomeStacked();
                Stash.UnstashAll();
            }
            else
            {
                Stash.Stash();
            }
        };

    public sealed record Append(string Event);

    public sealed record AppendAll(string[] Events);

    public sealed record AppendAsync(string Event);

    public sealed record GetEvents;

    public sealed record TakeSnapshot;

    public sealed record DeleteEventsTo(long ToSequenceNr);

    public sealed record Appended(long SequenceNr);

    public sealed record Rejected(long SequenceNr, string Reason);

    public sealed record Events(string[] Values, long LastSequenceNr, long SnapshotSequenceNr);
}
