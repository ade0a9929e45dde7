namespace Digest.Discord.Rest;

/// <summary>Discord ids carry their creation time: milliseconds since 2015-01-01 (Discord's epoch), shifted left by 22 bits.</summary>
internal static class Snowflake
{
    private const long DiscordEpochMs = 1420070400000;

    /// <summary>The smallest id of anything created at <paramref name="at"/>: "after" it are the things created from then on (less a millisecond).</summary>
    public static ulong AtTime(DateTimeOffset at) => (ulong)Math.Max(0, at.ToUnixTimeMilliseconds() - DiscordEpochMs - 1) << 22;
}
