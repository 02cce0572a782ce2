using System.Globalization;

namespace ActorStore.ClientBench;

/// <summary>Latencies in milliseconds, summarised as the bench's output line.</summary>
public sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public void Add(double milliseconds)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(milliseconds);
        }
    }

    public int Count => _milliseconds.Count;

    public string Summary(TimeSpan elapsed)
    {
        var sorted = _milliseconds.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return string.Create(CultureInfo.InvariantCulture,
            $"requests={sorted.Length} rps={sorted.Length / elapsed.TotalSeconds:F0} p50_ms={At(0.50):F2} p99_ms={At(0.99):F2} max_ms={(sorted.Length == 0 ? 0 : sorted[^1]):F2}");
    }
}
