namespace ActorStore.Client.Grpc;

/// <summary>Per-call settings: request metadata (e.g. etcd's "token"), a deadline, and cancellation.</summary>
public sealed record CallOptions
{
    /// <summary>Request metadata sent as HTTP/2 headers; names are lower-case ASCII.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    /// <summary>When the call must be over (UTC); sent as grpc-timeout, and the call fails with DeadlineExceeded after it.</summary>
    public DateTime? Deadline { get; init; }

    /// <summary>Cancels the call (the stream is reset); the call fails with Cancelled.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Same options with one more header.</summary>
    public CallOptions WithHeader(string name, string value)
    {
        var headers = new List<KeyValuePair<string, string>>((Headers?.Count ?? 0) + 1);
        if (Headers is not null)
        {
            headers.AddRange(Headers);
        }

        headers.Add(new KeyValuePair<string, string>(name, value));
        return this with { Headers = headers };
    }
}
