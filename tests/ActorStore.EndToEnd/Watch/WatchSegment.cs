using Etcdserverpb;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// One watch stream's responses, from the revision it started at (as asked, or the one after the creation revision
/// when it asked for none) until it ended or was stopped.
/// </summary>
public sealed record WatchSegment(long StartRevision, IReadOnlyList<WatchResponse> Responses);
