using System.Threading.Channels;
using V3electionpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// An Observe call, as a message to the member's <see cref="ElectionServer"/>: its <see cref="LeaderObserver"/> writes
/// the leaders to <paramref name="Leaders"/> (waiting while it is full) and completes it when the observation ends;
/// <paramref name="Cancellation"/> ends the observation.
/// </summary>
internal sealed record ObserveLeaders(LeaderRequest Request, CancellationToken Cancellation, ChannelWriter<LeaderResponse> Leaders);
