using System.Globalization;

namespace Digest.Core;

/// <summary>
/// Who holds a claim or a lease, as <c>host:pid:…</c>, and whether that holder is a process of this host that is gone
/// (kill -9, a crash, a container restarted): its claims and leases can be taken at once instead of when they expire.
/// </summary>
internal static class LocalProcess
{
    /// <summary>This host's prefix of a holder id.</summary>
    public static string HostPrefix => $"{Environment.MachineName}:";

    /// <summary>A new holder id for this process: host, pid, and a part that tells this holder from others in the process.</summary>
    public static string NewHolderId() => $"{HostPrefix}{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>True when <paramref name="holder"/> names another process of this host that is no longer running; another host's processes can't be seen: false.</summary>
    public static bool IsGone(string holder) => ProcessOf(holder) is { } id && id != Environment.ProcessId && !IsRunning(id);

    /// <summary>True when <paramref name="holder"/> names this host and this process's pid (this process, or a predecessor that had the same pid).</summary>
    public static bool IsThisProcess(string holder) => ProcessOf(holder) == Environment.ProcessId;

    private static int? ProcessOf(string holder)
    {
        var host = HostPrefix;
        return holder.StartsWith(host, StringComparison.Ordinal)
            && int.TryParse(holder[host.Length..].Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
