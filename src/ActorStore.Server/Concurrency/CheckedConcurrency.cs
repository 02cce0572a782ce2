using ActorStore.Server.Auth;
using Google.Protobuf;
using V3electionpb;
using V3lockpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// etcd's v3lock and v3election calls as a client makes them (the gRPC services, the client sessions of Akka.NET
/// programs): a learner refuses them, and with auth on the caller must be able to read a lock's or election's keys,
/// and write them to lock, unlock, campaign, proclaim or resign. The caller is resolved only when auth is on, so that
/// a stale token does not break a call etcd would serve.
/// </summary>
public sealed class CheckedConcurrency(EtcdMember member)
{
    public Task<LockResponse> LockAsync(LockRequest request, Func<Task<AuthInfo?>> caller, CancellationToken ct) =>
        ThenAsync(CheckContendersAsync(caller, request.Name, write: true, ct), () => member.Concurrency.LockAsync(request, ct));

    public Task<UnlockResponse> UnlockAsync(UnlockRequest request, Func<Task<AuthInfo?>> caller, CancellationToken ct) =>
        ThenAsync(CheckKeyAsync(caller, request.Key, read: false, ct), () => member.Concurrency.UnlockAsync(request, ct));

    public Task<CampaignResponse> CampaignAsync(CampaignRequest request, Func<Task<AuthInfo?>> caller, CancellationToken ct) =>
        ThenAsync(CheckContendersAsync(caller, request.Name, write: true, ct), () => member.Concurrency.CampaignAsync(request, ct));

    public Task<ProclaimResponse> ProclaimAsync(ProclaimRequest request, Func<Task<AuthInfo?>> caller, CancellationToken ct) =>
        ThenAsync(CheckKeyAsync(caller, request.Leader?.Key ?? ByteString.Empty, read: true, ct), () => member.Concurrency.ProclaimAsync(request, ct));

    public Task<LeaderResponse> LeaderAsync(LeaderRequest request, Func<Task<AuthInfo?>> caller, CancellationToken ct) =>
        ThenAsync(CheckContendersAsync(caller, request.Name, write: false, ct), () => member.Concurrency.LeaderAsync(request, ct));

    /// <summary>Checks the caller may read the election, then its leaders as <see cref="MemberConcurrency.ObserveAsync"/> gives them.</summary>
    public Task<IAsyncEnumerable<LeaderResponse>> ObserveAsync(LeaderRequest request, Func<Task<AuthInfo?>> caller, CancellationToken ct) =>
        ThenAsync(CheckContendersAsync(caller, request.Name, write: false, ct), () => Task.FromResult(member.Concurrency.ObserveAsync(request, ct)));

    public Task<ResignResponse> ResignAsync(ResignRequest request, Func<Task<AuthInfo?>> caller, CancellationToken ct) =>
        ThenAsync(CheckKeyAsync(caller, request.Leader?.Key ?? ByteString.Empty, read: false, ct), () => member.Concurrency.ResignAsync(request, ct));

    /// <summary>The call, once its check has passed.</summary>
    private static async Task<T> ThenAsync<T>(Task check, Func<Task<T>> call)
    {
        await check.ConfigureAwait(false);
        return await call().ConfigureAwait(false);
    }

    private async Task CheckContendersAsync(Func<Task<AuthInfo?>> caller, ByteString name, bool write, CancellationToken ct)
    {
        member.RefuseOnLearner();
        if (member.Auth.State.Enabled)
        {
            await member.Auth.CheckContendersAsync(await caller().ConfigureAwait(false), name, write, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One contender's own key, always written; read too when <paramref name="read"/>.</summary>
    private async Task CheckKeyAsync(Func<Task<AuthInfo?>> caller, ByteString key, bool read, CancellationToken ct)
    {
        member.RefuseOnLearner();
        if (member.Auth.State.Enabled)
        {
            await member.Auth.CheckKeysAsync(await caller().ConfigureAwait(false), key, ByteString.Empty, read, write: true, ct).ConfigureAwait(false);
        }
    }
}
