using Digest.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Digest.Core.Leasing;

/// <summary>
/// Runs a connection that must be unique across workers — the Telegram long poll, the Discord gateway — only while this
/// worker holds the named lease in the database. The lease is renewed while the work runs; when a renewal finds it taken
/// (this worker stalled past the TTL) or the database stays unreachable past it, the work is cancelled. A worker that
/// dies stops renewing, and another worker takes over once the lease expires: within <see cref="Ttl"/> plus one
/// <see cref="RetryInterval"/>; a worker of the same host takes a dead process's lease at once. The work resumes from state it keeps in the store (<c>bot_state</c>).
/// </summary>
internal sealed partial class LeaseHolder(string name, Func<CancellationToken, Task> work, ILeaseStore store, TimeProvider time, ILogger<LeaseHolder> logger)
    : BackgroundService
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(20);

    /// <summary>How often the holder renews, and how often the others try to take the lease.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    public string Holder { get; } = LocalProcess.NewHolderId();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (await TryStoreAsync(ct => store.TryAcquireOrTakeOverAsync(name, Holder, Ttl, time.GetUtcNow(), ct), stoppingToken))
            {
                LogAcquired(logger, name, Holder);
                await HoldAsync(stoppingToken);
            }

            await Task.Delay(RetryInterval, time, stoppingToken);
        }
    }

    private async Task HoldAsync(CancellationToken stoppingToken)
    {
        using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var running = Task.Run(() => work(held.Token), CancellationToken.None);
        var renewedAt = time.GetUtcNow();
        try
        {
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(RetryInterval, time, stoppingToken));
                if (running.IsCompleted)
                {
                    break;
                }

                var now = time.GetUtcNow();
                var renewed = await TryStoreAsync(ct => store.RenewLeaseAsync(name, Holder, Ttl, now, ct), stoppingToken);
                if (renewed)
                {
                    renewedAt = now;
                }
                else if (now - renewedAt >= Ttl || !await TryStoreAsync(ct => store.TryAcquireLeaseAsync(name, Holder, Ttl, now, ct), stoppingToken))
                {
                    LogLost(logger, name, Holder);
                    return;
                }
            }
        }
        finally
        {
            await held.CancelAsync();
            try
            {
                await running;
            }
            catch (Exception e) when (e is OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (e is not OperationCanceledException)
                {
                    LogWorkFailed(logger, e, name);
                }
            }

            await TryStoreAsync(async ct =>
            {
                await store.ReleaseLeaseAsync(name, Holder, ct);
                return true;
            }, CancellationToken.None);
        }
    }

    /// <summary>A database blip is not a lost lease: it is logged and the caller tries again on its next round.</summary>
    private async Task<bool> TryStoreAsync(Func<CancellationToken, Task<bool>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStoreFailed(logger, e, name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease {Lease} acquired by {Holder}")]
    private static partial void LogAcquired(ILogger logger, string lease, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease} lost by {Holder}; its work is cancelled")]
    private static partial void LogLost(ILogger logger, string lease, string holder);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work under lease {Lease} failed; the lease is released and taken again")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease}: the store could not be reached")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string lease);
}

internal static class LeaseHolderSetup
{
    /// <summary>
    /// Runs <paramref name="work"/> on one worker at a time, under the lease <paramref name="leaseName"/>
    /// (<c>telegram</c>, <c>discord</c>). The work must stop when its token is cancelled.
    /// </summary>
    public static IServiceCollection AddLeasedWork(this IServiceCollection services, string leaseName, Func<IServiceProvider, CancellationToken, Task> work) =>
        services.AddSingleton<IHostedService>(sp => new LeaseHolder(
            leaseName,
            ct => work(sp, ct),
            sp.GetRequiredService<ILeaseStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LeaseHolder>>()));
}
