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

    /// <summary>Tells this process from an earlier one of this host that had the same pid (a container restarted).</summary>
    private static readonly string Instance = Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// A new holder id for this process, <c>host:pid:instance:holder</c>: the pid and this process's instance tell a live
    /// holder from a dead one; the last part tells this holder from others in the process.
    /// </summary>
    public static string NewHolderId() => $"{HostPrefix}{Environment.ProcessId}:{Instance}:{Guid.NewGuid():N}";

    /// <summary>
    /// True when <paramref name="holder"/> names a process of this host that is no longer running: another pid that is
    /// gone, or this pid with another instance (a predecessor that had the same pid). Another host's processes can't be
    /// seen: false.
    /// </summary>
    public static bool IsGone(string holder)
    {
        var host = HostPrefix;
        if (!holder.StartsWith(host, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = holder[host.Length..].Split(':');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        return id == Environment.ProcessId ? parts.Length < 2 || parts[1] != Instance : !IsRunning(id);
    }

    /// <summary>Whether a process of this host with that id runs (the harness asks it of the runs that made its workspaces).</summary>
    public static bool IsRunning(int processId)
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
