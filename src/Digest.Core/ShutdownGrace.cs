using Microsoft.Extensions.Hosting;

namespace Digest.Core;

/// <summary>
/// How the bot stops (SIGTERM, Ctrl-C; the host gives every service <c>DigestHost.ShutdownTimeout</c>, 5 s, in all):
/// <see cref="Stopping"/> fires at once, and nothing new may start after it (no next poll, no next message); work already
/// in flight — a send on the wire — may use <see cref="Abandoned"/> instead, which fires <see cref="Grace"/> later, to
/// finish; when it fires the work gives back what it holds (an outbox claim, a lease) so a restart or another worker
/// takes it over at once.
/// </summary>
internal sealed class ShutdownGrace : IDisposable
{
    /// <summary>What in-flight work gets after a stop is asked for; well inside the host's 5 s, so releasing still fits.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource abandoned;
    private readonly CancellationTokenRegistration registration;

    public ShutdownGrace(IHostApplicationLifetime lifetime, TimeProvider time)
    {
        Stopping = lifetime.ApplicationStopping;
        abandoned = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        registration = Stopping.Register(() => abandoned.CancelAfter(Grace));
    }

    /// <summary>Fires when a stop is asked for: start nothing new.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Fires <see cref="Grace"/> after <see cref="Stopping"/>: give up what is in flight and release it.</summary>
    public CancellationToken Abandoned => abandoned.Token;

    public void Dispose()
    {
        registration.Dispose();
        abandoned.Dispose();
    }
}
