using Microsoft.Extensions.Time.Testing;

namespace Digest.Telegram.Tests.TestSupport;

internal static class ClockSteps
{
    /// <summary>
    /// Moves the bot's clock on by <paramref name="step"/> until <paramref name="done"/> holds, letting real I/O run in
    /// between; fails after many steps with <paramref name="what"/>.
    /// </summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider clock, Func<Task<bool>> done, TimeSpan step, string what)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (await done())
            {
                return;
            }

            clock.Advance(step);
            await Task.Delay(10);
        }

        throw new TimeoutException($"never happened: {what}");
    }

    public static Task AdvanceUntilAsync(this FakeTimeProvider clock, Func<bool> done, TimeSpan step, string what) =>
        clock.AdvanceUntilAsync(() => Task.FromResult(done()), step, what);
}
