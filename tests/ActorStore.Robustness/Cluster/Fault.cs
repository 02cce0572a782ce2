namespace ActorStore.Robustness.Cluster;

/// <summary>The one fault a robustness run injects into a three-member cluster while the workload runs.</summary>
public enum Fault
{
    /// <summary>Nothing happens: the checks must pass on a healthy cluster first.</summary>
    None,

    /// <summary>kill -9 of the Raft leader, restarted a second later.</summary>
    KillLeader,

    /// <summary>kill -9 of a random member, restarted; then the same for another one.</summary>
    KillTwoMembersInTurn,

    /// <summary>SIGSTOP of the leader for about 4 s, then SIGCONT.</summary>
    PauseLeader,

    /// <summary>A follower cut off from the other two for about 4 s while clients keep talking to it.</summary>
    PartitionFollower,

    /// <summary>
    /// One follower cut off for about 3 s, then (healed for a moment) the other: twice the chances of a write that a
    /// cut-off follower holds when its client gives up.
    /// </summary>
    PartitionFollowersInTurn,

    /// <summary>The leader cut off from the other two for about 4 s while clients keep talking to it.</summary>
    PartitionLeader,

    /// <summary>kill -9 of all three members, restarted together a second later.</summary>
    KillAll,
}
