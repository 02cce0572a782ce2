using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Net.Client;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// A write load over gRPC against every member of a cluster, as a client with failover does it: each writer puts
/// fresh keys in a loop through one member and moves to the next member when a call fails or times out. Every
/// acknowledged put is recorded with its revision and times (on one monotonic clock), so a test can measure how long
/// writes stopped and check that none of the acknowledged ones was lost.
/// </summary>
public sealed class FailoverWriter : IAsyncDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly string _keyPrefix;
    private readonly int _writers;
    private readonly TimeSpan _callTimeout;
    private readonly Stopwatch _clock = new();
    private readonly List<AcknowledgedWrite> _acknowledged = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private int _failures;

    public FailoverWriter(IReadOnlyList<string> endpoints, string keyPrefix, int writers = 3, TimeSpan? callTimeout = null)
    {
        _channels = endpoints
            .Select(endpoint => GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) },
            }))
            .ToArray();
        _keyPrefix = keyPrefix;
        _writers = writers;
        _callTimeout = callTimeout ?? TimeSpan.FromMilliseconds(500);
    }

    /// <summary>Time on the writer's clock, which started with <see cref="Start"/>.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public int Failures => Volatile.Read(ref _failures);

    public IReadOnlyList<AcknowledgedWrite> Acknowledged
    {
        get
        {
            lock (_acknowledged)
            {
                return _acknowledged.ToArray();
            }
        }
    }

    public void Start()
    {
        _clock.Start();
        // Writer i starts on member i, so every member takes writes.
        _running = Task.WhenAll(Enumerable.Range(0, _writers).Select(writer => Task.Run(() => WriteAsync(writer))));
    }

    /// <summary>Waits until <paramref name="count"/> puts sent at or after <paramref name="since"/> were acknowledged.</summary>
    public async Task WaitForAcknowledgementsAsync(TimeSpan since, int count, TimeSpan timeout)
    {
        await Eventually.GetAsync(
            () => Task.FromResult(Acknowledged.Count(write => write.SentAt >= since) >= count ? this : null),
            timeout,
            () => $"{count} writes acknowledged after {since}: {Acknowledged.Count} in all, {Failures} failed calls");
    }

    /// <summary>The first acknowledged put that was sent at or after <paramref name="since"/>.</summary>
    public AcknowledgedWrite? FirstSentAfter(TimeSpan since) =>
        Acknowledged.Where(write => write.SentAt >= since).MinBy(write => write.AckedAt);

    /// <summary>The longest stretch without any acknowledgement, from the first to the last one.</summary>
    public TimeSpan LongestSilence()
    {
        var times = Acknowledged.Select(write => write.AckedAt).Order().ToArray();
        return times.Zip(times.Skip(1), (before, after) => after - before).DefaultIfEmpty().Max();
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        _stop.Dispose();
    }

    private async Task WriteAsync(int writer)
    {
        var member = writer % _channels.Length;
        for (var sequence = 0; !_stop.IsCancellationRequested; sequence++)
        {
            // A key is never tried twice: an unacknowledged put may or may not have landed, an acknowledged one must have.
            var key = $"{_keyPrefix}{writer}/{sequence:D7}";
            var value = $"w{writer}-{sequence}";
            var sentAt = Now;
            try
            {
                var response = await new KV.KVClient(_channels[member]).PutAsync(
                    new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) },
                    deadline: DateTime.UtcNow + _callTimeout,
                    cancellationToken: _stop.Token);
                var acknowledged = new AcknowledgedWrite(key, value, response.Header.Revision, _channels[member].Target, sentAt, Now);
                lock (_acknowledged)
                {
                    _acknowledged.Add(acknowledged);
                }
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                member = (member + 1) % _channels.Length;
                // A refused connection fails at once; without a pause a writer would spin on dead members.
                await Task.Delay(10);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
