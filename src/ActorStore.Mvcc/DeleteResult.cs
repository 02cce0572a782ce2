namespace ActorStore.Mvcc;

/// <summary>How many keys a delete removed and the revision a response reports for it.</summary>
public readonly record struct DeleteResult(long Deleted, long Revision);
