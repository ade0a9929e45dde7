using Microsoft.Extensions.Hosting;

namespace Digest.Worker.Hosting;

/// <summary>
/// Hands the C library's free memory back to the system every <see cref="Interval"/>. SQLite and ONNX Runtime allocate
/// and free natively all the time (a page cache per connection, FTS5's merge buffers, the model's parse buffers), and
/// glibc keeps what they free inside its arenas for reuse, where it still counts as the process's resident memory:
/// in a 10,000-feed farm run a single <c>malloc_trim</c> took the bot from 545 MB to 385 MB. Trimming madvises the free
/// pages away (a few milliseconds under the arenas' locks); memory in use is not touched. Nothing on other C libraries.
/// <para>
/// The GC's heap gets the same treatment when it holds much more than it found alive (<see cref="CompactManagedHeap"/>):
/// at 10,000 feeds the clustered window's items and the refresh stage's caches live for hours, so they reach gen 2,
/// and so do the ones that leave them; the background collections that free those do not give the memory back, and
/// the GC had 261 MB committed for 124 MB alive.
/// </para>
/// </summary>
internal sealed class NativeHeapTrimmer(TimeProvider time) : BackgroundService
{
    /// <summary>How often the C heap is trimmed.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the GC heap is looked at (<see cref="CompactManagedHeap"/>: a read of the GC's figures, a compaction only
    /// when one is due). In a 10,000-feed first cycle the process stage's passes leave 15–30 MB a second of dead objects
    /// in gen 2; looked at every <see cref="Interval"/>, the heap went 100–150 MB past the point where a compaction was
    /// due before the next look came.
    /// </summary>
    public static readonly TimeSpan ManagedHeapInterval = TimeSpan.FromSeconds(2);

    /// <summary>Below this much committed GC memory the heap is never compacted here: a small bot never pays for it.</summary>
    public const long CompactAbove = 128L << 20;

    /// <summary>What the last compaction found alive (0: none yet).</summary>
    private long alive;

    /// <summary>The bytes this process had allocated at the last compaction.</summary>
    private long allocatedAtCompaction;

    /// <summary>How many gen-0 collections the GC had made at the last look.</summary>
    private int collectionsAtLastLook;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var timer = new PeriodicTimer(ManagedHeapInterval, time);
        var trimEvery = (int)(Interval / ManagedHeapInterval);
        var trimming = true;
        try
        {
            for (var tick = 1; await timer.WaitForNextTickAsync(stoppingToken); tick++)
            {
                CompactManagedHeap();
                if (trimming && tick % trimEvery == 0)
                {
                    trimming = GlibcMalloc.Trim();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// A full compacting collection that hands the freed memory back (<see cref="GCCollectionMode.Aggressive"/>), when
    /// <see cref="CompactionDue"/>: at most once per <see cref="ManagedHeapInterval"/>, a pause of a few hundred
    /// milliseconds at 10,000 feeds.
    /// </summary>
    private void CompactManagedHeap()
    {
        var collections = GC.CollectionCount(0);
        var quiet = collections == collectionsAtLastLook;
        collectionsAtLastLook = collections;
        var allocated = GC.GetTotalAllocatedBytes();
        if (CompactionDue(GC.GetGCMemoryInfo().TotalCommittedBytes, alive, quiet, allocated - allocatedAtCompaction))
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            alive = GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
            allocatedAtCompaction = GC.GetTotalAllocatedBytes();
            collectionsAtLastLook = GC.CollectionCount(0);
        }
    }

    /// <summary>
    /// Whether the GC holds enough to be worth a compaction: more than <see cref="CompactAbove"/> committed, and either
    /// half as much again as the last compaction found alive (0 before the first), or — once the bot has gone quiet (no
    /// collection since the last look) after allocating at least as much as was alive — one more. A compaction in the
    /// last second of a burst of work finds that work's objects still alive; with nothing allocated afterwards, nothing
    /// collects them until the next poll: 35 MB kept after a 10,000-feed first cycle. The allocation since bounds what the
    /// quiet compactions cost.
    /// </summary>
    internal static bool CompactionDue(long committed, long alive, bool quiet, long allocatedSince) =>
        committed > CompactAbove && (committed > alive + (alive / 2) || (quiet && allocatedSince >= alive));
}
