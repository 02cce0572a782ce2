using Etcdserverpb;

namespace ActorStore.Server.Corruption;

/// <summary>One member's HashKV answer to a corruption check; null when it did not answer or could not hash there.</summary>
public sealed record PeerHashKV(ulong MemberId, string Address, HashKVResponse? Response);
