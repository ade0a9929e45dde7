namespace Digest.Discord.Tests.TestSupport;

/// <summary>
/// Real time, shrunk: every timer (Task.Delay, timeouts) fires after <c>duration × factor</c>. For the gateway, where
/// a real WebSocket and Discord's own intervals (heartbeats, 1–5 s re-identify, backoff) meet and a fake clock would race.
/// </summary>
internal sealed class ScaledTimeProvider(double factor) : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan value) => value == Timeout.InfiniteTimeSpan || value <= TimeSpan.Zero ? value : value * factor;
}
