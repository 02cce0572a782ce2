namespace ActorStore.Server.V2;

/// <summary>
/// What a v2 operation did (etcd's Event): the action (get, set, create, update, compareAndSwap, delete,
/// compareAndDelete, expire), the node after it and the node before it. <see cref="EtcdIndex"/> is the store's index
/// when the answer was made; a refresh is kept in the history but wakes no watcher.
/// </summary>
public sealed record V2Event(string Action, V2NodeView Node, V2NodeView? PrevNode, ulong EtcdIndex, bool Refresh = false)
{
    /// <summary>The index a watcher compares with its waitIndex: the node's modified index.</summary>
    public ulong Index => Node.ModifiedIndex;

    /// <summary>A create, or a set of a key that did not exist, answers 201 Created.</summary>
    public bool IsCreated => Action == V2Actions.Create || (Action == V2Actions.Set && PrevNode is null);
}
