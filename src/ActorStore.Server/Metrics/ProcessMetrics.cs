using System.Diagnostics;
using Prometheus;

namespace ActorStore.Server.Metrics;

/// <summary>
/// The process_* series Prometheus' Go client exports (and etcd with it), with its names and help texts, read at
/// each scrape from the runtime and, on Linux, /proc.
/// </summary>
internal static class ProcessMetrics
{
    public static void Register(IMetricFactory factory, CollectorRegistry registry)
    {
        var cpu = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        var maxFds = factory.CreateGauge("process_max_fds", "Maximum number of open file descriptors.");
        var openFds = factory.CreateGauge("process_open_fds", "Number of open file descriptors.");
        var resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var start = factory.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        var virtualBytes = factory.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        var virtualMax = factory.CreateGauge("process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.");

        using (var self = Process.GetCurrentProcess())
        {
            start.Set(new DateTimeOffset(self.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        }
        maxFds.Set(ReadSoftLimit("Max open files"));
        virtualMax.Set(ReadSoftLimit("Max address space"));

        registry.AddBeforeCollectCallback(() =>
        {
            using var self = Process.GetCurrentProcess();
            cpu.IncTo(self.TotalProcessorTime.TotalSeconds);
            resident.Set(self.WorkingSet64);
            virtualBytes.Set(self.VirtualMemorySize64);
            openFds.Set(CountOpenFiles());
        });
    }

    private static int CountOpenFiles()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A soft limit from /proc/self/limits; "unlimited" is reported as Go's client does (-1 wraps to 2^64-1).</summary>
    private static double ReadSoftLimit(string name)
    {
        try
        {
            if (!File.Exists("/proc/self/limits"))
            {
                return 0;
            }
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith(name, StringComparison.Ordinal))
                {
                    continue;
                }
                var soft = line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return soft == "unlimited" ? 1.8446744073709552e19 : double.Parse(soft, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }
}
