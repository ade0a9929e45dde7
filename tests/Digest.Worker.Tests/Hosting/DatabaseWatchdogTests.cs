using Digest.Storage;
using Digest.Storage.Sqlite;
using Digest.Worker.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Worker.Tests.Hosting;

/// <summary>The SQLite database file deleted or replaced under the running bot stops it with exit code 4, within one check.</summary>
public sealed class DatabaseWatchdogTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private readonly TestSupport.Cli files = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 12, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly StoppingLifetime lifetime = new();
    private readonly WorkerExit exit = new();
    private DatabaseWatchdog? watchdog;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var store = new SqliteStore($"Data Source={files.Database}");
        await store.MigrateAsync(Ct);
        watchdog = new DatabaseWatchdog(store, exit, lifetime, Options.Create(new StorageOptions { WatchInterval = Interval }), clock, NullLogger<DatabaseWatchdog>.Instance);
        await watchdog.StartAsync(Ct);
    }

    /// <summary>Moves the clock one interval at a time, giving the watchdog a moment after each; whether it stopped the host.</summary>
    private async Task<bool> StoppedWithinAsync(int intervals)
    {
        for (var i = 0; i < intervals; i++)
        {
            clock.Advance(Interval);
            if (await Task.WhenAny(lifetime.Stopped, Task.Delay(TimeSpan.FromMilliseconds(200), Ct)) == lifetime.Stopped)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One interval later the watchdog has stopped the host (the wait is only a guard against a hang).</summary>
    private async Task StoppedAfterOneIntervalAsync()
    {
        clock.Advance(Interval);
        await lifetime.Stopped.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task Watchdog_FileUntouchedThenDeleted_StopsWithExit4NamingTheFileOnlyAfterTheDeletion()
    {
        (await StoppedWithinAsync(4)).ShouldBeFalse("the file is still the one the bot opened");

        File.Delete(files.Database);

        await StoppedAfterOneIntervalAsync();
        exit.Code.ShouldBe(4);
        exit.Reason.ShouldNotBeNull().ShouldContain($"{files.Database} was deleted");
        exit.Reason.ShouldContain("Storage:ConnectionString");
    }

    [Fact]
    public async Task Watchdog_FileReplacedByACopy_StopsWithExit4()
    {
        // Same bytes, same size, same name: only the inode tells it is another file (Linux; elsewhere only deletion is seen).
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("the file's identity (inode) is read on Linux only");
        }

        var copy = files.Database + ".copy";
        File.Copy(files.Database, copy);
        File.Move(copy, files.Database, overwrite: true);

        await StoppedAfterOneIntervalAsync();
        exit.Code.ShouldBe(4);
        exit.Reason.ShouldNotBeNull().ShouldContain("was replaced by another file");
    }

    public async ValueTask DisposeAsync()
    {
        if (watchdog is not null)
        {
            await watchdog.StopAsync(CancellationToken.None);
            watchdog.Dispose();
        }

        files.Dispose();
    }

    private sealed class StoppingLifetime : IHostApplicationLifetime
    {
        private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Stopped => stopped.Task;

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => stopped.TrySetResult();
    }
}
