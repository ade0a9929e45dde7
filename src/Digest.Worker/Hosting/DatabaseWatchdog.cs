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
    private PeriodicTimer? timer;
    private FileIdentity? opened;

    /// <summary>
    /// Takes the file's identity and starts the clock here, not in <see cref="ExecuteAsync"/>: that runs on another thread,
    /// so whatever happens to the file between the start and its first line would go unnoticed.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is SqliteStore { DatabaseFile: { } path } sqlite)
        {
            // The file as the bot opened it when it migrated it at startup.
            opened = sqlite.OpenedFile ?? FileIdentity.Of(path);
            timer = new PeriodicTimer(options.Value.WatchInterval, time);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (timer is null || store is not SqliteStore { DatabaseFile: { } path })
        {
            return;
        }

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

                var fault = now is null ? "was deleted" : now.Value.SameFileAs(opened.Value) ? null : "was replaced by another file (or deleted, and another put in its place)";
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
