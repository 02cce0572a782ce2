namespace ActorStore.Server.Apply;

/// <summary>A joining member learned its member id and cluster id: response headers carry them from now on.</summary>
public sealed record IdentityLearned(ulong ClusterId, ulong MemberId);
