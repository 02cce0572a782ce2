using Grpc.Core;

namespace ActorStore.Gateway.Grpc;

/// <summary>The call's context as Grpc.AspNetCore made it, with the project's deadline and cancellation instead of its own.</summary>
internal sealed class CallLifetimeContext(
    ServerCallContext inner, DateTime deadline, CancellationToken deadlineToken, CancellationToken cancellationToken) : ServerCallContext
{
    /// <summary>The deadline's own timer fired (it may fire a little before the wall clock reaches the deadline).</summary>
    public bool DeadlineExpired => deadlineToken.IsCancellationRequested;

    protected override string MethodCore => inner.Method;

    protected override string HostCore => inner.Host;

    protected override string PeerCore => inner.Peer;

    protected override DateTime DeadlineCore => deadline;

    protected override Metadata RequestHeadersCore => inner.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => cancellationToken;

    protected override Metadata ResponseTrailersCore => inner.ResponseTrailers;

    protected override Status StatusCore
    {
        get => inner.Status;
        set => inner.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => inner.AuthContext;

    protected override IDictionary<object, object> UserStateCore => inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => inner.WriteResponseHeadersAsync(responseHeaders);
}
