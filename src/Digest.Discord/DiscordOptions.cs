using System.ComponentModel.DataAnnotations;
using Digest.Core;
using Digest.Core.Commands;

namespace Digest.Discord;

/// <summary>The <c>Discord</c> section. With no <see cref="BotToken"/> the bot does not start (webhook channels still work).</summary>
internal sealed class DiscordOptions : IValidatableObject
{
    public const string SectionName = "Discord";

    /// <summary>The bot token from the Developer Portal (Bot tab). A secret: set it with DIGEST_Discord__BotToken or user-secrets.</summary>
    public string? BotToken { get; set; }

    [Required(AllowEmptyStrings = false)]
    [HttpUrl]
    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>The gateway to connect to (wss://, or ws:// for a local fake); empty means ask GET /gateway/bot.</summary>
    [RegularExpression(@"^wss?://\S+$", ErrorMessage = "must be a wss:// (or ws://) URL")]
    public string? GatewayUrl { get; set; }

    /// <summary>Guilds to register the commands in (instant, for development); empty means global registration.</summary>
    public IList<string> GuildIds { get; } = [];

    /// <summary>The application's public key (hex), for the HTTP interactions endpoint.</summary>
    [RegularExpression("^[0-9a-fA-F]{64}$", ErrorMessage = "must be the 64 hex characters shown on the application's General Information page")]
    public string? PublicKey { get; set; }

    /// <summary>The digest schedule of a channel the bot first hears from (Quartz cron, seconds first): daily at 08:00.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DefaultSchedule { get; set; } = "0 0 8 * * ?";

    [Required(AllowEmptyStrings = false)]
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>How long one REST call may take before it counts as failed (Discord up but not answering).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool HasBotToken => !string.IsNullOrWhiteSpace(BotToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (GuildIds.FirstOrDefault(id => !ulong.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)) is { } guild)
        {
            yield return new ValidationResult($"'{guild}' is not a server id (the number Discord's Copy Server ID gives)", [nameof(GuildIds)]);
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
