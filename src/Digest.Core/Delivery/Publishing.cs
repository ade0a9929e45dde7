using System.Text.Json;
using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Core.Delivery;

/// <summary>What a platform said to one send.</summary>
public sealed record PublishResult(bool Delivered, string? Error = null, bool Permanent = false, TimeSpan? RetryAfter = null)
{
    public static readonly PublishResult Ok = new(true);
}

/// <summary>Sends outbox messages to one platform. An I/O seam: console, Telegram, Discord.</summary>
public interface IChannelPublisher
{
    string Platform { get; }

    Task<PublishResult> PublishAsync(ChannelRecord channel, OutboxPayload payload, CancellationToken cancellationToken);
}

/// <summary>
/// What the outbox holds: a digest, a short text (a notice), or an alert (a one-story digest and the phrase that matched,
/// in <see cref="Text"/>). Platform-neutral; publishers render it.
/// </summary>
public sealed record OutboxPayload(string Kind, DigestModel? Digest, string? Text)
{
    public const string DigestKind = "digest";
    public const string TextKind = "text";
    public const string AlertKind = "alert";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static OutboxPayload ForDigest(DigestModel digest) => new(DigestKind, digest, null);

    public static OutboxPayload ForText(string text) => new(TextKind, null, text);

    public static OutboxPayload ForAlert(DigestStory story, string phrase, DateTimeOffset at) => new(AlertKind, new DigestModel(at, [story], null), phrase);

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static OutboxPayload Deserialize(string json) => JsonSerializer.Deserialize<OutboxPayload>(json, Json)
        ?? throw new InvalidDataException("empty outbox payload");
}
