using System.Globalization;
using System.Text.RegularExpressions;
using ActorStore.Protocol;
using Etcdserverpb;
using Google.Protobuf;
using V3electionpb;
using V3lockpb;

namespace ActorStore.EndToEnd.AkkaClient;

/// <summary>
/// One run of every request kind the Akka.NET client takes (KV, txn, compaction, leases, lock, election, and etcd's
/// errors for bad ones) on a prefix it empties first, through a caller given as a function: the gRPC API or actor
/// messages. The transcript tells revisions relative to the run's start and leases by the order they appeared, so two
/// runs one after the other on the same cluster give the same transcript when both ways answer alike.
/// </summary>
public static partial class RequestScenario
{
    public const string Prefix = "akka/cmp/";

    /// <summary>A response or etcd's error (gRPC status number and message).</summary>
    public sealed record Answer(IMessage? Response, int Code = 0, string Error = "");

    public static async Task<List<string>> RunAsync(Func<IMessage, Task<Answer>> call)
    {
        var transcript = new List<string>();
        var cleared = await call(new DeleteRangeRequest { Key = B(Prefix), RangeEnd = B(RangeEnd(Prefix)) });
        var start = ((IResponseWithHeader)(cleared.Response ?? throw new InvalidOperationException("clearing failed: " + cleared.Error))).Header.Revision;
        var leases = new Dictionary<string, string>();

        async Task<Answer> Step(string name, IMessage request)
        {
            var answer = await call(request);
            transcript.Add($"{name}: {Describe(answer, start, leases)}");
            return answer;
        }

        await Step("put a", new PutRequest { Key = B(Prefix + "a"), Value = B("1") });
        await Step("put a again", new PutRequest { Key = B(Prefix + "a"), Value = B("2"), PrevKv = true });
        await Step("range a", new RangeRequest { Key = B(Prefix + "a") });
        await Step("range prefix keys only", new RangeRequest { Key = B(Prefix), RangeEnd = B(RangeEnd(Prefix)), KeysOnly = true, SortOrder = RangeRequest.Types.SortOrder.Descend, SortTarget = RangeRequest.Types.SortTarget.Key });
        await Step("range prefix count only", new RangeRequest { Key = B(Prefix), RangeEnd = B(RangeEnd(Prefix)), CountOnly = true });
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = B(Prefix + "a"), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = B("2") });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = B(Prefix + "b"), Value = B("x") } });
        txn.Success.Add(new RequestOp { RequestRange = new RangeRequest { Key = B(Prefix + "a") } });
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B(Prefix + "c") } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = B(Prefix + "b") } });
        await Step("txn success", txn);
        var failing = new TxnRequest();
        failing.Compare.Add(new Compare { Key = B(Prefix + "a"), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Greater, Version = 10 });
        failing.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = B(Prefix), RangeEnd = B(RangeEnd(Prefix)) } });
        await Step("txn failure", failing);
        await Step("delete b", new DeleteRangeRequest { Key = B(Prefix + "b"), PrevKv = true });

        var grant = await Step("lease grant", new LeaseGrantRequest { TTL = 60 });
        var lease = ((LeaseGrantResponse)grant.Response!).ID;
        await Step("put with lease", new PutRequest { Key = B(Prefix + "l"), Value = B("v"), Lease = lease });
        await Step("lease time to live", new LeaseTimeToLiveRequest { ID = lease, Keys = true });
        await Step("lease keep-alive", new LeaseKeepAliveRequest { ID = lease });

        var lockName = Prefix + "lock";
        var locked = await Step("lock", new LockRequest { Name = B(lockName), Lease = lease });
        var lockKey = ((LockResponse)locked.Response!).Key;
        transcript.Add("lock key is name/lease: " + (lockKey == B($"{lockName}/{lease:x}")));
        await Step("unlock", new UnlockRequest { Key = lockKey });

        var electionName = Prefix + "election";
        var campaign = await Step("campaign", new CampaignRequest { Name = B(electionName), Lease = lease, Value = B("v1") });
        var leader = ((CampaignResponse)campaign.Response!).Leader;
        await Step("proclaim", new ProclaimRequest { Leader = leader, Value = B("v2") });
        await Step("leader", new LeaderRequest { Name = B(electionName) });
        await Step("resign", new ResignRequest { Leader = leader });
        await Step("lease revoke", new LeaseRevokeRequest { ID = lease });
        await Step("range leased key", new RangeRequest { Key = B(Prefix + "l") });
        await Step("lease time to live revoked", new LeaseTimeToLiveRequest { ID = lease });

        await Step("put with unknown lease", new PutRequest { Key = B(Prefix + "x"), Value = B("v"), Lease = 0x7777_7777_7777 });
        await Step("range at a future revision", new RangeRequest { Key = B(Prefix + "a"), Revision = start + 1_000_000 });
        var duplicate = new TxnRequest();
        duplicate.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = B(Prefix + "d"), Value = B("1") } });
        duplicate.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = B(Prefix + "d"), Value = B("2") } });
        await Step("txn with a key twice", duplicate);
        await Step("range without a key", new RangeRequest());
        await Step("revoke unknown lease", new LeaseRevokeRequest { ID = 0x7777_7777_7777 });
        await Step("compact", new CompactionRequest { Revision = start + 2, Physical = true });
        await Step("range compacted revision", new RangeRequest { Key = B(Prefix + "a"), Revision = start + 1 });
        await Step("compact again", new CompactionRequest { Revision = start + 1 });
        return transcript;
    }

    public static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    public static string RangeEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    private static string Describe(Answer answer, long start, Dictionary<string, string> leases)
    {
        if (answer.Response is null)
        {
            return $"error {answer.Code} {answer.Error}";
        }
        var json = JsonFormatter.Default.Format(answer.Response);
        json = MemberFields().Replace(json, match => $"\"{match.Groups[1].Value}\": \"_\"");
        // A lease's remaining time depends on when it is asked: within a few seconds of the granted 60 is the same.
        json = RemainingTtl().Replace(json, match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is >= 50 and <= 60 ? "\"TTL\": \"about 60\"" : match.Value);
        json = RevisionFields().Replace(json, match =>
        {
            var value = long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            return $"\"{match.Groups[1].Value}\": \"+{value - start}\"";
        });
        json = LeaseFields().Replace(json, match =>
        {
            var id = match.Groups[2].Value;
            if (!leases.TryGetValue(id, out var name))
            {
                name = "lease" + (leases.Count + 1);
                leases[id] = name;
            }
            return $"\"{match.Groups[1].Value}\": \"{name}\"";
        });
        // The lock and election keys end with the lease in hex: base64 of it differs from run to run.
        json = KeyFields().Replace(json, match =>
        {
            var key = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups[2].Value));
            foreach (var (id, name) in leases)
            {
                key = key.Replace("/" + long.Parse(id, CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture), "/" + name, StringComparison.Ordinal);
            }
            return $"\"{match.Groups[1].Value}\": \"{key}\"";
        });
        return json;
    }

    [GeneratedRegex("\"(clusterId|memberId|raftTerm)\": \"\\d+\"")]
    private static partial Regex MemberFields();

    [GeneratedRegex("\"(revision|createRevision|modRevision|rev|compactRevision)\": \"(\\d+)\"")]
    private static partial Regex RevisionFields();

    [GeneratedRegex("\"TTL\": \"(\\d+)\"")]
    private static partial Regex RemainingTtl();

    [GeneratedRegex("\"(ID|lease)\": \"(\\d+)\"")]
    private static partial Regex LeaseFields();

    [GeneratedRegex("\"(key|keys)\": \"([A-Za-z0-9+/=]*)\"")]
    private static partial Regex KeyFields();
}
