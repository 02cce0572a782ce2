using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// Joins the appends and append answers one Ready holds for the same member into as few messages as say the same.
/// The core sends an append for every proposal it steps and an answer for every append, so under load a Ready holds
/// dozens of each per peer; etcd's transport streams them back to back for a few microseconds each, where every
/// Akka.Remote message costs an envelope, a frame and a dispatch on both members.
/// <list type="bullet">
/// <item>Appends to one follower join when each continues the log where the previous one ended (same term, its
/// index and log term those of the previous one's last entry): the follower stores the same entries either way. The
/// joined append carries the later commit index and stays below the size limit.</item>
/// <item>Accepting answers to one leader in the same term join into the one with the highest index: the leader learns
/// no more from the lower ones. Rejections, which carry hints, travel as they are.</item>
/// </list>
/// Only messages with no other message to the same member between them join, so each member still receives what it
/// is sent in order.
/// </summary>
public static class ReplicationBatching
{
    /// <summary>
    /// <paramref name="messages"/> with joinable appends and answers joined, each joined message where its first part
    /// was; the list itself when nothing joins. Messages of <paramref name="messages"/> are never changed.
    /// </summary>
    public static IReadOnlyList<Message> Coalesce(IReadOnlyList<Message> messages, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!HasJoinablePair(messages))
        {
            return messages;
        }

        var result = new List<Message>(messages.Count);
        var lastTo = new Dictionary<ulong, int>();
        // The size of each append already joined, by its place in the result; the others are still the Ready's own.
        var joinedBytes = new Dictionary<int, int>();
        foreach (var message in messages)
        {
            if (lastTo.TryGetValue(message.To, out var at) && Join(result, at, message, maxBytes, joinedBytes))
            {
                continue;
            }
            lastTo[message.To] = result.Count;
            result.Add(message);
        }
        return result;
    }

    private static bool Join(List<Message> result, int at, Message next, int maxBytes, Dictionary<int, int> joinedBytes)
    {
        var previous = result[at];
        if (previous.Type != next.Type || previous.Term != next.Term || previous.From != next.From
            || !previous.Context.IsEmpty || !next.Context.IsEmpty)
        {
            return false;
        }
        switch (next.Type)
        {
            case MessageType.MsgAppResp when !previous.Reject && !next.Reject:
                if (next.Index > previous.Index)
                {
                    result[at] = next;
                }
                return true;
            case MessageType.MsgApp when Continues(previous, next):
                var alreadyJoined = joinedBytes.TryGetValue(at, out var size);
                if (!alreadyJoined)
                {
                    size = previous.CalculateSize();
                }
                var added = 0;
                foreach (var entry in next.Entries)
                {
                    added += entry.CalculateSize() + 3; // the entry's tag and length
                }
                if (size + added > maxBytes)
                {
                    return false;
                }
                // The first join copies: the messages of a Ready are shared with the core.
                var append = alreadyJoined ? previous : CopyOf(previous);
                append.Entries.AddRange(next.Entries);
                append.Commit = Math.Max(append.Commit, next.Commit);
                result[at] = append;
                joinedBytes[at] = size + added;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether <paramref name="next"/> appends right after the last entry <paramref name="previous"/> sends.</summary>
    private static bool Continues(Message previous, Message next)
    {
        var count = previous.Entries.Count;
        var lastIndex = previous.Index + (ulong)count;
        var lastTerm = count > 0 ? previous.Entries[count - 1].Term : previous.LogTerm;
        return next.Index == lastIndex && next.LogTerm == lastTerm && next.Snapshot is null && previous.Snapshot is null;
    }

    private static Message CopyOf(Message append)
    {
        var copy = new Message
        {
            Type = append.Type,
            To = append.To,
            From = append.From,
            Term = append.Term,
            LogTerm = append.LogTerm,
            Index = append.Index,
            Commit = append.Commit,
        };
        copy.Entries.AddRange(append.Entries);
        return copy;
    }

    private static bool HasJoinablePair(IReadOnlyList<Message> messages)
    {
        for (var i = 1; i < messages.Count; i++)
        {
            var type = messages[i].Type;
            if (type is not (MessageType.MsgApp or MessageType.MsgAppResp))
            {
                continue;
            }
            for (var j = i - 1; j >= 0; j--)
            {
                if (messages[j].To == messages[i].To)
                {
                    if (messages[j].Type == type)
                    {
                        return true;
                    }
                    break;
                }
            }
        }
        return false;
    }
}
