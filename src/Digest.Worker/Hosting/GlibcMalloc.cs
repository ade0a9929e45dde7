using System.Runtime.InteropServices;

namespace Digest.Worker.Hosting;

/// <summary>
/// The C library's allocator, which SQLite and ONNX Runtime use for their memory; both calls do nothing on other C
/// libraries (musl has neither). <see cref="Limit"/>: the arenas. glibc gives every thread that
/// allocates at the same moment an arena of its own (up to eight per core), and memory freed in one arena is never
/// reused by another: with the thread pool's threads taking turns at SQLite, a `digest run` over 10,000 feeds kept a
/// dozen arenas of 10–65 MB each, most of its resident memory. Two arenas (what <c>MALLOC_ARENA_MAX=2</c> sets) keep
/// native memory in step with what is in use; the managed heap is not affected.
/// </summary>
internal static class GlibcMalloc
{
    /// <summary><c>M_ARENA_MAX</c> from glibc's malloc.h.</summary>
    private const int ArenaMax = -8;

    /// <summary>At most two malloc arenas, unless <c>MALLOC_ARENA_MAX</c> says otherwise; nothing on other C libraries.</summary>
    public static void Limit()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is { Length: > 0 })
        {
            return;
        }

        try
        {
            // 0 when glibc refuses, which leaves its default: nothing to do about it.
            _ = mallopt(ArenaMax, 2);
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
