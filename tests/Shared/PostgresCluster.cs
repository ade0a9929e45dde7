using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Digest.Tests.Shared;

/// <summary>
/// (Linked into each test project that needs it: Digest.Storage.Tests, Digest.Worker.Tests.)
/// A throwaway PostgreSQL cluster from the machine's binaries: initdb and pg_ctl in a temp directory, a free port, the
/// unix socket in the temp directory, fsync off. Started once per test collection, stopped at its end. When the binaries
/// are absent, <see cref="SkipReason"/> says so and the PostgreSQL tests skip with it. initdb refuses to run as root, so
/// as root the server runs as the <c>postgres</c> user the package creates.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private string? directory;
    private string? binaries;
    private bool asPostgresUser;
    private int databases;

    public string? SkipReason { get; private set; }

    public int Port { get; private set; }

    public async ValueTask InitializeAsync()
    {
        binaries = FindBinaries();
        if (binaries is null)
        {
            SkipReason = "PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin or PG_BIN; install the postgresql package";
            return;
        }

        asPostgresUser = IsRoot();
        if (asPostgresUser && await RunAsync("id", ["-u", "postgres"], asUser: false) != 0)
        {
            SkipReason = "running as root and there is no 'postgres' user to run initdb as";
            return;
        }

        directory = Directory.CreateTempSubdirectory("digest-pg-").FullName;
        if (asPostgresUser)
        {
            await RunCheckedAsync("chown", ["-R", "postgres:", directory], asUser: false);
        }

        Port = FreePort();
        var data = Path.Combine(directory, "data");
        await RunCheckedAsync(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
        await StartAsync();
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>: same port, same data.</summary>
    public async Task StartAsync()
    {
        var settings = $"-p {Port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunCheckedAsync(Path.Combine(binaries!, "pg_ctl"), ["-D", Path.Combine(directory!, "data"), "-l", Path.Combine(directory!, "server.log"), "-o", settings, "-w", "-t", "60", "start"]);
    }

    /// <summary>An outage: the server stops at once (clients are disconnected) until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        await RunCheckedAsync(Path.Combine(binaries!, "pg_ctl"), ["-D", Path.Combine(directory!, "data"), "-m", "fast", "-w", "stop"]);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A fresh, empty database on the cluster, so tests never see each other's rows.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Interlocked.Increment(ref databases)}");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true, MaxPoolSize = 20 }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (directory is null || binaries is null)
        {
            return;
        }

        await RunAsync(Path.Combine(binaries, "pg_ctl"), ["-D", Path.Combine(directory, "data"), "-m", "immediate", "-w", "stop"], asPostgresUser);
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindBinaries()
    {
        var candidates = Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured
            ? [configured]
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderByDescending(d => d, StringComparer.Ordinal).ToArray()
                : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static bool IsRoot() =>
        File.Exists("/proc/self/status") && File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunCheckedAsync(string file, string[] args) => RunCheckedAsync(file, args, asPostgresUser);

    private static async Task RunCheckedAsync(string file, string[] args, bool asUser)
    {
        var (exit, output) = await RunWithOutputAsync(file, args, asUser);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {exit}: {output}");
        }
    }

    private static async Task<int> RunAsync(string file, string[] args, bool asUser) => (await RunWithOutputAsync(file, args, asUser)).Exit;

    private static async Task<(int Exit, string Output)> RunWithOutputAsync(string file, string[] args, bool asUser)
    {
        var start = new ProcessStartInfo(asUser ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asUser)
        {
            foreach (var word in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(word);
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
