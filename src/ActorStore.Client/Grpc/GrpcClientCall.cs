using ActorStore.Protocol.Grpc;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using ActorStore.Protocol.Errors;
using Google.Protobuf;

namespace ActorStore.Client.Grpc;

/// <summary>
/// One call's HTTP/2 exchange as the client sees it: the request, the response headers, the framed response body,
/// and the status from the trailers (or from the headers of a trailers-only response).
/// </summary>
internal sealed class GrpcClientCall : IDisposable
{
    private readonly HttpRequestMessage _request;
    private readonly GrpcConnectionOptions _options;
    private readonly CancellationToken _userToken;
    private readonly CancellationTokenSource? _source;
    private readonly CancellationToken _token;
    private readonly DateTime? _deadline;
    private readonly byte[] _frameHeader = new byte[GrpcClientFraming.HeaderSize];
    private readonly TaskCompletionSource? _completion;
    private Task<HttpResponseMessage>? _responseTask;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private bool _gzipResponse;
    private bool _finished;
    private bool _cancelledHere;
    private bool _disposed;

    public GrpcClientCall(HttpRequestMessage request, CallOptions? callOptions, GrpcConnectionOptions options, bool streaming)
    {
        _request = request;
        _options = options;
        _userToken = callOptions?.CancellationToken ?? default;
        _deadline = callOptions?.Deadline;
        if (streaming || _deadline.HasValue || _userToken.CanBeCanceled)
        {
            _source = _userToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(_userToken)
                : new CancellationTokenSource();
        }

        _token = _source?.Token ?? _userToken;
        if (_deadline is { } deadline)
        {
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                _source!.Cancel();
            }
            else
            {
                request.Headers.TryAddWithoutValidation("grpc-timeout", EncodeTimeout(remaining));
                if (remaining < TimeSpan.FromDays(30))
                {
                    _source!.CancelAfter(remaining);
                }
            }
        }

        if (streaming)
        {
            _completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public CancellationToken Token => _token;

    /// <summary>Completes when the response ended with OK; faults with the call's RpcException otherwise (streaming calls only).</summary>
    public Task Completion => _completion?.Task ?? Task.CompletedTask;

    public Task<HttpResponseMessage> ResponseTask => _responseTask ?? throw new InvalidOperationException("The call has not started.");

    public void Start(HttpClient http)
    {
        if (Token.IsCancellationRequested)
        {
            _responseTask = Task.FromCanceled<HttpResponseMessage>(Token);
            return;
        }

        _responseTask = http.SendAsync(_request, HttpCompletionOption.ResponseHeadersRead, Token);
    }

    /// <summary>The next response message, or null once the call ended with OK; a failed call throws its RpcException.</summary>
    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        if (_finished)
        {
            return null;
        }

        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => ((GrpcClientCall)state!).Cancel(), this)
            : default;
        try
        {
            if (_body is null && !await ReceiveHeadersAsync().ConfigureAwait(false))
            {
                return null;
            }

            var message = await GrpcClientFraming.ReadMessageAsync(
                _body!, _frameHeader, parser, _options.MaxReceiveMessageSize, _gzipResponse, Token).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }

