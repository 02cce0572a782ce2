using Etcdserverpb;
using Mvccpb;

namespace ActorStore.Server.Kv;

/// <summary>Rules about transaction requests that both the applier and the validator need.</summary>
internal static class TxnRequests
{
    /// <summary>
    /// True when every top-level operation of both branches is a range (etcd's test: a nested transaction counts as a write).
    /// </summary>
    public static bool IsReadOnly(TxnRequest request)
    {
        foreach (var operation in request.Success)
        {
            if (operation.RequestCase != RequestOp.RequestOneofCase.RequestRange)
            {
                return false;
            }
        }

        foreach (var operation in request.Failure)
        {
            if (operation.RequestCase != RequestOp.RequestOneofCase.RequestRange)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// One compare against one key-value. A target value of another kind than the target counts as zero (or empty);
    /// an unknown target compares as equal and an unknown result holds, as in etcd.
    /// </summary>
    public static bool Compare(Compare compare, KeyValue kv)
    {
        var order = compare.Target switch
        {
            Etcdserverpb.Compare.Types.CompareTarget.Value => Math.Sign(kv.Value.Span.SequenceCompareTo(compare.Value.Span)),
            Etcdserverpb.Compare.Types.CompareTarget.Create => kv.CreateRevision.CompareTo(compare.CreateRevision),
            Etcdserverpb.Compare.Types.CompareTarget.Mod => kv.ModRevision.CompareTo(compare.ModRevision),
            Etcdserverpb.Compare.Types.CompareTarget.Version => kv.Version.CompareTo(compare.Version),
            Etcdserverpb.Compare.Types.CompareTarget.Lease => kv.Lease.CompareTo(compare.Lease),
            _ => 0,
        };

        return compare.Result switch
        {
            Etcdserverpb.Compare.Types.CompareResult.Equal => order == 0,
            Etcdserverpb.Compare.Types.CompareResult.NotEqual => order != 0,
            Etcdserverpb.Compare.Types.CompareResult.Greater => order > 0,
            Etcdserverpb.Compare.Types.CompareResult.Less => order < 0,
            _ => true,
        };
    }
}
