using System.Globalization;
using System.Text.RegularExpressions;

namespace Digest.Core.Commands;

/// <summary>A digest schedule: a Quartz cron expression read in an IANA time zone, or <see cref="Off"/>.</summary>
public sealed record ScheduleSpec(string Cron, string TimeZone);

/// <summary>Reads <c>/schedule</c> arguments and tells when a schedule fires next; the cron dialect is the host's (<see cref="ICron"/>).</summary>
public sealed partial class Schedules(ICron cron)
{
    /// <summary>The schedule of a channel that gets no digests (a private chat with alerts only, or <c>/schedule off</c>).</summary>
    public const string Off = "off";

    /// <summary>
    /// <c>daily 08:00 [zone]</c>, <c>off</c>, or a cron expression — Quartz's six or seven fields (seconds first) or the
    /// classic five — optionally followed by a zone. The zone defaults to <paramref name="currentZone"/>.
    /// </summary>
    public ScheduleSpec Parse(IReadOnlyList<string> words, string currentZone, out string? error)
    {
        error = null;
        if (words.Count == 1 && words[0].Equals(Off, StringComparison.OrdinalIgnoreCase))
        {
            return new ScheduleSpec(Off, currentZone);
        }

        var zone = currentZone;
        var fields = words.ToList();
        if (fields.Count > 1 && LooksLikeZone(fields[^1]))
        {
            zone = fields[^1];
            fields.RemoveAt(fields.Count - 1);
        }

        if (!TryFindZone(zone, out _))
        {
            error = $"'{zone}' is not a time zone I know. Use an IANA id such as UTC, Europe/Kyiv or America/New_York.";
            return new ScheduleSpec("", zone);
        }

        if (fields.Count is 2 && fields[0].Equals("daily", StringComparison.OrdinalIgnoreCase))
        {
            if (!TimeOnly.TryParseExact(fields[1], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                error = $"'{fields[1]}' is not a time of day. Write it as HH:MM, for example: /schedule daily 08:00 Europe/Kyiv";
                return new ScheduleSpec("", zone);
            }

            return new ScheduleSpec(string.Create(CultureInfo.InvariantCulture, $"0 {time.Minute} {time.Hour} * * ?"), zone);
        }

        if (fields.Count is < 5 or > 7)
        {
            error = "Give a time or a cron expression: /schedule daily 08:00 Europe/Kyiv, /schedule 0 0 8,18 * * ? UTC, or /schedule off.";
            return new ScheduleSpec("", zone);
        }

        if (fields.Count == 5)
        {
            // Classic cron has no seconds, counts weekdays 0-6 from Sunday (Quartz: 1-7) and allows '*' in both day
            // fields; Quartz wants '?' in one of them.
            fields.Insert(0, "0");
            fields[5] = ClassicWeekday().Replace(fields[5], m => ((int.Parse(m.Value, CultureInfo.InvariantCulture) % 7) + 1).ToString(CultureInfo.InvariantCulture));
            if (fields[5] == "*")
            {
                fields[5] = "?";
            }
            else if (fields[3] == "*")
            {
                fields[3] = "?";
            }
        }

        var expression = string.Join(' ', fields);
        if (cron.Validate(expression) is { } invalid)
        {
            error = $"'{string.Join(' ', words)}' is not a valid cron expression: {invalid}";
            return new ScheduleSpec("", zone);
        }

        if (Next(expression, zone, DateTimeOffset.UnixEpoch) is null)
        {
            error = $"'{expression}' never fires.";
            return new ScheduleSpec("", zone);
        }

        return new ScheduleSpec(expression, zone);
    }

    /// <summary>When a schedule fires next after <paramref name="after"/>; null for <see cref="Off"/> or an invalid schedule.</summary>
    public DateTimeOffset? Next(string expression, string timeZone, DateTimeOffset after) =>
        expression != Off && TryFindZone(timeZone, out var zone) ? cron.NextAfter(expression, zone!, after) : null;

    public static bool TryFindZone(string id, out TimeZoneInfo? zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = null;
            return false;
        }
    }

    /// <summary>A zone id, not a cron field: contains a letter and no cron punctuation (<c>UTC</c>, <c>Europe/Kyiv</c>; not <c>MON-FRI</c>).</summary>
    private static bool LooksLikeZone(string word) =>
        word.Contains('/', StringComparison.Ordinal) || word.Equals("UTC", StringComparison.OrdinalIgnoreCase) || word.Equals("GMT", StringComparison.OrdinalIgnoreCase);

    /// <summary>A weekday number in a classic cron field (not a step such as the 2 in */2).</summary>
    [GeneratedRegex(@"(?<!/)\b\d+\b")]
    private static partial Regex ClassicWeekday();

    /// <summary>"Mon 2 Mar 2026 08:00 (Europe/Kyiv)": a time as the channel reads it.</summary>
    public static string Describe(DateTimeOffset at, string timeZone)
    {
        var local = TryFindZone(timeZone, out var zone) ? TimeZoneInfo.ConvertTime(at, zone!) : at;
        return local.ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + $" ({timeZone})";
    }
}
