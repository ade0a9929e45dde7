using System.ComponentModel.DataAnnotations;
using Digest.Core;
using Digest.Core.Commands;

namespace Digest.Telegram;

/// <summary>The <c>Telegram</c> section. Without a bot token the Telegram side stays off.</summary>
internal sealed class TelegramOptions : IValidatableObject
{
    public const string SectionName = "Telegram";

    /// <summary>From @BotFather; set it in the environment (DIGEST_Telegram__BotToken) or user-secrets, never in a committed file.</summary>
    [RegularExpression(@"^\d+:[A-Za-z0-9_-]+$", ErrorMessage = "must look like 123456:ABC-DEF… (the token @BotFather gave you)")]
    public string? BotToken { get; set; }

    /// <summary>The Bot API server; tests point it at a local fake.</summary>
    [Required(AllowEmptyStrings = false)]
    [HttpUrl]
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary><c>polling</c> (long polling, nothing to expose) or <c>webhook</c> (Telegram calls <see cref="WebhookUrl"/>).</summary>
    [RegularExpression("^(polling|webhook)$", ErrorMessage = "must be polling or webhook")]
    public string Mode { get; set; } = "polling";

    /// <summary>How long one getUpdates waits for an update.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:40")]
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>The public HTTPS address Telegram posts updates to (webhook mode).</summary>
    [HttpUrl]
    public string? WebhookUrl { get; set; }

    /// <summary>Checked against X-Telegram-Bot-Api-Secret-Token on every webhook call: 1–256 of A–Z, a–z, 0–9, _ and -.</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,256}$", ErrorMessage = "must be 1-256 characters of A-Z, a-z, 0-9, _ and -")]
    public string? WebhookSecret { get; set; }

    /// <summary>The digest schedule of a group the bot joins (Quartz cron, seconds first): daily at 08:00.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DefaultSchedule { get; set; } = "0 0 8 * * ?";

    [Required(AllowEmptyStrings = false)]
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>How long a chat member's rights (getChatMember) are trusted before being asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AdminCacheDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one Bot API call may take before it counts as failed (getUpdates: <see cref="PollTimeout"/> more).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many sends may wait for Telegram's answer at once (see <see cref="TelegramSendGate"/>): a crash doubles at most
    /// this many messages, since Telegram takes no idempotency key. 1 costs throughput only when answers are slow
    /// (one round trip per message; Telegram allows about 30 a second).
    /// </summary>
    [Range(1, 100)]
    public int SendsInFlight { get; set; } = 1;

    /// <summary>
    /// How long a send keeps its place in <see cref="SendsInFlight"/> while Telegram has not answered; after that the next
    /// send may start. Unset, until the answer or <see cref="RequestTimeout"/>, so a crash doubles at most
    /// <see cref="SendsInFlight"/> messages however slow Telegram is; shorter keeps other chats going while one send
    /// hangs, at the price of more sends in flight (and doubled) when the bot dies then.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan? SendSlotHold { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == "webhook" && (string.IsNullOrWhiteSpace(WebhookUrl) || string.IsNullOrWhiteSpace(WebhookSecret)))
        {
            yield return new ValidationResult("webhook mode needs Telegram:WebhookUrl and Telegram:WebhookSecret", [nameof(WebhookUrl)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(DefaultTimeZone, out _))
        {
            yield return new ValidationResult($"'{DefaultTimeZone}' is not a known time zone id (IANA, e.g. 'Europe/Kyiv')", [nameof(DefaultTimeZone)]);
        }
        else if (new Schedules(validationContext.Cron()).Next(DefaultSchedule, DefaultTimeZone, DateTimeOffset.UnixEpoch) is null)
        {
            yield return new ValidationResult($"'{DefaultSchedule}' is not a Quartz cron expression (seconds first, e.g. '0 0 8 * * ?')", [nameof(DefaultSchedule)]);
        }
    }
}
