using ActorStore.Mvcc;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Metrics;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace ActorStore.Server.Kv;

/// <summary>
/// etcd's KV requests applied to an <see cref="MvccStore"/>, with etcd 3.4's answers: range options, put and delete
/// options, transactions (one revision for the whole transaction, every check done before the first write),
/// compaction and hashes. Pure: no actors, no I/O. Fills <c>Header.Revision</c>; the caller fills the rest of the header.
/// Watchers learn about writes from <see cref="MvccStore.Committed"/>.
/// </summary>
public sealed class KvApplier
{
    // What a compare sees for a key that does not exist: every field at its zero value. Never modified.
    private readonly KeyValue _absent = new();

    private readonly MvccStore _store;
    private readonly Func<long, bool> _leaseExists;
    private readonly MemberMetrics? _metrics;

    /// <param name="metrics">Counts puts, deletes, ranges and txns as etcd's mvcc counts them (txn operations included).</param>
    public KvApplier(MvccStore store, Func<long, bool> leaseExists, MemberMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(leaseExists);
        _store = store;
        _leaseExists = leaseExists;
        _metrics = metrics;
    }

    public MvccStore Store => _store;

    public RangeResponse Range(RangeRequest request)
    {
        _metrics?.Ranges.Inc();
        return Range(request, null);
    }

    public PutResponse Put(PutRequest request)
    {
        _metrics?.Puts.Inc();
        if (request.Lease != 0 && !_leaseExists(request.Lease))
        {
            throw EtcdErrors.LeaseNotFound;
        }

        var txn = _store.BeginWrite();
        try
        {
            return Put(request, txn);
        }
        finally
        {
            txn.End();
        }
    }

    public DeleteRangeResponse DeleteRange(DeleteRangeRequest request)
    {
        _metrics?.Deletes.Inc();
        var txn = _store.BeginWrite();
        try
        {
            return DeleteRange(request, txn);
        }
        finally
        {
            txn.End();
        }
    }

    public TxnResponse Txn(TxnRequest request)
    {
        _metrics?.Txns.Inc();
        // The branches are chosen against the state before the transaction, nested transactions included.
        var path = new List<bool>();
        ChooseBranches(request, path);

        var writes = !TxnRequests.IsReadOnly(request);
        if (writes)
        {
            var position = 0;
            CheckOperations(request, path, ref position, CheckPut);
        }

        var rangePosition = 0;
        CheckOperations(request, path, ref rangePosition, CheckRange);

        var response = new TxnResponse { Header = new ResponseHeader() };
        var applyPosition = 0;
        if (!writes)
        {
            Apply(request, path, ref applyPosition, response, null);
            response.Header.Revision = _store.CurrentRevision;
            return response;
        }

        var txn = _store.BeginWrite();
        try
        {
            Apply(request, path, ref applyPosition, response, txn);
            response.Header.Revision = txn.Revision;
        }
        finally
        {
            txn.End();
        }

        return response;
    }

    /// <summary>
    /// Compacts at the requested revision. The store compacts synchronously, so a physical compaction
    /// has nothing more to wait for.
    /// </summary>
    public CompactionResponse Compact(CompactionRequest request)
    {
        _store.Compact(request.Revision);
        return new CompactionResponse { Header = new ResponseHeader { Revision = _store.CurrentRevision } };
    }

    public HashKVResponse HashKV(HashKVRequest request)
    {
        var result = _store.HashKV(request.Revision);
        return new HashKVResponse
        {
            Header = new ResponseHeader { Revision = result.CurrentRevision },
            Hash = result.Hash,
            CompactRevision = result.CompactRevision,
        };
    }

    public HashResponse Hash() => new()
    {
        Header = new ResponseHeader { Revision = _store.CurrentRevision },
        Hash = _store.Hash(),
    };

    private RangeResponse Range(RangeRequest request, MvccWriteTxn? txn)
    {
        // Sorting or filtering needs every match; otherwise one more than the limit tells whether there are more.
        var limit = request.Limit;
        if (request.SortOrder != RangeRequest.Types.SortOrder.None
            || request.MinModRevision != 0 || request.MaxModRevision != 0
            || request.MinCreateRevision != 0 || request.MaxCreateRevision != 0)
        {
            limit = 0;
        }

        if (limit > 0)
        {
            limit = unchecked(limit + 1);
        }

        var result = txn is null
            ? _store.Range(request.Key.Span, request.RangeEnd.Span, request.Revision, limit, request.CountOnly)
            : txn.Range(request.Key.Span, request.RangeEnd.Span, request.Revision, limit, request.CountOnly);

        var kvs = RangeOrdering.Filter(result.Kvs, request);

        // etcd sorts ascending when a target other than the key is given without an order.
        var order = request.SortOrder;
        if (request.SortTarget != RangeRequest.Types.SortTarget.Key && order == RangeRequest.Types.SortOrder.None)
        {
            order = RangeRequest.Types.SortOrder.Ascend;
        }

        if (order != RangeRequest.Types.SortOrder.None && kvs.Count > 1)
        {
            kvs = RangeOrdering.Sort(kvs, request.SortTarget, order == RangeRequest.Types.SortOrder.Descend);
        }

        var response = new RangeResponse
        {
            Header = new ResponseHeader { Revision = result.Revision },
            Count = result.Count,
        };
        var take = kvs.Count;
        if (request.Limit > 0 && take > request.Limit)
        {
            take = (int)request.Limit;
            response.More = true;
        }

        for (var i = 0; i < take; i++)
        {
            var kv = kvs[i];
            if (request.KeysOnly)
            {
                kv.Value = ByteString.Empty;
            }

            response.Kvs.Add(kv);
        }

        return response;
    }

