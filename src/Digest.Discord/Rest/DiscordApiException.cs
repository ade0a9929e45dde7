namespace Digest.Discord.Rest;

/// <summary>A REST call Discord refused, or that the client gave up on. <see cref="Status"/> 0 means it was never sent.</summary>
internal sealed class DiscordApiException(int status, string message, int? code = null, TimeSpan? retryAfter = null)
    : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>Discord's JSON error code (e.g. 10003 Unknown Channel), when the body had one.</summary>
    public int? Code { get; } = code;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
