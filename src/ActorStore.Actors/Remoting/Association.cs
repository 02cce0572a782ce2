using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// Everything this system sends to one remote address: a bounded FIFO queue and at most one TCP connection,
/// opened when the first message is queued and reopened with exponential backoff after a failure.
/// A single writer drains the queue, so messages to one address arrive in the order they were told.
/// </summary>
internal sealed class Association
{
    private const int Idle = 0;
    private const int Connected = 1;
    private const int Disconnected = 2;
    private const int MaxCachedRefs = 4096;
    private const string TempPrefix = "/temp/";

    private readonly Channel<OutboundMessage> _queue;
    private readonly ConcurrentDictionary<string, RemoteActorRef> _refs = new(StringComparer.Ordinal);
    private long _sent;
    private long _dropped;
    private int _state;
    private int _overflowReported;
    private Task _run = Task.CompletedTask;

    public Association(RemoteTransport transport, string address, string host, int port)
    {
        Transport = transport;
        Address = address;
        Host = host;
        Port = port;
        _queue = Channel.CreateBounded<OutboundMessage>(new BoundedChannelOptions(transport.Settings.MaxQueuedMessagesPerPeer)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
    }

    public RemoteTransport Transport { get; }

    public string Address { get; }

    public string Host { get; }

    public int Port { get; }

    public Task Completion => _run;

    public long DroppedMessages => Interlocked.Read(ref _dropped);

    public RemoteAssociationStatus Status =>
        new(Address, Volatile.Read(ref _state) == Connected, _queue.Reader.Count, Interlocked.Read(ref _sent), Interlocked.Read(ref _dropped));

    public void Start() => _run = RunAsync();

    /// <summary>Stops accepting messages; the run loop ends with the transport's shutdown token.</summary>
    public void Shutdown() => _queue.Writer.TryComplete();

    public RemoteActorRef GetRef(string relativePath)
    {
        if (_refs.TryGetValue(relativePath, out var cached))
        {
            return cached;
        }
        var created = new RemoteActorRef(this, relativePath);
        // Ask reply targets are unique per request: caching them would only grow the table.
        if (relativePath.StartsWith(TempPrefix, StringComparison.Ordinal) || _refs.Count >= MaxCachedRefs)
        {
            return created;
        }
        return _refs.GetOrAdd(relativePath, created);
    }

    public void Enqueue(in OutboundMessage message)
    {
        if (_queue.Writer.TryWrite(message))
        {
            return;
        }
        if (Interlocked.Exchange(ref _overflowReported, 1) == 0 && !Transport.IsDisposed)
        {
            Transport.Log.LogWarning(
                "Outbound queue to {Address} is full ({Capacity} messages); dropping new messages until the peer catches up",
                Address, Transport.Settings.MaxQueuedMessagesPerPeer);
        }
        Drop(message);
    }

    /// <summary>Counts an undelivered message and hands it to dead letters.</summary>
    public void Drop(in OutboundMessage message)
    {
        Interlocked.Increment(ref _dropped);
        Transport.System.PublishDeadLetter(message.Message, message.Sender, message.Recipient);
    }

    /// <summary>Counts messages that were taken from the queue but never reached the socket.</summary>
    public void CountLost(int messages) => Interlocked.Add(ref _dropped, messages);

    public void CountSent(int messages)
    {
        Interlocked.Add(ref _sent, messages);
        Volatile.Write(ref _overflowReported, 0);
    }

    private async Task RunAsync()
    {
        var shutdown = Transport.ShutdownToken;
        var failures = 0;
        try
        {
            // Lazy: no connection until there is something to send.
            while (await _queue.Reader.WaitToReadAsync(shutdown).ConfigureAwait(false))
            {
                Exception? failure = null;
                try
                {
                    var connection = await OutboundConnection.OpenAsync(this, shutdown).ConfigureAwait(false);
                    await using (connection.ConfigureAwait(false))
                    {
                        failures = 0;
                        ChangeState(Connected, connection.RemoteMemberId);
                        await connection.PumpAsync(_queue.Reader, shutdown).ConfigureAwait(false);
                    }
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
                if (shutdown.IsCancellationRequested || _queue.Reader.Completion.IsCompleted)
                {
                    break;
                }
                var delay = NextBackoff(failures++);
                ReportFailure(failure, delay, firstInStreak: failures == 1);
                ChangeState(Disconnected, 0);
                await Task.Delay(delay, shutdown).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Transport.Log.LogError(ex, "Association to {Address} stopped unexpectedly", Address);
        }
        finally
        {
            _queue.Writer.TryComplete();
            var abandoned = 0;
            while (_queue.Reader.TryRead(out _))
            {
                abandoned++;
            }
            CountLost(abandoned);
            if (Volatile.Read(ref _state) == Connected)
            {
                ChangeState(Disconnected, 0);
            }
            if (abandoned > 0)
            {
                Transport.Log.LogDebug("Association to {Address} closed with {Count} unsent messages", Address, abandoned);
            }
        }
    }

    private TimeSpan NextBackoff(int failures)
    {
        var settings = Transport.Settings;
        var exponential = settings.ReconnectBackoffMin.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 30));
        var capped = Math.Min(exponential, settings.ReconnectBackoffMax.TotalMilliseconds);
        // Shortening only: the delay never exceeds the configured maximum.
        var jittered = capped * (1 - (settings.ReconnectJitter * Random.Shared.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Max(1, jittered));
    }

    private void ReportFailure(Exception? failure, TimeSpan delay, bool firstInStreak)
    {
        var reason = failure is null ? "connection closed" : failure.Message;
        var level = firstInStreak ? LogLevel.Warning : LogLevel.Debug;
        if (Transport.Log.IsEnabled(level))
        {
            Transport.Log.Log(level, "Association to {Address} failed ({Reason}); reconnecting in {DelayMs:0} ms, {Queued} messages queued",
                Address, reason, delay.TotalMilliseconds, _queue.Reader.Count);
        }
    }

    private void ChangeState(int state, ulong remoteMemberId)
    {
        if (Interlocked.Exchange(ref _state, state) == state)
        {
            return;
        }
        if (state == Connected)
        {
            Transport.Log.LogInformation("Association to {Address} connected (remote member {RemoteMemberId:x})", Address, remoteMemberId);
            Transport.System.EventStream.Publish(new AssociationConnected(Address));
        }
        else
        {
            Transport.System.EventStream.Publish(new AssociationDisconnected(Address));
        }
    }
}