            _finished = true;
            ThrowIfFailed(StatusFromTrailers());
            _completion?.TrySetResult();
            return null;
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }
    }

    /// <summary>Turns anything that ended the call into the RpcException the caller sees, and ends the call.</summary>
    public RpcException Fail(Exception exception)
    {
        var error = ToRpcException(exception);
        _finished = true;
        if (_completion is not null && _completion.TrySetException(error))
        {
            _ = _completion.Task.Exception; // observed: callers may rely on the thrown exception alone
        }

        if (_source is { IsCancellationRequested: false })
        {
            // Reset the stream so the server stops working on a call nobody waits for.
            _cancelledHere = true;
            _source.Cancel();
        }

        return error;
    }

    public void Cancel()
    {
        if (!_finished && !_disposed && _source is { IsCancellationRequested: false })
        {
            _cancelledHere = true;
            _source.Cancel();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (!_finished)
        {
            Fail(new RpcException(StatusCode.Cancelled, "context canceled"));
        }

        _disposed = true;
        _response?.Dispose();
        _request.Dispose();
        _source?.Dispose();
    }

    /// <summary>Waits for the response headers; false when they already carry the final status (trailers-only, OK).</summary>
    private async ValueTask<bool> ReceiveHeadersAsync()
    {
        var response = await ResponseTask.ConfigureAwait(false);
        _response = response;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw FromHttpStatus(response.StatusCode);
        }

        if (TryReadStatus(response.Headers.NonValidated, out var status, out var message))
        {
            _finished = true;
            ThrowIfFailed((status, message));
            _completion?.TrySetResult();
            return false;
        }

        var contentType = response.Content.Headers.NonValidated.TryGetValues("content-type", out var types) ? types.ToString() : string.Empty;
        if (!contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.Internal, $"transport: received the unexpected content-type \"{contentType}\"");
        }

        _gzipResponse = response.Headers.NonValidated.TryGetValues("grpc-encoding", out var encoding)
            && string.Equals(encoding.ToString(), "gzip", StringComparison.Ordinal);
        _body = await response.Content.ReadAsStreamAsync(Token).ConfigureAwait(false);
        return true;
    }

    private (StatusCode Status, string Message) StatusFromTrailers()
    {
        return TryReadStatus(_response!.TrailingHeaders.NonValidated, out var status, out var message)
            ? (status, message)
            : (StatusCode.Internal, "server closed the stream without sending trailers");
    }

    private static void ThrowIfFailed((StatusCode Status, string Message) outcome)
    {
        if (outcome.Status != StatusCode.OK)
        {
            throw new RpcException(outcome.Status, outcome.Message);
        }
    }

    private static bool TryReadStatus(HttpHeadersNonValidated headers, out StatusCode status, out string message)
    {
        status = StatusCode.Unknown;
        message = string.Empty;
        if (!headers.TryGetValues("grpc-status", out var statusValues))
        {
            return false;
        }

        if (int.TryParse(statusValues.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            status = (StatusCode)code;
        }
        else
        {
            message = $"grpc: malformed grpc-status \"{statusValues}\"";
            status = StatusCode.Internal;
            return true;
        }

        if (headers.TryGetValues("grpc-message", out var messageValues))
        {
            message = GrpcPercentEncoding.Decode(messageValues.ToString());
        }

        return true;
    }

    public RpcException ToRpcException(Exception exception)
    {
        switch (exception)
        {
            case RpcException rpc:
                return rpc;
            case OperationCanceledException or ObjectDisposedException when Token.IsCancellationRequested:
            case HttpRequestException or IOException when Token.IsCancellationRequested:
                return CancellationStatus();
            case HttpProtocolException protocol:
                return FromResetCode(protocol);
            case HttpRequestException or IOException or ObjectDisposedException:
                return new RpcException(StatusCode.Unavailable, exception.Message);
            case OperationCanceledException:
                return new RpcException(StatusCode.Cancelled, "context canceled");
            default:
                return new RpcException(StatusCode.Unknown, exception.Message);
        }
    }

    private RpcException CancellationStatus()
    {
        if (!_cancelledHere && !_userToken.IsCancellationRequested && _deadline.HasValue)
        {
            return new RpcException(StatusCode.DeadlineExceeded, "context deadline exceeded");
        }

        return new RpcException(StatusCode.Cancelled, "context canceled");
    }

    /// <summary>The gRPC spec's mapping of an HTTP/2 RST_STREAM or GOAWAY error code.</summary>
    private static RpcException FromResetCode(HttpProtocolException exception)
    {
        var status = exception.ErrorCode switch
        {
            0x7 => StatusCode.Unavailable, // REFUSED_STREAM
            0x8 => StatusCode.Cancelled, // CANCEL
            0xb => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
            0xc => StatusCode.PermissionDenied, // INADEQUATE_SECURITY
            _ => StatusCode.Internal,
        };
        return new RpcException(status, exception.Message);
    }

    /// <summary>The gRPC spec's mapping for a response that is not HTTP 200.</summary>
    private static RpcException FromHttpStatus(HttpStatusCode httpStatus)
    {
        var status = httpStatus switch
        {
            HttpStatusCode.BadRequest => StatusCode.Internal,
            HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
            HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
            HttpStatusCode.NotFound => StatusCode.Unimplemented,
            HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                => StatusCode.Unavailable,
            _ => StatusCode.Unknown,
        };
        return new RpcException(
            status,
            $"unexpected HTTP status code received from server: {(int)httpStatus} ({httpStatus})");
    }

    /// <summary>grpc-timeout: the finest unit whose value fits in 8 digits, rounded up so the server never sees less time.</summary>
    internal static string EncodeTimeout(TimeSpan timeout)
    {
        const long MaxValue = 99_999_999;
        var ticks = Math.Max(timeout.Ticks, 1);
        if (ticks <= MaxValue / 100)
        {
            return (ticks * 100).ToString(CultureInfo.InvariantCulture) + "n";
        }

        ReadOnlySpan<long> ticksPerUnit = [10, TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute, TimeSpan.TicksPerHour];
        ReadOnlySpan<char> units = ['u', 'm', 'S', 'M', 'H'];
        for (var i = 0; i < units.Length; i++)
        {
            var value = (ticks + ticksPerUnit[i] - 1) / ticksPerUnit[i];
            if (value <= MaxValue)
            {
                return value.ToString(CultureInfo.InvariantCulture) + units[i];
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
