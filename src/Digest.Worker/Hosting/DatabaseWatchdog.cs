using System.Runtime.InteropServices;
using Digest.Core.Storage;
using Digest.Storage;
using Digest.Storage.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Worker.Hosting;

/// <summary>
/// Notices a SQLite database file deleted or replaced while the bot runs. SQLite keeps using the file it opened (gone
/// from the folder), while every new connection would create an empty database at the path: the bot would carry on half
/// in one and half in the other. So every <see cref="StorageOptions.WatchInterval"/> the file at the path is compared
/// with the one the bot opened (device and inode); when it is gone or another, the watchdog logs an error and stops the
/// worker with exit code 4. PostgreSQL needs no watchdog: an outage there is retried.
/// </summary>
internal sealed partial class DatabaseWatchdog(
    IDigestStore store,
    WorkerExit exit,
    IHostApplicationLifetime lifetime,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<DatabaseWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not SqliteStore { DatabaseFile: { } path })
        {
            return;
        }

        // The file as the bot opened it: startup has migrated it before this service starts.
        var opened = FileIdentity.Of(path);
        using var timer = new PeriodicTimer(options.Value.WatchInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = FileIdentity.Of(path);
                if (opened is null)
                {
                    opened = now;
                    continue;
                }

                var fault = now is null ? "was deleted" : now.Value.SameFileAs(opened.Value) ? null : "was replaced by another file";
                if (fault is not null)
                {
                    LogLost(logger, path, fault);
                    exit.Fail(WorkerExit.StorageLost, $"{StorageFaults.Setting}: the database {path} {fault} while the bot was running");
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The database file {Path} {Fault} while the bot was running: stopping. Restore the file (or start again on a new, empty database)")]
    private static partial void LogLost(ILogger logger, string path, string fault);
}

/// <summary>
/// Which file a path names: device and inode where the system says (Linux, through <c>statx</c>), else only whether it
/// exists. Null when nothing is at the path.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, bool Known)
{
    public bool SameFileAs(FileIdentity other) => !Known || !other.Known || (Device == other.Device && Inode == other.Inode);

    public static FileIdentity? Of(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return OperatingSystem.IsLinux() && Native.Statx(path) is { } known ? known : new FileIdentity(0, 0, Known: false);
    }

    private static class Native
    {
        private const int AtFdcwd = -100;
        private const uint StatxIno = 0x100;

        /// <summary><c>struct statx</c> has one layout on every Linux architecture: 256 bytes, stx_ino at 32, stx_dev_major/minor at 136/140.</summary>
        public static FileIdentity? Statx(string path)
        {
            var buffer = new byte[256];
            try
            {
                if (statx(AtFdcwd, path, 0, StatxIno, buffer) != 0)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                return null;
            }

            var inode = BitConverter.ToUInt64(buffer, 32);
            var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
            return new FileIdentity(device, inode, Known: true);
        }

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int statx(int dirfd, string pathname, int flags, uint mask, byte[] statxbuf);
    }
}

/// <summary>Why the worker stopped on its own with a failure: read by the CLI for its exit code.</summary>
internal sealed class WorkerExit
{
    /// <summary>The database was deleted or replaced under the running worker.</summary>
    public const int StorageLost = 4;

    public int Code { get; private set; }

    public string? Reason { get; private set; }

    public void Fail(int code, string reason)
    {
        Code = code;
        Reason = reason;
    }
}
