using Microsoft.Extensions.Time.Testing;

namespace Digest.Telegram.Tests;

public sealed class TelegramRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Start);

    [Fact]
    public async Task SameChat_SecondMessageWaitsOneSecond()
    {
        var limiter = new TelegramRateLimiter(time);

        var first = limiter.WaitAsync(42, CancellationToken.None);
        var second = limiter.WaitAsync(42, CancellationToken.None);
        var otherChat = limiter.WaitAsync(43, CancellationToken.None);

        first.IsCompleted.ShouldBeTrue();
        otherChat.IsCompleted.ShouldBeTrue();
        second.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromMilliseconds(999));
        second.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Group_TwentyFirstMessageInAMinute_WaitsForTheNextMinute()
    {
        var limiter = new TelegramRateLimiter(time);

        var slots = Enumerable.Range(0, 21).Select(_ => limiter.Book(-100)).ToList();

        slots[19].ShouldBe(Start.AddSeconds(19));
        slots[20].ShouldBe(Start.AddMinutes(1));
    }

    [Fact]
    public void AllChats_TwentySixthMessageInASecond_WaitsForTheNextSecond()
    {
        var limiter = new TelegramRateLimiter(time);

        var slots = Enumerable.Range(1, 26).Select(chat => limiter.Book(chat)).ToList();

        slots.Take(25).ShouldAllBe(s => s == Start);
        slots[25].ShouldBe(Start.AddSeconds(1));
    }

    [Fact]
    public async Task FloodControl_PausesOnlyThatChatForRetryAfter()
    {
        var limiter = new TelegramRateLimiter(time);
        limiter.Pause(42, TimeSpan.FromSeconds(7));

        var paused = limiter.WaitAsync(42, CancellationToken.None);
        var other = limiter.WaitAsync(43, CancellationToken.None);

        other.IsCompleted.ShouldBeTrue();
        time.Advance(TimeSpan.FromSeconds(6));
        paused.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(1));
        await paused.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }
}
