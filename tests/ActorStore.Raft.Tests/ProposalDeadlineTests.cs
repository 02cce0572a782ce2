using ActorStore.Raft.Shell;

namespace ActorStore.Raft.Tests;

public class ProposalDeadlineTests
{
    private static readonly DateTimeOffset Deadline = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DeadlineRoundTripsThroughTheContext()
    {
        Assert.True(ProposalDeadline.TryDecode(ProposalDeadline.Encode(Deadline), out var decoded));
        Assert.Equal(Deadline, decoded);
    }

    [Fact]
    public void ProposalIsRefusedOnlyOnceItsDeadlinePassed()
    {
        var context = ProposalDeadline.Encode(Deadline);

        Assert.False(ProposalDeadline.HasPassed(context, Deadline.AddMilliseconds(-1), out _));
        Assert.True(ProposalDeadline.HasPassed(context, Deadline, out var onTime));
        Assert.Equal(TimeSpan.Zero, onTime);
        Assert.True(ProposalDeadline.HasPassed(context, Deadline.AddSeconds(3), out var late));
        Assert.Equal(TimeSpan.FromSeconds(3), late);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    public void ContextOfAnotherLengthIsNoDeadline(int length)
    {
        var context = Google.Protobuf.ByteString.CopyFrom(new byte[length]);

        Assert.False(ProposalDeadline.TryDecode(context, out _));
        Assert.False(ProposalDeadline.HasPassed(context, DateTimeOffset.MaxValue, out _));
    }

    [Fact]
    public void LinkIsKnownDownOnlyBetweenAFailureAndTheNextHandshake()
    {
        var links = new PeerLinks();
        links.Reset([2, 3]);
        Assert.False(links.IsKnownDown(2));
        Assert.True(links.Snapshot()[2].IsConnectedSince(Deadline));

        Assert.False(links.Up(2));
        Assert.True(links.Down(2, Deadline));
        Assert.True(links.IsKnownDown(2));
        Assert.False(links.Snapshot()[2].IsConnectedSince(Deadline.AddSeconds(-1)));

        Assert.True(links.Up(2));
        Assert.False(links.IsKnownDown(2));
        // Up again, but a request made before the failure was exposed to it.
        Assert.False(links.Snapshot()[2].IsConnectedSince(Deadline.AddSeconds(-1)));
        Assert.True(links.Snapshot()[2].IsConnectedSince(Deadline.AddSeconds(1)));

        Assert.False(links.Down(9, Deadline));
        links.Reset([3]);
        Assert.False(links.Snapshot().ContainsKey(2));
    }
}
