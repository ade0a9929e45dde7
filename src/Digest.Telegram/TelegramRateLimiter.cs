namespace Digest.Telegram;

/// <summary>
/// Telegram's flood limits, as a queue of send slots: one message a second per chat, 20 a minute per group, 25 a second
/// overall. Each caller books the earliest free slot and waits for it, so sends to one chat go out in order. A 429 pauses
/// the chat for its retry_after.
/// </summary>
internal sealed class TelegramRateLimiter(TimeProvider time)
{
    public static readonly TimeSpan PerChatInterval = TimeSpan.FromSeconds(1);
    public const int GroupPerMinute = 20;
    public const int GlobalPerSecond = 25;

    private readonly Lock gate = new();
    private readonly Dictionary<long, DateTimeOffset> nextForChat = [];
    private readonly Dictionary<long, DateTimeOffset> pausedUntil = [];
    private readonly Dictionary<(long Chat, long Minute), int> groupMinutes = [];
    private readonly Dictionary<long, int> globalSeconds = [];

    /// <summary>Waits for this chat's next slot. Groups (negative ids) also count against the per-minute limit.</summary>
    public async Task WaitAsync(long chatId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var slot = Book(chatId);
            var delay = slot - time.GetUtcNow();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, cancellationToken);
            }

            // A 429 that arrived while waiting moves the chat's slot past the pause.
            lock (gate)
            {
                if (!pausedUntil.TryGetValue(chatId, out var until) || until <= time.GetUtcNow())
                {
                    return;
                }
            }
        }
    }

    /// <summary>Telegram said 429: nothing more to this chat until <paramref name="retryAfter"/> has passed.</summary>
    public void Pause(long chatId, TimeSpan retryAfter)
    {
        lock (gate)
        {
            var until = time.GetUtcNow() + retryAfter;
            pausedUntil[chatId] = until;
            if (!nextForChat.TryGetValue(chatId, out var next) || next < until)
            {
                nextForChat[chatId] = until;
            }
        }
    }

    /// <summary>The earliest slot that respects every limit, booked.</summary>
    internal DateTimeOffset Book(long chatId)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            Forget(now);
            var slot = nextForChat.TryGetValue(chatId, out var next) && next > now ? next : now;
            if (pausedUntil.TryGetValue(chatId, out var until) && until > slot)
            {
                slot = until;
            }

            while (true)
            {
                var minute = slot.ToUnixTimeSeconds() / 60;
                if (chatId < 0 && groupMinutes.GetValueOrDefault((chatId, minute)) >= GroupPerMinute)
                {
                    slot = DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60);
                    continue;
                }

                var second = slot.ToUnixTimeMilliseconds() / 1000;
                if (globalSeconds.GetValueOrDefault(second) >= GlobalPerSecond)
                {
                    slot = DateTimeOffset.FromUnixTimeSeconds(second + 1);
                    continue;
                }

                if (chatId < 0)
                {
                    groupMinutes[(chatId, minute)] = groupMinutes.GetValueOrDefault((chatId, minute)) + 1;
                }

                globalSeconds[second] = globalSeconds.GetValueOrDefault(second) + 1;
                nextForChat[chatId] = slot + PerChatInterval;
                return slot;
            }
        }
    }

    /// <summary>Drops counters of the past so the dictionaries stay small.</summary>
    private void Forget(DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        foreach (var key in globalSeconds.Keys.Where(k => k < second).ToList())
        {
            globalSeconds.Remove(key);
        }

        foreach (var key in groupMinutes.Keys.Where(k => k.Minute < second / 60).ToList())
        {
            groupMinutes.Remove(key);
        }

        foreach (var key in nextForChat.Where(p => p.Value < now).Select(p => p.Key).ToList())
        {
            nextForChat.Remove(key);
        }

        foreach (var key in pausedUntil.Where(p => p.Value < now).Select(p => p.Key).ToList())
        {
            pausedUntil.Remove(key);
        }
    }
}
