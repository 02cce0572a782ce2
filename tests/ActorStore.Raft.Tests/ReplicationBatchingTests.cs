using ActorStore.Raft.Shell;
using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft.Tests;

public class ReplicationBatchingTests
{
    private const int Unbounded = int.MaxValue;

    [Fact]
    public void AppendsThatContinueEachOtherTravelAsOneWithTheLaterCommitIndex()
    {
        var messages = new[]
        {
            Append(to: 2, index: 10, logTerm: 3, commit: 9, entries: [(11, 3), (12, 4)]),
            Append(to: 3, index: 10, logTerm: 3, commit: 9, entries: [(11, 3)]),
            Append(to: 2, index: 12, logTerm: 4, commit: 11, entries: [(13, 4)]),
            Append(to: 2, index: 13, logTerm: 4, commit: 12, entries: []),
        };

        var sent = ReplicationBatching.Coalesce(messages, Unbounded);

        Assert.Equal(2, sent.Count);
        Assert.Equal(2ul, sent[0].To);
        Assert.Equal(10ul, sent[0].Index);
        Assert.Equal(3ul, sent[0].LogTerm);
        Assert.Equal(12ul, sent[0].Commit);
        Assert.Equal([11ul, 12ul, 13ul], sent[0].Entries.Select(entry => entry.Index));
        Assert.Same(messages[1], sent[1]);
        // The Ready's own messages are shared with the core: left as they were.
        Assert.Equal(2, messages[0].Entries.Count);
        Assert.Equal(9ul, messages[0].Commit);
    }

    [Fact]
    public void AppendsThatDoNotContinueEachOtherTravelApart()
    {
        var messages = new[]
        {
            Append(to: 2, index: 10, logTerm: 3, commit: 9, entries: [(11, 3)]),
            Append(to: 2, index: 10, logTerm: 3, commit: 9, entries: [(11, 3)]), // a resend from the same place
            Append(to: 2, index: 11, logTerm: 2, commit: 9, entries: [(12, 3)]), // another log term at 11
        };

        var sent = ReplicationBatching.Coalesce(messages, Unbounded);

        Assert.Equal(messages, sent);
    }

    [Fact]
    public void AnotherMessageToTheSameMemberKeepsTheAppendsAroundItApart()
    {
        var messages = new[]
        {
            Append(to: 2, index: 10, logTerm: 3, commit: 9, entries: [(11, 3)]),
            new Message { Type = MessageType.MsgHeartbeat, To = 2, From = 1, Term = 3, Commit = 9 },
            Append(to: 2, index: 11, logTerm: 3, commit: 10, entries: [(12, 3)]),
        };

        Assert.Equal(messages, ReplicationBatching.Coalesce(messages, Unbounded));
    }

    [Fact]
    public void AJoinedAppendStaysBelowTheSizeLimit()
    {
        var messages = new[]
        {
            Append(to: 2, index: 10, logTerm: 3, commit: 9, entries: [(11, 3)], bytes: 600),
            Append(to: 2, index: 11, logTerm: 3, commit: 9, entries: [(12, 3)], bytes: 600),
            Append(to: 2, index: 12, logTerm: 3, commit: 9, entries: [(13, 3)], bytes: 600),
        };

        var sent = ReplicationBatching.Coalesce(messages, maxBytes: 1000);

        Assert.Equal(3, sent.Count);
        Assert.Equal(2, ReplicationBatching.Coalesce(messages, maxBytes: 1400).Count);
    }

    [Fact]
    public void AcceptingAnswersToTheLeaderTravelAsTheHighestOne()
    {
        var messages = new[]
        {
            Answer(index: 11),
            Answer(index: 14),
            Answer(index: 13),
            new Message { Type = MessageType.MsgAppResp, To = 1, From = 2, Term = 3, Index = 15, Reject = true, RejectHint = 12 },
            Answer(index: 16),
        };

        var sent = ReplicationBatching.Coalesce(messages, Unbounded);

        Assert.Equal(3, sent.Count);
        Assert.Same(messages[1], sent[0]);
        Assert.Same(messages[3], sent[1]);
        Assert.Same(messages[4], sent[2]);
    }

    [Fact]
    public void AnswersFromAnotherTermTravelApart()
    {
        var messages = new[] { Answer(index: 11), Answer(index: 12, term: 4) };

        Assert.Equal(messages, ReplicationBatching.Coalesce(messages, Unbounded));
    }

    [Fact]
    public void NothingToJoinReturnsTheSameList()
    {
        var messages = new[] { Answer(index: 11), Append(to: 3, index: 1, logTerm: 1, commit: 1, entries: []) };

        Assert.Same(messages, ReplicationBatching.Coalesce(messages, Unbounded));
    }

    private static Message Append(ulong to, ulong index, ulong logTerm, ulong commit, (ulong Index, ulong Term)[] entries, int bytes = 1)
    {
        var message = new Message { Type = MessageType.MsgApp, To = to, From = 1, Term = 4, Index = index, LogTerm = logTerm, Commit = commit };
        message.Entries.AddRange(entries.Select(entry =>
            new Entry { Index = entry.Index, Term = entry.Term, Data = ByteString.CopyFrom(new byte[bytes]) }));
        return message;
    }

    private static Message Answer(ulong index, ulong term = 3) =>
        new() { Type = MessageType.MsgAppResp, To = 1, From = 2, Term = term, Index = index };
}
