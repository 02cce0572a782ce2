using System.Runtime.InteropServices;
using Prometheus;

namespace ActorStore.Server.Metrics;

/// <summary>
/// The .NET runtime's counterparts of the go_* series etcd exports (threads, heap, allocations, collections and their
/// pauses, the runtime version), under dotnet_* names since they measure a different runtime; read at each scrape.
/// </summary>
internal static class RuntimeMetrics
{
    public static void Register(IMetricFactory factory, CollectorRegistry registry)
    {
        factory.CreateGauge("dotnet_info", "Information about the .NET runtime (go_info's counterpart).", ["version"])
            .WithLabels(RuntimeInformation.FrameworkDescription).Set(1);
        var threads = factory.CreateGauge("dotnet_threadpool_threads", "Thread pool threads (go_threads' counterpart).");
        var queued = factory.CreateGauge("dotnet_threadpool_queue_length", "Work items waiting for a thread pool thread (runnable goroutines' counterpart).");
        var heap = factory.CreateGauge("dotnet_gc_heap_size_bytes", "Bytes allocated on the managed heap and not known to be free (go_memstats_heap_alloc_bytes' counterpart).");
        var committed = factory.CreateGauge("dotnet_gc_committed_bytes", "Bytes the garbage collector had committed from the OS at the last collection (go_memstats_sys_bytes' counterpart).");
        var allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap (go_memstats_alloc_bytes_total's counterpart).");
        var collections = factory.CreateCounter("dotnet_gc_collections_total", "Garbage collections by generation (go_gc_duration_seconds_count's counterpart).", ["generation"]);
        var paused = factory.CreateCounter("dotnet_gc_pause_seconds_total", "Time the runtime was paused for garbage collection (go_gc_duration_seconds_sum's counterpart).");
        var byGeneration = new[] { "0", "1", "2" }.Select(generation => collections.WithLabels(generation)).ToArray();

        registry.AddBeforeCollectCallback(() =>
        {
            threads.Set(ThreadPool.ThreadCount);
            queued.Set(ThreadPool.PendingWorkItemCount);
            var info = GC.GetGCMemoryInfo();
            heap.Set(GC.GetTotalMemory(forceFullCollection: false));
            committed.Set(info.TotalCommittedBytes);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            for (var generation = 0; generation < byGeneration.Length; generation++)
            {
                byGeneration[generation].IncTo(GC.CollectionCount(generation));
            }
            paused.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
        });
    }
}
