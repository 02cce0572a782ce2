using ActorStore.Server.Membership;

namespace ActorStore.Server.Log;

/// <summary>Persistence ids under which a member keeps its log, snapshots and identity.</summary>
public static class LogNames
{
    /// <summary>The member's identity (name, ids, URLs): written once when the member is bootstrapped.</summary>
    public const string MemberPersistenceId = "member";

    /// <summary>Log entries use this id with sequence number = log index, as Raft entries will.</summary>
    public static string LogPersistenceId(ulong memberId) => "raft-" + MemberIdentity.FormatId(memberId);
}
