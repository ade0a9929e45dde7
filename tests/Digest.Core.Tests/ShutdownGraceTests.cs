using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Core.Tests;

/// <summary>A stop: nothing new starts at once; work in flight has the grace period, then is abandoned.</summary>
public sealed class ShutdownGraceTests
{
    [Fact]
    public void Stop_AbandonedOnlyOnceTheGracePeriodHasPassed()
    {
        var clock = new FakeTimeProvider();
        var lifetime = new Lifetime();
        using var grace = new ShutdownGrace(lifetime, clock);

        clock.Advance(TimeSpan.FromMinutes(5));
        grace.Abandoned.IsCancellationRequested.ShouldBeFalse("no stop was asked for");

        lifetime.StopApplication();
        grace.Stopping.IsCancellationRequested.ShouldBeTrue();
        clock.Advance(ShutdownGrace.Grace - TimeSpan.FromMilliseconds(1));
        grace.Abandoned.IsCancellationRequested.ShouldBeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(1));
        grace.Abandoned.IsCancellationRequested.ShouldBeTrue();
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => stopping.Cancel();

        public void Dispose() => stopping.Dispose();
    }
}