    private static PutResponse Put(PutRequest request, MvccWriteTxn txn)
    {
        var response = new PutResponse { Header = new ResponseHeader() };
        var value = request.Value;
        var lease = request.Lease;
        KeyValue? previous = null;
        if (request.IgnoreValue || request.IgnoreLease || request.PrevKv)
        {
            var current = txn.Range(request.Key.Span, ReadOnlySpan<byte>.Empty);
            previous = current.Kvs.Count > 0 ? current.Kvs[0] : null;
        }

        if (request.IgnoreValue || request.IgnoreLease)
        {
            if (previous is null)
            {
                throw EtcdErrors.KeyNotFound;
            }

            if (request.IgnoreValue)
            {
                value = previous.Value;
            }

            if (request.IgnoreLease)
            {
                lease = previous.Lease;
            }
        }

        if (request.PrevKv && previous is not null)
        {
            response.PrevKv = previous;
        }

        response.Header.Revision = txn.Put(request.Key, value, lease);
        return response;
    }

    private static DeleteRangeResponse DeleteRange(DeleteRangeRequest request, MvccWriteTxn txn)
    {
        var response = new DeleteRangeResponse { Header = new ResponseHeader() };
        if (request.PrevKv)
        {
            response.PrevKvs.AddRange(txn.Range(request.Key.Span, request.RangeEnd.Span).Kvs);
        }

        var result = txn.DeleteRange(request.Key.Span, request.RangeEnd.Span);
        response.Deleted = result.Deleted;
        response.Header.Revision = result.Revision;
        return response;
    }

    /// <summary>Evaluates the compares of the transaction and of every nested one on the chosen branches, in pre-order.</summary>
    private void ChooseBranches(TxnRequest request, List<bool> path)
    {
        var succeeded = true;
        foreach (var compare in request.Compare)
        {
            if (!Holds(compare))
            {
                succeeded = false;
                break;
            }
        }

        path.Add(succeeded);
        foreach (var operation in succeeded ? request.Success : request.Failure)
        {
            if (operation.RequestCase == RequestOp.RequestOneofCase.RequestTxn)
            {
                ChooseBranches(operation.RequestTxn, path);
            }
        }
    }

    private bool Holds(Compare compare)
    {
        RangeResult found;
        try
        {
            found = _store.Range(compare.Key.Span, compare.RangeEnd.Span);
        }
        catch (RpcException)
        {
            return false;
        }

        if (found.Kvs.Count == 0)
        {
            return compare.Target != Compare.Types.CompareTarget.Value && TxnRequests.Compare(compare, _absent);
        }

        foreach (var kv in found.Kvs)
        {
            if (!TxnRequests.Compare(compare, kv))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckOperations(TxnRequest request, List<bool> path, ref int position, Action<RequestOp> check)
    {
        var operations = path[position++] ? request.Success : request.Failure;
        foreach (var operation in operations)
        {
            if (operation.RequestCase == RequestOp.RequestOneofCase.RequestTxn)
            {
                CheckOperations(operation.RequestTxn, path, ref position, check);
                continue;
            }

            check(operation);
        }
    }

    private void CheckPut(RequestOp operation)
    {
        if (operation.RequestCase != RequestOp.RequestOneofCase.RequestPut)
        {
            return;
        }

        var put = operation.RequestPut;
        if ((put.IgnoreValue || put.IgnoreLease) && _store.Range(put.Key.Span, ReadOnlySpan<byte>.Empty).Count == 0)
        {
            throw EtcdErrors.KeyNotFound;
        }

        if (put.Lease != 0 && !_leaseExists(put.Lease))
        {
            throw EtcdErrors.LeaseNotFound;
        }
    }

    private void CheckRange(RequestOp operation)
    {
        if (operation.RequestCase != RequestOp.RequestOneofCase.RequestRange)
        {
            return;
        }

        // Unlike a plain range, any nonzero revision is checked here, so a negative one counts as compacted.
        var revision = operation.RequestRange.Revision;
        if (revision == 0)
        {
            return;
        }

        if (revision > _store.CurrentRevision)
        {
            throw EtcdErrors.FutureRev;
        }

        if (revision < _store.CompactRevision)
        {
            throw EtcdErrors.Compacted;
        }
    }

    private void Apply(TxnRequest request, List<bool> path, ref int position, TxnResponse response, MvccWriteTxn? txn)
    {
        var succeeded = path[position++];
        response.Succeeded = succeeded;
        foreach (var operation in succeeded ? request.Success : request.Failure)
        {
            var answer = new ResponseOp();
            switch (operation.RequestCase)
            {
                case RequestOp.RequestOneofCase.RequestRange:
                    _metrics?.Ranges.Inc();
                    answer.ResponseRange = Range(operation.RequestRange, txn);
                    break;
                case RequestOp.RequestOneofCase.RequestPut:
                    _metrics?.Puts.Inc();
                    answer.ResponsePut = Put(operation.RequestPut, RequireWrite(txn));
                    break;
                case RequestOp.RequestOneofCase.RequestDeleteRange:
                    _metrics?.Deletes.Inc();
                    answer.ResponseDeleteRange = DeleteRange(operation.RequestDeleteRange, RequireWrite(txn));
                    break;
                case RequestOp.RequestOneofCase.RequestTxn:
                    // A nested transaction's header stays empty: only the outer response carries the revision.
                    var nested = new TxnResponse { Header = new ResponseHeader() };
                    Apply(operation.RequestTxn, path, ref position, nested, txn);
                    answer.ResponseTxn = nested;
                    break;
            }

            response.Responses.Add(answer);
        }
    }

    private static MvccWriteTxn RequireWrite(MvccWriteTxn? txn) =>
        txn ?? throw new InvalidOperationException("A read-only transaction cannot write.");
}
