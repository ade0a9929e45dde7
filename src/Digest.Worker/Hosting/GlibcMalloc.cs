using System.Runtime.InteropServices;

namespace Digest.Worker.Hosting;

/// <summary>
/// The C library's allocator, which SQLite and ONNX Runtime use for their memory; both calls do nothing on other C
/// libraries (musl has neither). <see cref="Limit"/> sets two things:
/// <list type="bullet">
/// <item>The arenas. glibc gives every thread that allocates at the same moment an arena of its own (up to eight per
/// core), and memory freed in one arena is never reused by another: with the thread pool's threads taking turns at
/// SQLite, a `digest run` over 10,000 feeds kept a dozen arenas of 10–65 MB each, most of its resident memory. Two
/// arenas (what <c>MALLOC_ARENA_MAX=2</c> sets) keep native memory in step with what is in use.</item>
/// <item>The size from which a block gets its own mapping, returned to the system when freed: 1 MB, fixed (what
/// <c>MALLOC_MMAP_THRESHOLD_=1048576</c> sets). glibc's default starts at 128 KB and rises to the largest block freed
/// (up to 32 MB), after which big blocks come from the heap, which keeps them once freed until the next
/// <see cref="Trim"/>: during `digest run`'s first cycle that freed-but-kept memory climbed by 90 MB in 2–3 s. At 1 MB
/// the peak of `farm --quick` went from 349 to 269 MB and `once`'s from 243–257 to 218–225 MB for the same CPU
/// (README, *Peak memory of `digest run`*); 128 KB saved about as much but cost the sentence model half as much CPU
/// again (its tensors of a few hundred KB each mapped and unmapped on every run).</item>
/// </list>
/// The managed heap is not affected. An environment variable the operator set wins over either.
/// </summary>
internal static class GlibcMalloc
{
    /// <summary><c>M_ARENA_MAX</c> from glibc's malloc.h.</summary>
    private const int ArenaMax = -8;

    /// <summary><c>M_MMAP_THRESHOLD</c> from glibc's malloc.h.</summary>
    private const int MmapThreshold = -3;

    /// <summary>The mapping threshold set, in bytes.</summary>
    internal const int OwnMappingFrom = 1 << 20;

    /// <summary>At most two malloc arenas and a fixed 1-MB mapping threshold, each unless its environment variable says otherwise; nothing on other C libraries.</summary>
    public static void Limit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // 0 when glibc refuses, which leaves its default: nothing to do about it.
            if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not { Length: > 0 })
            {
                _ = mallopt(ArenaMax, 2);
            }

            if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not { Length: > 0 })
            {
                _ = mallopt(MmapThreshold, OwnMappingFrom);
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // musl (Alpine) has no mallopt, nor glibc's per-thread arenas.
        }
    }

    /// <summary>Returns free C-heap memory to the system (<see cref="NativeHeapTrimmer"/>); false where the C library has no <c>malloc_trim</c>.</summary>
    public static bool Trim()
    {
        try
        {
            _ = malloc_trim(0);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int mallopt(int param, int value);

    [DllImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int malloc_trim(nuint pad);
}
