using Digest.Storage.Sqlite;
using Digest.Core.Leasing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Worker.Tests.ScaleOut;

public sealed class LeaseHolderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 12, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly string directory = Directory.CreateTempSubdirectory("digest-lease-").FullName;

    /// <summary>A worker's connection under the lease: records when it started, by its worker's clock, and whether it was cancelled.</summary>
    private sealed class Connection(TimeProvider clock)
    {
        public TaskCompletionSource<DateTimeOffset> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            Started.TrySetResult(clock.GetUtcNow());
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Cancelled.TrySetResult();
            }
        }
    }

    /// <summary>Moves a worker's clock a second at a time, letting its lease loop run between steps, until the condition holds or the limit is reached.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> condition, TimeSpan limit)
    {
        var end = clock.GetUtcNow() + limit;
        while (!condition() && clock.GetUtcNow() < end)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            for (var spin = 0; spin < 20 && !condition(); spin++)
            {
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }
        }
    }

    [Fact]
    public async Task LeaseHolder_FirstWorkerStopsRenewing_SecondTakesOverWithinTheTtlAndTheFirstIsCancelled()
    {
        var store = new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}");
        await store.MigrateAsync(TestContext.Current.CancellationToken);

        // Each worker has its own clock: the first one's stands still, as a dead or frozen process's would, so it never renews.
        var clockA = new FakeTimeProvider(T0);
        var clockB = new FakeTimeProvider(T0);
        var a = new Connection(clockA);
        var b = new Connection(clockB);
        using var holderA = new LeaseHolder("telegram", a.RunAsync, store, clockA, NullLogger<LeaseHolder>.Instance);
        using var holderB = new LeaseHolder("telegram", b.RunAsync, store, clockB, NullLogger<LeaseHolder>.Instance);
        await holderA.StartAsync(TestContext.Current.CancellationToken);
        await a.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await holderB.StartAsync(TestContext.Current.CancellationToken);

        await AdvanceUntilAsync(clockB, () => b.Started.Task.IsCompleted, LeaseHolder.Ttl + LeaseHolder.RetryInterval + TimeSpan.FromSeconds(5));
        await AdvanceUntilAsync(clockA, () => a.Cancelled.Task.IsCompleted, LeaseHolder.RetryInterval + TimeSpan.FromSeconds(1));

        b.Started.Task.IsCompleted.ShouldBeTrue("the second worker never took the lease over");
        var takeover = await b.Started.Task - T0;
        takeover.ShouldBeGreaterThanOrEqualTo(LeaseHolder.Ttl);
        takeover.ShouldBeLessThanOrEqualTo(LeaseHolder.Ttl + LeaseHolder.RetryInterval + TimeSpan.FromSeconds(1));
        takeover.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        a.Cancelled.Task.IsCompleted.ShouldBeTrue("the first worker kept its connection after losing the lease");
        b.Cancelled.Task.IsCompleted.ShouldBeFalse();

        await holderB.StopAsync(TestContext.Current.CancellationToken);
        await holderA.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task LeaseHolder_Stopped_ReleasesSoAnotherWorkerTakesOverAtOnce()
    {
        var store = new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}");
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        var clock = new FakeTimeProvider(T0);
        var a = new Connection(clock);
        using var holderA = new LeaseHolder("discord", a.RunAsync, store, clock, NullLogger<LeaseHolder>.Instance);
        await holderA.StartAsync(TestContext.Current.CancellationToken);
        await a.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        await holderA.StopAsync(TestContext.Current.CancellationToken);

        a.Cancelled.Task.IsCompleted.ShouldBeTrue();
        (await store.TryAcquireLeaseAsync("discord", "worker-b", LeaseHolder.Ttl, T0.AddSeconds(1), TestContext.Current.CancellationToken)).ShouldBeTrue();
    }

    [Fact]
    public async Task LeaseOfADeadProcessOfThisHost_TakenAtOnce_LiveOrOtherHostsLeasesWaitForTheirTtl()
    {
        var store = new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}");
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        var host = Environment.MachineName;

        // A process of this host that held leases and is gone, as after kill -9.
        using var finished = System.Diagnostics.Process.Start("true")!;
        await finished.WaitForExitAsync(TestContext.Current.CancellationToken);
        using var alive = System.Diagnostics.Process.Start("sleep", "60")!;
        try
        {
            var dead = $"{host}:{finished.Id}:old";
            var live = $"{host}:{alive.Id}:other";
            var remote = "another-host:1:other";
            (await store.TryAcquireLeaseAsync("telegram", dead, LeaseHolder.Ttl, T0, TestContext.Current.CancellationToken)).ShouldBeTrue();
            (await store.TryAcquireLeaseAsync("discord", live, LeaseHolder.Ttl, T0, TestContext.Current.CancellationToken)).ShouldBeTrue();
            (await store.TryAcquireLeaseAsync("pipeline", remote, LeaseHolder.Ttl, T0, TestContext.Current.CancellationToken)).ShouldBeTrue();

            var me = $"{host}:{Environment.ProcessId}:new";
            var soon = T0 + TimeSpan.FromSeconds(1);
            (await store.TryAcquireOrTakeOverAsync("telegram", me, LeaseHolder.Ttl, soon, TestContext.Current.CancellationToken)).ShouldBeTrue("a dead process's lease is taken at once");
            (await store.TryAcquireOrTakeOverAsync("discord", me, LeaseHolder.Ttl, soon, TestContext.Current.CancellationToken)).ShouldBeFalse("a live process keeps its lease");
            (await store.TryAcquireOrTakeOverAsync("pipeline", me, LeaseHolder.Ttl, soon, TestContext.Current.CancellationToken)).ShouldBeFalse("another host's process can't be seen, so its lease runs out first");

            var leases = await store.GetLeasesAsync(TestContext.Current.CancellationToken);
            leases.Single(l => l.Name == "telegram").Holder.ShouldBe(me);
            leases.Single(l => l.Name == "discord").Holder.ShouldBe(live);
            (await store.TryAcquireOrTakeOverAsync("pipeline", me, LeaseHolder.Ttl, T0 + LeaseHolder.Ttl + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken)).ShouldBeTrue();
        }
        finally
        {
            alive.Kill();
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
