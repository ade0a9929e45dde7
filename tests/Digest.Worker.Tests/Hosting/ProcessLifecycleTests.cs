using Digest.Tests.Shared;
using Digest.Worker.Tests.ScaleOut;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Digest.Worker.Tests.Hosting;

/// <summary>
/// How a real <c>digest run</c> process starts and ends, as a service manager sees it: its exit code and its last lines
/// on standard error. A stop (SIGTERM) during startup is a clean exit, a database file deleted under it stops it with
/// exit code 4, a database it cannot use stops it with exit code 3 — never an unhandled exception (exit 134).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProcessLifecycleTests(PostgresCluster cluster) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TestSupport.Cli files = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void ShouldHaveNoStackTrace(WorkerProcess worker)
    {
        // The runtime's report of a crash: "Unhandled exception. …" and the stack trace, one frame a line.
        worker.Errors.ShouldNotContain(l => l.StartsWith("Unhandled exception.", StringComparison.Ordinal) || l.StartsWith("   at ", StringComparison.Ordinal));
    }

    /// <summary>Whether the process has <paramref name="file"/> open: SQLite has begun opening the database.</summary>
    private static bool HasOpen(WorkerProcess worker, string file)
    {
        try
        {
            return new DirectoryInfo($"/proc/{worker.Id}/fd").EnumerateFileSystemInfos().Any(fd => fd.LinkTarget == file);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Run_DatabaseFileDeletedWhileRunning_LogsAnErrorAndExits4()
    {
        using var worker = WorkerProcess.Start([$"--Storage:ConnectionString=Data Source={files.Database}", "--Storage:WatchInterval=00:00:01"]);
        await Workers.WaitUntilAsync(() => Task.FromResult(worker.Errors.Any(l => l.Contains("Digest started", StringComparison.Ordinal))), "the worker to start", Patience, [worker]);

        File.Delete(files.Database);

        var exit = await worker.WaitForExitAsync(Patience);
        exit.ShouldBe(4, Workers.Logs([worker]));
        worker.Errors.ShouldContain(l => l.Contains(" fail: ", StringComparison.Ordinal) && l.Contains($"{files.Database} was deleted", StringComparison.Ordinal), Workers.Logs([worker]));
        worker.Errors.Last().ShouldBe($"Storage error: Storage:ConnectionString: the database {files.Database} was deleted while the bot was running");
        ShouldHaveNoStackTrace(worker);
    }

    [Fact]
    public async Task Run_SecondWorkerOnTheSameSqliteFile_OneLineAndExits3_FirstGoesOn()
    {
        using var first = WorkerProcess.Start([$"--Storage:ConnectionString=Data Source={files.Database}"]);
        await Workers.WaitUntilAsync(() => Task.FromResult(first.Errors.Any(l => l.Contains("Digest started", StringComparison.Ordinal))), "the first worker to start", Patience, [first]);

        using var second = WorkerProcess.Start([$"--Storage:ConnectionString=Data Source={files.Database}"]);
        var secondExit = await second.WaitForExitAsync(Patience);

        secondExit.ShouldBe(3, Workers.Logs([second]));
        second.Errors.ShouldHaveSingleItem().ShouldStartWith($"Storage error: Storage:ConnectionString: another digest run is using {files.Database}");
        await first.TerminateAsync();
        (await first.WaitForExitAsync(Patience)).ShouldBe(0, Workers.Logs([first]));
    }

    [Fact]
    public async Task Run_WebPortInUse_OneLineAndExits3_NeverSaysStarted()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        using var worker = WorkerProcess.Start([$"--Storage:ConnectionString=Data Source={files.Database}", $"--Web:Urls=http://127.0.0.1:{port}"]);

        var exit = await worker.WaitForExitAsync(Patience);

        exit.ShouldBe(3, Workers.Logs([worker]));
        worker.Errors.Last().ShouldStartWith($"Configuration error: Web:Urls: Failed to bind to address http://127.0.0.1:{port}");
        worker.Errors.ShouldNotContain(l => l.Contains("Digest started", StringComparison.Ordinal), Workers.Logs([worker]));
        ShouldHaveNoStackTrace(worker);
    }

    [Fact]
    public async Task Run_CorruptDatabaseFile_OneLineAndExits3()
    {
        await File.WriteAllTextAsync(files.Database, string.Concat(Enumerable.Repeat("not a database ", 500)), Ct);
        using var worker = WorkerProcess.Start([$"--Storage:ConnectionString=Data Source={files.Database}"]);

        var exit = await worker.WaitForExitAsync(Patience);

        exit.ShouldBe(3, Workers.Logs([worker]));
        worker.Errors.ShouldHaveSingleItem().ShouldStartWith($"Storage error: Storage:ConnectionString: {files.Database} is not a SQLite database");
    }

    [Fact]
    public async Task Run_SigtermWhileTheDatabaseIsLockedAtStartup_ExitsCleanly()
    {
        // Another process holds the database's write lock: the worker's migration waits on it.
        await using var holder = new SqliteConnection($"Data Source={files.Database};Pooling=false");
        await holder.OpenAsync(Ct);
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync(Ct);
        }

        using var worker = WorkerProcess.Start([$"--Storage:ConnectionString=Data Source={files.Database}"]);
        await Workers.WaitUntilAsync(() => Task.FromResult(HasOpen(worker, files.Database)), "the worker to open the database", Patience, [worker]);

        await worker.TerminateAsync();

        var exit = await worker.WaitForExitAsync(Patience);
        exit.ShouldBe(0, Workers.Logs([worker]));
        worker.Errors.ShouldContain(l => l.StartsWith("Stopped", StringComparison.Ordinal));
        ShouldHaveNoStackTrace(worker);
    }

    [Fact]
    public async Task Run_SigtermWhileWaitingForAnotherWorkersMigration_ExitsCleanly()
    {
        if (cluster.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        // Another worker is migrating: it holds the migration lock, so this one waits for it.
        var connectionString = await cluster.CreateDatabaseAsync("startup_stop");
        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync(Ct);
        await using (var lockIt = new NpgsqlCommand("SELECT pg_advisory_lock(230271836225537)", other))
        {
            await lockIt.ExecuteNonQueryAsync(Ct);
        }

        using var worker = WorkerProcess.Start(["--Storage:Provider=postgres", $"--Storage:ConnectionString={connectionString}"]);
        await Workers.WaitUntilAsync(
            async () => (long)(await Workers.ScalarAsync(connectionString, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))! > 0,
            "the worker to wait for the migration lock",
            Patience,
            [worker]);

        await worker.TerminateAsync();

        var exit = await worker.WaitForExitAsync(Patience);
        exit.ShouldBe(0, Workers.Logs([worker]));
        worker.Errors.ShouldContain("Stopped during startup.");
        ShouldHaveNoStackTrace(worker);
    }

    public void Dispose() => files.Dispose();
}
