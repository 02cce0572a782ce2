using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace ActorStore.Server.Kv;

/// <summary>
/// The checks etcd's gRPC layer makes on KV requests before proposing them, with etcd's errors.
/// Each method throws the <see cref="RpcException"/> etcd answers with, or returns when the request may proceed.
/// </summary>
public static class KvRequestValidator
{
    /// <summary>etcd's default for --max-txn-ops.</summary>
    public const int DefaultMaxTxnOps = 128;

    public static void Validate(RangeRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdErrors.EmptyKey;
        }
    }

    public static void Validate(PutRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdErrors.EmptyKey;
        }

        if (request.IgnoreValue && !request.Value.IsEmpty)
        {
            throw EtcdErrors.ValueProvided;
        }

        if (request.IgnoreLease && request.Lease != 0)
        {
            throw EtcdErrors.LeaseProvided;
        }
    }

    public static void Validate(DeleteRangeRequest request)
    {
        if (request.Key.IsEmpty)
        {
            throw EtcdErrors.EmptyKey;
        }
    }

    /// <summary>
    /// Operation counts and keys of the transaction and its nested ones, then that no key is written twice:
    /// no two puts of one key, and no put of a key that a delete covers (etcd's interval check, in its order).
    /// </summary>
    public static void Validate(TxnRequest request, int maxTxnOps = DefaultMaxTxnOps)
    {
        CheckTxn(request, maxTxnOps);
        CheckWrites(request.Success);
        CheckWrites(request.Failure);
    }

    /// <summary>A compaction request needs no check before proposing.</summary>
    public static void Validate(CompactionRequest request) => ArgumentNullException.ThrowIfNull(request);

    private static void CheckTxn(TxnRequest request, int maxTxnOps)
    {
        var operations = Math.Max(request.Compare.Count, Math.Max(request.Success.Count, request.Failure.Count));
        if (operations > maxTxnOps)
        {
            throw EtcdErrors.TooManyOps;
        }

        foreach (var compare in request.Compare)
        {
            if (compare.Key.IsEmpty)
            {
                throw EtcdErrors.EmptyKey;
            }
        }

        // Nested transactions get what is left of the budget.
        foreach (var operation in request.Success)
        {
            CheckOperation(operation, maxTxnOps - operations);
        }

        foreach (var operation in request.Failure)
        {
            CheckOperation(operation, maxTxnOps - operations);
        }
    }

    private static void CheckOperation(RequestOp operation, int maxTxnOps)
    {
        switch (operation.RequestCase)
        {
            case RequestOp.RequestOneofCase.RequestRange:
                Validate(operation.RequestRange);
                break;
            case RequestOp.RequestOneofCase.RequestPut:
                Validate(operation.RequestPut);
                break;
            case RequestOp.RequestOneofCase.RequestDeleteRange:
                Validate(operation.RequestDeleteRange);
                break;
            case RequestOp.RequestOneofCase.RequestTxn:
                CheckTxn(operation.RequestTxn, maxTxnOps);
                break;
            default:
                throw EtcdErrors.KeyNotFound;
        }
    }

    /// <summary>
    /// Returns the keys put and the ranges deleted by these operations (nested ones included). Deletes of this level are
    /// known before any put is checked; a nested transaction's puts are checked against what was gathered before it.
    /// </summary>
    private static WrittenKeys CheckWrites(RepeatedField<RequestOp> operations)
    {
        var written = new WrittenKeys();
        foreach (var operation in operations)
        {
            if (operation.RequestCase == RequestOp.RequestOneofCase.RequestDeleteRange)
            {
                var delete = operation.RequestDeleteRange;
                written.Deletes.Add(new DeletedRange(delete.Key, delete.RangeEnd.IsEmpty ? null : delete.RangeEnd));
            }
        }

        foreach (var operation in operations)
        {
            if (operation.RequestCase != RequestOp.RequestOneofCase.RequestTxn)
            {
                continue;
            }

            var nested = operation.RequestTxn;
            var then = CheckWrites(nested.Success);
            var otherwise = CheckWrites(nested.Failure);
            foreach (var key in then.Puts)
            {
                if (written.Puts.Contains(key) || written.IsDeleted(key))
                {
                    throw EtcdErrors.DuplicateKey;
                }

                written.Puts.Add(key);
            }

            // Only one branch runs, so both may put the same key.
            foreach (var key in otherwise.Puts)
            {
                if ((written.Puts.Contains(key) && !then.Puts.Contains(key)) || written.IsDeleted(key))
                {
                    throw EtcdErrors.DuplicateKey;
                }

                written.Puts.Add(key);
            }

            written.Deletes.AddRange(then.Deletes);
            written.Deletes.AddRange(otherwise.Deletes);
        }

        foreach (var operation in operations)
        {
            if (operation.RequestCase != RequestOp.RequestOneofCase.RequestPut)
            {
                continue;
            }

            var key = operation.RequestPut.Key;
            if (written.Puts.Contains(key) || written.IsDeleted(key))
            {
                throw EtcdErrors.DuplicateKey;
            }

            written.Puts.Add(key);
        }

        return written;
    }

    private sealed class WrittenKeys
    {
        public HashSet<ByteString> Puts { get; } = [];

        public List<DeletedRange> Deletes { get; } = [];

        public bool IsDeleted(ByteString key)
        {
            foreach (var range in Deletes)
            {
                if (range.Covers(key))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A deleted key (no range end) or interval [key, rangeEnd); an interval whose end is not after its key covers nothing.</summary>
    private readonly record struct DeletedRange(ByteString Key, ByteString? RangeEnd)
    {
        public bool Covers(ByteString key)
        {
            if (RangeEnd is null)
            {
                return key.Equals(Key);
            }

            return Key.Span.SequenceCompareTo(key.Span) <= 0 && key.Span.SequenceCompareTo(RangeEnd.Span) < 0;
        }
    }
}
