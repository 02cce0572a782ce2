using ActorStore.Server.Membership;
using ActorStore.Server.Peers;
using Akka.Actor;
using Etcdserverpb;
using Microsoft.Extensions.Logging;
using Peerpb;

namespace ActorStore.Server.Corruption;

/// <summary>
/// Asks every other member for its HashKV at a revision over the peer transport, as etcd asks over its peer URLs;
/// a member that does not answer in time is listed without a response.
/// </summary>
internal static class PeerHashKVs
{
    public static async Task<IReadOnlyList<PeerHashKV>> AskAsync(
        ActorSystem system, PeerIdentity self, IReadOnlyDictionary<ulong, string> addresses, long revision, TimeSpan timeout,
        ILogger logger, CancellationToken ct)
    {
        var asks = addresses
            .Where(peer => peer.Key != self.MemberId)
            .Select(async peer =>
            {
                var question = new PeerEnvelope
                {
                    ClusterId = self.ClusterId,
                    MemberId = self.MemberId,
                    HashKv = new HashKVRequest { Revision = revision },
                };
                try
                {
                    var answer = await PeerRefs.Gate(system, peer.Value).Ask<HashKVResponse>(question, timeout, ct).ConfigureAwait(false);
                    return new PeerHashKV(peer.Key, peer.Value, answer.Header is null ? null : answer);
                }
                catch (Exception e) when (e is AskTimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    logger.LogWarning("failed hash kv request {local-member-id} {requested-revision} {remote-peer-endpoint} {error}",
                        MemberIdentity.FormatId(self.MemberId), revision, peer.Value, e.Message);
                    return new PeerHashKV(peer.Key, peer.Value, null);
                }
            });
        return await Task.WhenAll(asks).ConfigureAwait(false);
    }
}
