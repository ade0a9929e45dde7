namespace Digest.Core;

/// <summary>
/// Evaluates the cron expressions of digest schedules (Quartz's dialect: seconds first, <c>?</c> in one of the day
/// fields). A seam so the core stays free of the scheduler's SDK: the host implements it with the scheduler's own
/// parser, so what a moderator is told is what the scheduler does.
/// </summary>
internal interface ICron
{
    /// <summary>Null when <paramref name="expression"/> is a valid cron expression; otherwise what is wrong with it.</summary>
    string? Validate(string expression);

    /// <summary>The first time after <paramref name="after"/> that the expression fires, read in <paramref name="zone"/>; null if it is invalid or never fires again.</summary>
    DateTimeOffset? NextAfter(string expression, TimeZoneInfo zone, DateTimeOffset after);
}
