using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Digest.Worker.Tests.ScaleOut;

/// <summary>What the multi-process tests ask of their workers and their database.</summary>
internal static class Workers
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Polls <paramref name="condition"/> until it holds; past <paramref name="within"/> fails with the workers' last log lines.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan within, IEnumerable<WorkerProcess> workers)
    {
        var clock = Stopwatch.StartNew();
        TestContext.Current.TestOutputHelper?.WriteLine($"waiting for {what}");
        while (!await condition())
        {
            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"Gave up waiting for {what}. Worker logs:\n{Logs(workers)}");
            }

            await Task.Delay(100, Ct);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{what}: {clock.Elapsed}");
    }

    public static string Logs(IEnumerable<WorkerProcess> workers) =>
        string.Join("\n", workers.SelectMany(w => w.Errors.TakeLast(15).Select(l => $"[{w.Id}] {l}")));

    /// <summary>One value from the shared database; null before the workers have migrated it.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            return await command.ExecuteScalarAsync(Ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    /// <summary>The process holding a lease: its holder is <c>machine:pid:instance:holder</c>.</summary>
    public static async Task<int?> LeaseHolderPidAsync(string connectionString, string lease) =>
        await ScalarAsync(connectionString, $"SELECT holder FROM leases WHERE name = '{lease}'") is string holder && holder.Split(':') is [_, var pid, ..]
            ? int.Parse(pid, CultureInfo.InvariantCulture)
            : null;
}
