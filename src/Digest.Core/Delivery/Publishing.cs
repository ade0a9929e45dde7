using System.Text.Json;
using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Core.Delivery;

/// <summary>
/// What a platform said to one send. Not delivered, it is retried after <see cref="RetryAfter"/> (the platform's
/// retry_after) or a backoff, unless <see cref="Permanent"/> (the channel is gone: blocked, removed, webhook deleted — the
/// channel pauses) or <see cref="Rejected"/> (this message will never be accepted — it is set aside at once).
/// </summary>
internal sealed record PublishResult(bool Delivered, string? Error = null, bool Permanent = false, TimeSpan? RetryAfter = null, bool Rejected = false)
{
    public static readonly PublishResult Ok = new(true);
}

/// <summary>Sends outbox messages to one platform. An I/O seam: console, Telegram, Discord.</summary>
internal interface IChannelPublisher
{
    string Platform { get; }

    /// <summary>
    /// Renders the message into the platform's messages — deterministically from its payload, so the parts are the same
    /// on every attempt — and sends those from <see cref="OutboundMessage.PartsSent"/> on, reporting each acknowledged part.
    /// </summary>
    Task<PublishResult> PublishAsync(ChannelRecord channel, OutboundMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// One outbox message on its way: its id (a platform's idempotency key derives from it), what it says, and how many of its
/// parts the platform has acknowledged so far; <see cref="PartSentAsync"/> records one more. <see cref="TriedSince"/> says
/// whether an earlier attempt may have delivered the next part without us hearing it.
/// </summary>
internal sealed class OutboundMessage(long id, OutboxPayload payload, int partsSent = 0, Func<int, Task>? partsAcknowledged = null, DateTimeOffset? triedSince = null)
{
    public long Id { get; } = id;

    /// <summary>
    /// Set when the message was tried before (a failure, a timeout, a worker that died mid-send): it was queued at this
    /// time, and part <see cref="PartsSent"/> may have reached the platform since without its answer being recorded. A
    /// publisher that can look (a platform without idempotency keys) checks before sending that part again. Null on a first attempt.
    /// </summary>
    public DateTimeOffset? TriedSince { get; } = triedSince;

    public OutboxPayload Payload { get; } = payload;

    public int PartsSent { get; private set; } = partsSent;

    /// <summary>The platform acknowledged the next part: recorded at once, so a retry never sends it again.</summary>
    public async Task PartSentAsync()
    {
        PartsSent++;
        if (partsAcknowledged is not null)
        {
            await partsAcknowledged(PartsSent);
        }
    }
}

/// <summary>
/// What the outbox holds: a digest, a short text (a notice), an alert (a one-story digest and the phrase that matched, in
/// <see cref="Text"/>), or a command's reply (<see cref="Reply"/>, the command core's reply as JSON; <see cref="EditOf"/>
/// names the platform message it replaces, a pager's page). Platform-neutral; publishers render it. A private answer
/// carries a <see cref="FallbackPayload"/> for <see cref="FallbackChannel"/> (the chat it was asked in), queued there
/// instead when the member can't be written to.
/// </summary>
internal sealed record OutboxPayload(string Kind, DigestModel? Digest, string? Text, JsonElement? Reply = null, string? EditOf = null, long? FallbackChannel = null, string? FallbackPayload = null)
{
    public const string DigestKind = "digest";
    public const string TextKind = "text";
    public const string AlertKind = "alert";
    public const string ReplyKind = "reply";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static OutboxPayload ForDigest(DigestModel digest) => new(DigestKind, digest, null);

    public static OutboxPayload ForText(string text) => new(TextKind, null, text);

    public static OutboxPayload ForAlert(DigestStory story, string phrase, DateTimeOffset at) => new(AlertKind, new DigestModel(at, [story], null), phrase);

    /// <summary>A command's reply (the command core's reply model), optionally replacing the platform message <paramref name="editOf"/>.</summary>
    public static OutboxPayload ForReply<TReply>(TReply reply, string? editOf = null) => new(ReplyKind, null, null, JsonSerializer.SerializeToElement(reply, Json), editOf);

    /// <summary>
    /// A command's reply for a member's private chat; should that chat refuse it (the member never opened it, or blocked
    /// the bot), <paramref name="fallback"/> (a serialized reply payload) is queued in <paramref name="fallbackChannel"/>.
    /// </summary>
    public static OutboxPayload ForPrivateReply<TReply>(TReply reply, long fallbackChannel, string fallback) =>
        ForReply(reply) with { FallbackChannel = fallbackChannel, FallbackPayload = fallback };

    public TReply? ReplyAs<TReply>() => Reply is { ValueKind: JsonValueKind.Object } reply ? reply.Deserialize<TReply>(Json) : default;

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static OutboxPayload Deserialize(string json) => JsonSerializer.Deserialize<OutboxPayload>(json, Json)
        ?? throw new InvalidDataException("empty outbox payload");
}
