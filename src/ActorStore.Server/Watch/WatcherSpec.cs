namespace ActorStore.Server.Watch;

/// <summary>One watcher as its create request asked for it, after validation.</summary>
internal sealed record WatcherSpec(
    long WatchId,
    WatchKeyRange Range,
    long StartRevision,
    bool PrevKv,
    bool NoPut,
    bool NoDelete,
    bool Fragment,
    bool ProgressNotify)
{
    public bool HasFilters => NoPut || NoDelete;

    public bool Passes(Mvccpb.Event evt) =>
        evt.Type == Mvccpb.Event.Types.EventType.Put ? !NoPut : !NoDelete;
}
