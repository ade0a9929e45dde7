namespace Digest.Core;

/// <summary>
/// Exponential backoff, the one way the bot spaces out attempts at something that keeps failing: a feed, a message, a
/// platform's API or connection.
/// </summary>
internal static class Backoff
{
    /// <summary>
    /// The wait after <paramref name="failures"/> failures in a row: <paramref name="first"/> after the first, doubled
    /// per failure after it, never more than <paramref name="max"/> (however many failures; no overflow).
    /// </summary>
    public static TimeSpan Exponential(TimeSpan first, int failures, TimeSpan max)
    {
        var ticks = first.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 62));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
