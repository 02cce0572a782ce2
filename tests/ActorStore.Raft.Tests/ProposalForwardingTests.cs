using ActorStore.Raft.Shell;
using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft.Tests;

public class ProposalForwardingTests
{
    private static readonly DateTimeOffset Deadline = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
    private const int Unbounded = int.MaxValue;

    [Fact]
    public void ProposalsToTheLeaderTravelAsOneMessageWithTheEarliestDeadline()
    {
        var messages = new[]
        {
            Proposal(to: 2, "a", Deadline.AddMilliseconds(30)),
            Proposal(to: 2, "b", Deadline),
            new Message { Type = MessageType.MsgAppResp, To = 2, Index = 7 },
            Proposal(to: 2, "c", Deadline.AddMilliseconds(50)),
        };

        var sent = ProposalForwarding.Coalesce(messages, Unbounded);

        Assert.Equal(2, sent.Count);
        Assert.Equal(MessageType.MsgProp, sent[0].Type);
        Assert.Equal(["a", "b", "c"], sent[0].Entries.Select(e => e.Data.ToStringUtf8()));
        Assert.True(ProposalDeadline.TryDecode(sent[0].Context, out var deadline));
        Assert.Equal(Deadline, deadline);
        Assert.Same(messages[2], sent[1]);
        Assert.Single(messages[0].Entries);
    }

    [Fact]
    public void ProposalsWhoseDeadlinesLieFarApartTravelApart()
    {
        var late = Deadline + ProposalForwarding.MaxDeadlineSpread + TimeSpan.FromMilliseconds(1);
        var messages = new[] { Proposal(2, "a", Deadline), Proposal(2, "b", late) };

        var sent = ProposalForwarding.Coalesce(messages, Unbounded);

        Assert.Equal(2, sent.Count);
    }

    [Fact]
    public void TheSpreadCountsFromTheEarliestToTheLatestDeadlineOfTheWholeMessage()
    {
        var spread = ProposalForwarding.MaxDeadlineSpread;
        var messages = new[] { Proposal(2, "a", Deadline), Proposal(2, "b", Deadline - spread), Proposal(2, "c", Deadline + spread) };

        var sent = ProposalForwarding.Coalesce(messages, Unbounded);

        Assert.Equal(["a", "b"], sent[0].Entries.Select(e => e.Data.ToStringUtf8()));
        Assert.Equal(["c"], sent[1].Entries.Select(e => e.Data.ToStringUtf8()));
    }

    [Fact]
    public void MembershipChangesAndProposalsWithoutDeadlineAreNotJoined()
    {
        var change = Proposal(2, "x", Deadline);
        change.Entries[0].Type = EntryType.EntryConfChange;
        var noDeadline = Proposal(2, "y", Deadline);
        noDeadline.Context = ByteString.Empty;
        var messages = new[] { change, Proposal(2, "a", Deadline), noDeadline };

        var sent = ProposalForwarding.Coalesce(messages, Unbounded);

        Assert.Same(messages, sent);
    }

    [Fact]
    public void AJoinedMessageStaysBelowTheSizeLimit()
    {
        var messages = Enumerable.Range(0, 10).Select(i => Proposal(2, new string('v', 100), Deadline)).ToArray();
        var limit = messages[0].CalculateSize() * 4;

        var sent = ProposalForwarding.Coalesce(messages, limit);

        Assert.Equal([4, 4, 2], sent.Select(m => m.Entries.Count));
        Assert.All(sent, m => Assert.True(m.CalculateSize() <= limit));
    }

    private static Message Proposal(ulong to, string data, DateTimeOffset deadline)
    {
        var message = new Message { Type = MessageType.MsgProp, From = 1, To = to, Context = ProposalDeadline.Encode(deadline) };
        message.Entries.Add(new Entry { Type = EntryType.EntryNormal, Data = ByteString.CopyFromUtf8(data) });
        return message;
    }
}
