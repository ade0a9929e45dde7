using System.Collections.Concurrent;
using Digest.Core.Leasing;
using Digest.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Core.Delivery;

/// <summary>
/// Sends the outbox on every worker: one loop per channel with messages, at most <see cref="DeliveryOptions.Concurrency"/>
/// sending at once, so a channel's messages go out in order and no channel waits behind another's rate limit, retry or
/// hung platform. A loop is woken at once by <see cref="OutboxSignal"/> when this worker enqueues, at a failed message's
/// next attempt time, and by a sweep every <see cref="DeliveryOptions.SweepInterval"/> for whatever is due (other
/// workers' messages, claims left by a worker that died). On stop, what was queued goes on being sent until
/// <see cref="ShutdownGrace.Abandoned"/> (3 s later); then sends in flight are cancelled and their messages given back.
/// </summary>
internal sealed partial class DeliveryDispatcher : BackgroundService
{
    private readonly DigestDelivery delivery;
    private readonly IDeliveryStore deliveryStore;
    private readonly ILeaseStore leaseStore;
    private readonly OutboxSignal signal;
    private readonly DeliveryOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<DeliveryDispatcher> logger;
    private readonly PerKeyLoops<long> loops;
    private readonly CancellationTokenSource sending = new();
    private readonly CancellationTokenRegistration? abandoned;
    private readonly ConcurrentDictionary<long, ITimer> retries = new();
    private readonly IHostApplicationLifetime? lifetime;

    /// <param name="lifetime">When given, the first sweep waits for the host to have started (the store is migrated by then).</param>
    /// <param name="shutdown">When given, sends may go on until its <see cref="ShutdownGrace.Abandoned"/>; without, a stop cancels them at once.</param>
    public DeliveryDispatcher(
        DigestDelivery delivery,
        IDeliveryStore deliveryStore,
        ILeaseStore leaseStore,
        OutboxSignal signal,
        IOptions<DeliveryOptions> options,
        TimeProvider time,
        ILogger<DeliveryDispatcher> logger,
        IHostApplicationLifetime? lifetime = null,
        ShutdownGrace? shutdown = null)
    {
        this.lifetime = lifetime;
        abandoned = shutdown?.Abandoned.Register(sending.Cancel);
        this.delivery = delivery;
        this.deliveryStore = deliveryStore;
        this.leaseStore = leaseStore;
        this.signal = signal;
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        loops = new PerKeyLoops<long>(this.options.Concurrency, TurnAsync, logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (lifetime is not null)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await using var onStopping = stoppingToken.Register(() => started.TrySetResult());
            await started.Task;
        }

        await ReleaseDeadClaimsAsync(stoppingToken);
        loops.Start(sending.Token);
        var listening = ListenAsync(stoppingToken);
        await Sweeps.RunAsync(SweepAsync, options.SweepInterval, time, stoppingToken);

        await listening;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // What was queued up to now still goes out if it can within the grace (ShutdownGrace.Abandoned cancels the
        // sends then); without a grace, or when the host gives up first, sends in flight are cancelled at once. A
        // cancelled send gives its message back.
        while (signal.Woken.TryRead(out var channelId))
        {
            loops.Wake(channelId);
        }

        if (abandoned is null)
        {
            await sending.CancelAsync();
        }

        await using var hostGaveUp = cancellationToken.Register(sending.Cancel);
        await loops.StopAsync();
        foreach (var timer in retries.Values)
        {
            await timer.DisposeAsync();
        }
    }

    public override void Dispose()
    {
        abandoned?.Dispose();
        sending.Dispose();
        base.Dispose();
    }

    /// <summary>Before the first send: the claims of this host's processes that died are ended (<see cref="DeadClaims"/>), so their channels, chats and stories go on at once.</summary>
    private async Task ReleaseDeadClaimsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var released = await DeadClaims.ReleaseAsync(leaseStore, time.GetUtcNow(), cancellationToken);
            if (released > 0)
            {
                Log.DeadClaimsReleased(logger, released);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Those claims then expire on their own (DigestDelivery.ClaimTtl and the others').
            Log.SweepFailed(logger, e);
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var channelId in await deliveryStore.GetDueChannelsAsync(time.GetUtcNow(), cancellationToken))
            {
                loops.Wake(channelId);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Log.SweepFailed(logger, e);
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var channelId in signal.Woken.ReadAllAsync(cancellationToken))
            {
                loops.Wake(channelId);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TurnAsync(long channelId, CancellationToken cancellationToken)
    {
        var turn = await delivery.SendNextAsync(channelId, cancellationToken);
        if (turn.RetryAt is { } at)
        {
            WakeAt(channelId, at);
        }

        return turn.MoreMayFollow;
    }

    /// <summary>A failed message's next attempt: its channel's loop is woken then (the sweep would find it too, a little later).</summary>
    private void WakeAt(long channelId, DateTimeOffset at)
    {
        var due = at - time.GetUtcNow();
        ITimer? timer = null;
        timer = time.CreateTimer(
            _ =>
            {
                if (retries.TryRemove(new KeyValuePair<long, ITimer>(channelId, timer!)))
                {
                    timer!.Dispose();
                }

                loops.Wake(channelId);
            },
            null,
            due > TimeSpan.Zero ? due : TimeSpan.Zero,
            Timeout.InfiniteTimeSpan);
        if (retries.TryGetValue(channelId, out var previous) && retries.TryUpdate(channelId, timer, previous))
        {
            previous.Dispose();
        }
        else
        {
            retries.TryAdd(channelId, timer);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Work left unfinished by {Processes} process(es) of this host that are gone was taken back: their messages, updates and story refreshes go on now")]
        public static partial void DeadClaimsReleased(ILogger logger, int processes);

        [LoggerMessage(Level = LogLevel.Error, Message = "Outbox sweep failed; trying again at the next one")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
