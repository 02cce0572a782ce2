using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Quota;

/// <summary>
/// etcd's quota check in front of writes: a write that does not fit raises NOSPACE for this member through the
/// log and is refused with "database space exceeded" (writes already in the log are refused by the apply actor once
/// the alarm is applied).
/// </summary>
internal sealed class QuotaAlarmer
{
    private readonly EtcdMember _member;
    private readonly BackendQuota _quota;
    private readonly ILogger _logger;

    public QuotaAlarmer(EtcdMember member, BackendQuota quota, long configuredBytes, ILogger logger)
    {
        _member = member;
        _quota = quota;
        _logger = logger;
        // etcd's start-up lines for the quota, by how it was configured.
        if (configuredBytes < 0)
        {
            _logger.LogInformation("disabled backend quota {quota-name} {quota-size-bytes}", "kv", configuredBytes);
        }
        else if (configuredBytes == 0)
        {
            _logger.LogInformation("enabled backend quota with default value {quota-name} {quota-size-bytes}", "kv", _quota.QuotaBytes);
        }
        else
        {
            _logger.LogInformation("enabled backend quota {quota-name} {quota-size-bytes}", "kv", _quota.QuotaBytes);
        }
    }

    public async Task CheckAsync(long cost, CancellationToken ct)
    {
        if (_quota.Fits(cost))
        {
            return;
        }
        var raise = new AlarmRequest
        {
            Action = AlarmRequest.Types.AlarmAction.Activate,
            MemberID = _member.Identity.MemberId,
            Alarm = AlarmType.Nospace,
        };
        try
        {
            await _member.ProposeAsync<AlarmResponse>(new InternalRaftRequest { Alarm = raise }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or TimeoutException)
        {
            // etcd ignores a failed alarm proposal too: the write is refused either way, the next one tries again.
            _logger.LogWarning("failed to raise the NOSPACE alarm: {error}", e.Message);
        }
        throw EtcdErrors.NoSpace;
    }
}
