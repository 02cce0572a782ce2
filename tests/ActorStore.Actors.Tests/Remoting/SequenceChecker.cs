using Google.Protobuf.WellKnownTypes;

namespace ActorStore.Actors.Tests.Remoting;

/// <summary>Counts Int32Value messages, checks they arrive as 0, 1, 2, ... and reports once <c>expected</c> arrived.</summary>
internal sealed class SequenceChecker : ReceiveActor
{
    public SequenceChecker(int expected, IActorRef reportTo)
    {
        var count = 0;
        var outOfOrder = 0;
        Receive<Int32Value>(message =>
        {
            if (message.Value != count)
            {
                outOfOrder++;
            }
            count++;
            if (count == expected)
            {
                reportTo.Tell(new SequenceReport(count, outOfOrder));
            }
        });
    }
}
