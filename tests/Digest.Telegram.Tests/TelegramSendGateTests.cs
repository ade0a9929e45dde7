using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Telegram.Tests;

/// <summary>One send in flight at a time, so a crash can double at most one message; a slow answer holds the place only briefly.</summary>
public sealed class TelegramSendGateTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));

    private TelegramSendGate Gate(int inFlight = 1) =>
        new(Options.Create(new TelegramOptions { SendsInFlight = inFlight, SendSlotHold = TimeSpan.FromMilliseconds(500) }), time);

    [Fact]
    public async Task SecondSend_StartsWhenTheFirstIsAnswered()
    {
        var gate = Gate();
        var first = await gate.EnterAsync(TestContext.Current.CancellationToken);

        var second = gate.EnterAsync(TestContext.Current.CancellationToken);

        second.IsCompleted.ShouldBeFalse();
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Dispose();
    }

    [Fact]
    public async Task SlowAnswer_HoldsThePlaceOnlyForTheHold()
    {
        var gate = Gate();
        using var slow = await gate.EnterAsync(TestContext.Current.CancellationToken);

        var other = gate.EnterAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(499));
        other.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));

        using var next = await other.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        slow.Dispose(); // the slow answer arriving later gives back nothing more
        var third = gate.EnterAsync(TestContext.Current.CancellationToken);
        third.IsCompleted.ShouldBeFalse();
    }

    [Fact]
    public async Task MoreInFlight_WhenConfigured()
    {
        var gate = Gate(inFlight: 2);

        using var first = await gate.EnterAsync(TestContext.Current.CancellationToken);
        var second = gate.EnterAsync(TestContext.Current.CancellationToken);
        var third = gate.EnterAsync(TestContext.Current.CancellationToken);

        second.IsCompleted.ShouldBeTrue();
        third.IsCompleted.ShouldBeFalse();
        (await second).Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Dispose();
    }
}
