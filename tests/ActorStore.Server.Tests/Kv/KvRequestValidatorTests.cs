using ActorStore.Protocol.Errors;
using ActorStore.Server.Kv;
using Etcdserverpb;
using Xunit;
using static ActorStore.Server.Tests.Kv.Kv;

namespace ActorStore.Server.Tests.Kv;

/// <summary>The gRPC-layer checks, with the outcomes etcd 3.4.23 gave for the same requests.</summary>
public sealed class KvRequestValidatorTests
{
    private static string? ErrorOf(Action validate)
    {
        try
        {
            validate();
            return null;
        }
        catch (RpcException error)
        {
            return error.Message;
        }
    }

    private static string? ErrorOf(TxnRequest txn, int maxTxnOps = KvRequestValidator.DefaultMaxTxnOps) =>
        ErrorOf(() => KvRequestValidator.Validate(txn, maxTxnOps));

    [Fact]
    public void Empty_keys_are_rejected()
    {
        Assert.Equal(EtcdErrors.EmptyKey.Message, ErrorOf(() => KvRequestValidator.Validate(new RangeRequest())));
        Assert.Equal(EtcdErrors.EmptyKey.Message, ErrorOf(() => KvRequestValidator.Validate(new PutRequest { Value = B("x") })));
        Assert.Equal(EtcdErrors.EmptyKey.Message, ErrorOf(() => KvRequestValidator.Validate(new DeleteRangeRequest())));
        Assert.Equal(EtcdErrors.EmptyKey.Message, ErrorOf(Txn([new Compare { Target = Compare.Types.CompareTarget.Value }])));
        Assert.Null(ErrorOf(() => KvRequestValidator.Validate(Range("a"))));
    }

    [Fact]
    public void Ignore_flags_conflict_with_given_value_or_lease()
    {
        Assert.Equal(EtcdErrors.ValueProvided.Message,
            ErrorOf(() => KvRequestValidator.Validate(new PutRequest { Key = B("a"), IgnoreValue = true, Value = B("x") })));
        Assert.Equal(EtcdErrors.LeaseProvided.Message,
            ErrorOf(() => KvRequestValidator.Validate(new PutRequest { Key = B("a"), IgnoreLease = true, Lease = 5 })));
        Assert.Null(ErrorOf(() => KvRequestValidator.Validate(new PutRequest { Key = B("a"), IgnoreValue = true, IgnoreLease = true })));
    }

    [Fact]
    public void Too_many_operations_counts_the_largest_of_compares_success_and_failure()
    {
        var ops = Enumerable.Range(0, 3).Select(i => PutOp($"k{i}", "v")).ToArray();

        Assert.Equal(EtcdErrors.TooManyOps.Message, ErrorOf(Txn(success: ops), maxTxnOps: 2));
        Assert.Null(ErrorOf(Txn(success: ops), maxTxnOps: 3));
        Assert.Equal(EtcdErrors.TooManyOps.Message, ErrorOf(Txn(success: [.. ops.Take(2), TxnOp(Txn(success: [PutOp("n1", "v"), PutOp("n2", "v")]))]), maxTxnOps: 4));
        Assert.Null(ErrorOf(Txn(success: [TxnOp(Txn(success: [PutOp("n1", "v"), PutOp("n2", "v")]))]), maxTxnOps: 3));
    }

    [Fact]
    public void An_operation_without_a_request_is_key_not_found()
    {
        Assert.Equal(EtcdErrors.KeyNotFound.Message, ErrorOf(Txn(success: [new RequestOp()])));
    }

    [Fact]
    public void Nested_requests_are_validated_too()
    {
        Assert.Equal(EtcdErrors.EmptyKey.Message, ErrorOf(Txn(failure: [TxnOp(Txn(success: [RangeOp("")]))])));
    }

    [Fact]
    public void Duplicate_writes_follow_etcds_interval_rules()
    {
        // Two puts of one key, or a put inside a deleted range: rejected.
        Assert.Equal(EtcdErrors.DuplicateKey.Message, ErrorOf(Txn(success: [PutOp("a", "1"), PutOp("a", "2")])));
        Assert.Equal(EtcdErrors.DuplicateKey.Message, ErrorOf(Txn(success: [PutOp("b", "1"), DeleteOp("a", "c")])));
        Assert.Equal(EtcdErrors.DuplicateKey.Message, ErrorOf(Txn(success: [DeleteOp("a"), PutOp("a", "1")])));

        // A from-key delete never counts as covering a put.
        Assert.Null(ErrorOf(Txn(success: [PutOp("b", "1"), DeleteOp("a", FromKey)])));

        // The end of a deleted range is exclusive; success and failure are checked separately.
        Assert.Null(ErrorOf(Txn(success: [PutOp("c", "1"), DeleteOp("a", "c")])));
        Assert.Null(ErrorOf(Txn(success: [PutOp("a", "1")], failure: [PutOp("a", "2")])));
    }

    [Fact]
    public void Nested_txns_may_put_a_key_in_both_branches_but_order_matters_against_deletes()
    {
        Assert.Null(ErrorOf(Txn(success: [TxnOp(Txn(success: [PutOp("q", "1")], failure: [PutOp("q", "2")]))])));

        // A put in an earlier nested txn and a delete in a later one pass; the other way round is rejected.
        Assert.Null(ErrorOf(Txn(success: [TxnOp(Txn(success: [PutOp("a", "10")])), TxnOp(Txn(success: [DeleteOp("a")]))])));
        Assert.Equal(EtcdErrors.DuplicateKey.Message,
            ErrorOf(Txn(success: [TxnOp(Txn(success: [DeleteOp("a")])), TxnOp(Txn(success: [PutOp("a", "11")]))])));

        // Outer puts meet the deletes and puts of every nested txn.
        Assert.Equal(EtcdErrors.DuplicateKey.Message, ErrorOf(Txn(success: [PutOp("a", "1"), TxnOp(Txn(failure: [DeleteOp("a", "b")]))])));
        Assert.Equal(EtcdErrors.DuplicateKey.Message, ErrorOf(Txn(success: [PutOp("a", "1"), TxnOp(Txn(success: [PutOp("a", "2")]))])));

        // An outer delete meets the puts of nested txns.
        Assert.Equal(EtcdErrors.DuplicateKey.Message, ErrorOf(Txn(success: [TxnOp(Txn(success: [PutOp("a", "2")])), DeleteOp("a")])));

        // The then-branch put of one nested txn and the else-branch put of another collide.
        Assert.Equal(EtcdErrors.DuplicateKey.Message,
            ErrorOf(Txn(success: [TxnOp(Txn(success: [PutOp("a", "1")])), TxnOp(Txn(failure: [PutOp("a", "2")]))])));
    }
}
