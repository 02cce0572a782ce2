namespace ActorStore.EndToEnd.Cluster;

/// <summary>A put the cluster answered with success: the key must hold the value at this revision from then on.</summary>
public sealed record AcknowledgedWrite(string Key, string Value, long Revision, string Endpoint, TimeSpan SentAt, TimeSpan AckedAt);
