using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// Joins the proposals a follower forwards to its leader in one Ready into as few messages as it can: under load a
/// Ready holds one MsgProp per client request, and each message costs a send, a frame and a receive on both members,
/// while the leader appends a MsgProp's entries as one batch either way. Proposals are joined only when their
/// deadlines lie within <see cref="MaxDeadlineSpread"/> of each other: the joined message carries the earliest of
/// them, so the leader never commits one that arrived after its deadline, and drops with it only proposals whose own
/// deadlines were at most that much later. Membership changes travel alone, as they were proposed.
/// </summary>
public static class ProposalForwarding
{
    /// <summary>How far apart the deadlines of proposals sent in one message may be.</summary>
    public static readonly TimeSpan MaxDeadlineSpread = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// <paramref name="messages"/> with joinable MsgProps to the same member joined, each joined message where its
    /// first part was; the list itself when nothing joins. A joined message stays below <paramref name="maxBytes"/>.
    /// </summary>
    public static IReadOnlyList<Message> Coalesce(IReadOnlyList<Message> messages, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!HasJoinablePair(messages))
        {
            return messages;
        }

        var result = new List<Message>(messages.Count);
        Message? open = null;
        DateTimeOffset earliest = default, latest = default;
        var openBytes = 0;
        foreach (var message in messages)
        {
            if (!IsJoinable(message, out var deadline))
            {
                result.Add(message);
                continue;
            }
            var bytes = message.CalculateSize();
            var joinedEarliest = deadline < earliest ? deadline : earliest;
            var joinedLatest = deadline > latest ? deadline : latest;
            if (open is not null && open.To == message.To && openBytes + bytes <= maxBytes
                && joinedLatest - joinedEarliest <= MaxDeadlineSpread)
            {
                open.Entries.AddRange(message.Entries);
                openBytes += bytes;
                if (deadline < earliest)
                {
                    open.Context = message.Context;
                }
                earliest = joinedEarliest;
                latest = joinedLatest;
                continue;
            }
            // A copy: the message may be shared with the core, and joining changes it.
            open = message.Clone();
            earliest = latest = deadline;
            openBytes = bytes;
            result.Add(open);
        }
        return result;
    }

    private static bool HasJoinablePair(IReadOnlyList<Message> messages)
    {
        var seen = 0;
        foreach (var message in messages)
        {
            if (IsJoinable(message, out _) && ++seen == 2)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsJoinable(Message message, out DateTimeOffset deadline)
    {
        deadline = default;
        if (message.Type != MessageType.MsgProp || !ProposalDeadline.TryDecode(message.Context, out deadline))
        {
            return false;
        }
        foreach (var entry in message.Entries)
        {
            if (entry.Type != EntryType.EntryNormal)
            {
                return false;
            }
        }
        return true;
    }
}
