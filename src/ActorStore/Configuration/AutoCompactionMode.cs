namespace ActorStore.Configuration;

/// <summary>How --auto-compaction-retention is read: a duration (periodic) or a number of revisions.</summary>
public enum AutoCompactionMode
{
    Periodic,
    Revision,
}
