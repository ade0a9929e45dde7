using System.Collections.Concurrent;
using System.Globalization;

namespace Digest.Discord.Interactions;

/// <summary>
/// Refuses a signed interaction whose timestamp is outside <see cref="Window"/> of now (a request captured and sent
/// later), or whose signature was seen already within it (a replay). The signatures seen are kept only as long as their
/// timestamp is inside the window, so memory stays bounded by the traffic of one window. Per process: a replay sent to
/// another worker is still refused by Discord itself, which accepts one answer per interaction token.
/// </summary>
internal sealed class InteractionReplayGuard(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.OrdinalIgnoreCase);
    private long checks;

    /// <summary>Null when the request may be handled; otherwise why not, for the 401's body.</summary>
    public string? Check(string timestamp, string signature)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 100_000_000_000)
        {
            return "invalid request timestamp";
        }

        var now = time.GetUtcNow();
        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (at < now - Window || at > now + Window)
        {
            return "request timestamp outside the accepted window";
        }

        if (Interlocked.Increment(ref checks) % 256 == 0)
        {
            foreach (var (key, expires) in seen)
            {
                if (expires < now)
                {
                    seen.TryRemove(key, out _);
                }
            }
        }

        return seen.TryAdd(signature, at + Window) ? null : "request already seen (replay)";
    }
}
