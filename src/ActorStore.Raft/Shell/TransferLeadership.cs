namespace ActorStore.Raft.Shell;

/// <summary>Asks the leader (directly or through this member) to hand leadership to <paramref name="Transferee"/>.</summary>
public sealed record TransferLeadership(ulong Transferee);
