namespace ActorStore.Robustness.History;

/// <summary>
/// One client operation: what was sent, when (nanoseconds since the workload started), and what came back when
/// <see cref="Ok"/>. A failed write's outcome is unknown; a failed read tells nothing.
/// </summary>
public sealed record OperationRecord
{
    public required int Client { get; init; }
    public string Member { get; init; } = "";
    public required long Id { get; init; }
    public required OperationType Type { get; init; }
    public required string Key { get; init; }
    public string Key2 { get; init; } = "";
    public string Value { get; init; } = "";
    public string Expect { get; init; } = "";
    public required long Call { get; init; }
    public required long Return { get; init; }
    public required bool Ok { get; init; }
    public string Error { get; init; } = "";
    public long Revision { get; init; }
    public bool Succeeded { get; init; }
    public KeyValueRecord? Prev { get; init; }
    public IReadOnlyList<KeyValueRecord> Kvs { get; init; } = [];
    public long Deleted { get; init; }

    public bool IsWrite => Type is not (OperationType.Get or OperationType.Range);

    /// <summary>Acknowledged and changed the store, per its own response.</summary>
    public bool IsAcknowledgedChange => Ok && Type switch
    {
        OperationType.Put or OperationType.Txn2 => true,
        OperationType.Cas or OperationType.Create => Succeeded,
        OperationType.Delete => Deleted > 0,
        _ => false,
    };

    /// <summary>The request, e.g. "cas k3=c2-17 if c1-4".</summary>
    public string Request => Type switch
    {
        OperationType.Get or OperationType.Range or OperationType.Delete => $"{Name} {Key}",
        OperationType.Cas => $"cas {Key}={Value} if {Key}=={Expect}",
        OperationType.Txn2 => $"txn2 {Key}={Value}, {Key2}={Value}",
        _ => $"{Name} {Key}={Value}",
    };

    /// <summary>The response fields this type of operation has, or the error.</summary>
    public string Response => !Ok
        ? $"failed ({(Error.Length == 0 ? "no error text" : Error)})"
        : Type switch
        {
            OperationType.Get or OperationType.Range => $"revision {Revision}, kvs [{string.Join("; ", Kvs)}]",
            OperationType.Put => $"revision {Revision}, prev {Prev?.ToString() ?? "none"}",
            OperationType.Delete => $"revision {Revision}, deleted {Deleted}, prev {Prev?.ToString() ?? "none"}",
            _ => $"revision {Revision}, succeeded {Succeeded}",
        };

    private string Name => Type.ToString().ToLowerInvariant();

    public override string ToString() =>
        $"client {Client}{(Member.Length == 0 ? "" : $" via {Member}")} #{Id} {Request} [call {Call}, return {Return}] -> {Response}";
}
