using System.Globalization;
using System.Text.RegularExpressions;

namespace Digest.Core.Commands;

/// <summary>A digest schedule: a Quartz cron expression read in an IANA time zone, or <see cref="Off"/>.</summary>
internal sealed record ScheduleSpec(string Cron, string TimeZone);

/// <summary>Reads <c>/schedule</c> arguments and tells when a schedule fires next; the cron dialect is the host's (<see cref="ICron"/>).</summary>
internal sealed partial class Schedules(ICron cron)
{
    /// <summary>The schedule of a channel that gets no digests (a private chat with alerts only, or <c>/schedule off</c>).</summary>
    public const string Off = "off";

    /// <summary>How a schedule is written in chat, for replies and refusals.</summary>
    public const string Examples = "/schedule daily 08:00 Europe/Kyiv, /schedule weekdays 07:30, /schedule weekly mon 09:00, /schedule every 6h, or /schedule off";

    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>
    /// A schedule in words — <c>daily 08:00</c>, <c>weekdays 07:30</c>, <c>weekly mon 09:00</c>, <c>every 6h</c> (or
    /// <c>every 30m</c>), <c>off</c> — or a cron expression: Quartz's six or seven fields (seconds first) or the classic
    /// five; each optionally followed by a zone, which defaults to <paramref name="currentZone"/>.
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
            error = $"'{CommandParser.Shown(zone)}' is not a time zone I know. Use an IANA id such as UTC, Europe/Kyiv or America/New_York.";
            return new ScheduleSpec("", zone);
        }

        var first = fields.Count > 0 ? fields[0].ToLowerInvariant() : "";
        switch (first)
        {
            case "daily" or "weekdays" when fields.Count == 2:
                if (!TryTime(fields[1], out var time, out error))
                {
                    return new ScheduleSpec("", zone);
                }

                return new ScheduleSpec(
                    first == "daily"
                        ? string.Create(CultureInfo.InvariantCulture, $"0 {time.Minute} {time.Hour} * * ?")
                        : string.Create(CultureInfo.InvariantCulture, $"0 {time.Minute} {time.Hour} ? * MON-FRI"),
                    zone);
            case "weekly" when fields.Count == 3:
                var day = Array.FindIndex(CultureInfo.InvariantCulture.DateTimeFormat.DayNames, n => fields[1].Length >= 3 && n.StartsWith(fields[1], StringComparison.OrdinalIgnoreCase));
                if (day < 0)
                {
                    error = $"'{CommandParser.Shown(fields[1])}' is not a day of the week. Write it as mon, tue, … sun, for example: /schedule weekly mon 09:00";
                    return new ScheduleSpec("", zone);
                }

                if (!TryTime(fields[2], out var weekly, out error))
                {
                    return new ScheduleSpec("", zone);
                }

                return new ScheduleSpec(string.Create(CultureInfo.InvariantCulture, $"0 {weekly.Minute} {weekly.Hour} ? * {DayNames[day]}"), zone);
            case "every" when fields.Count is 2 or 3:
                var amount = string.Join("", fields.Skip(1)).ToLowerInvariant();
                var unit = amount.TrimStart("0123456789".ToCharArray());
                if (!int.TryParse(amount[..^unit.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                {
                    error = $"'{CommandParser.Shown(string.Join(' ', fields.Skip(1)))}' is not an interval. Write it as every 6h or every 30m.";
                    return new ScheduleSpec("", zone);
                }

                if (unit is "h" or "hour" or "hours" && n <= 24)
                {
                    return new ScheduleSpec(n == 24 ? "0 0 0 * * ?" : string.Create(CultureInfo.InvariantCulture, $"0 0 0/{n} * * ?"), zone);
                }

                if (unit is "m" or "min" or "minute" or "minutes" && n < 60)
                {
                    return new ScheduleSpec(string.Create(CultureInfo.InvariantCulture, $"0 0/{n} * * * ?"), zone);
                }

                error = $"'{CommandParser.Shown(string.Join(' ', fields.Skip(1)))}' is not an interval I can keep. Use hours up to 24 (every 6h) or minutes under 60 (every 30m).";
                return new ScheduleSpec("", zone);
        }

        if (fields.Count is < 5 or > 7)
        {
            error = $"Give a schedule in words or a cron expression: {Examples}.";
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
            error = $"'{CommandParser.Shown(string.Join(' ', words))}' is not a valid cron expression: {invalid}";
            return new ScheduleSpec("", zone);
        }

        if (Next(expression, zone, DateTimeOffset.UnixEpoch) is null)
        {
            error = $"'{CommandParser.Shown(string.Join(' ', words))}' never fires.";
            return new ScheduleSpec("", zone);
        }

        return new ScheduleSpec(expression, zone);
    }

    private static bool TryTime(string text, out TimeOnly time, out string? error)
    {
        error = TimeOnly.TryParseExact(text, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time)
            ? null
            : $"'{CommandParser.Shown(text)}' is not a time of day. Write it as HH:MM, for example: /schedule daily 08:00 Europe/Kyiv";
        return error is null;
    }

    /// <summary>
    /// Null when the schedule's digests are at least <paramref name="minimum"/> apart (over its next 100 runs);
    /// otherwise the refusal, naming the setting (<c>Digest:MinScheduleInterval</c>). For schedules set in chat.
    /// </summary>
    public string? CheckInterval(ScheduleSpec spec, TimeSpan minimum, DateTimeOffset now)
    {
        if (spec.Cron == Off)
        {
            return null;
        }

        var previous = Next(spec.Cron, spec.TimeZone, now);
        var shortest = TimeSpan.MaxValue;
        for (var i = 0; i < 100 && previous is { } at; i++)
        {
            var next = Next(spec.Cron, spec.TimeZone, at);
            if (next is { } following && following - at < shortest)
            {
                shortest = following - at;
            }

            previous = next;
        }

        return shortest >= minimum
            ? null
            : $"That schedule would post a digest every {Span(shortest)}; schedules set in chat must be at least {Span(minimum)} apart (Digest:MinScheduleInterval). Try {Examples}.";
    }

    /// <summary>"15 minutes", "1 second", "6 hours": a span as people say it.</summary>
    public static string Span(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? Replies.Count((int)span.TotalDays, "day")
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? Replies.Count((int)span.TotalHours, "hour")
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? Replies.Count((int)span.TotalMinutes, "minute")
        : Replies.Count((int)Math.Max(1, Math.Round(span.TotalSeconds)), "second");

    /// <summary>
    /// A schedule in words: "daily at 08:00", "weekdays at 07:30", "weekly on Monday at 09:00", "every 6 hours", "every
    /// 30 minutes", "off" — or, for a cron expression those don't cover, "on the cron schedule '…'". The zone is not included.
    /// </summary>
    public static string InWords(string cron)
    {
        if (cron == Off)
        {
            return "off";
        }

        if (WordsPattern().Match(cron) is { Success: true } m)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture):00}:{int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture):00}");
            var days = m.Groups["days"].Value;
            if (m.Groups["dom"].Value == "*" && days == "?")
            {
                return $"daily at {at}";
            }

            if (days == "MON-FRI")
            {
                return $"weekdays at {at}";
            }

            if (Array.IndexOf(DayNames, days) is var day and >= 0)
            {
                return $"weekly on {CultureInfo.InvariantCulture.DateTimeFormat.DayNames[day]} at {at}";
            }
        }

        if (EveryHoursPattern().Match(cron) is { Success: true } hours)
        {
            var n = int.Parse(hours.Groups[1].Value, CultureInfo.InvariantCulture);
            return n == 1 ? "every hour" : $"every {Replies.Count(n, "hour")}";
        }

        if (EveryMinutesPattern().Match(cron) is { Success: true } minutes)
        {
            var n = int.Parse(minutes.Groups[1].Value, CultureInfo.InvariantCulture);
            return n == 1 ? "every minute" : $"every {Replies.Count(n, "minute")}";
        }

        return $"on the cron schedule '{cron}'";
    }

    [GeneratedRegex(@"^0 (?<m>\d{1,2}) (?<h>\d{1,2}) (?<dom>\*|\?) \* (?<days>\?|MON-FRI|SUN|MON|TUE|WED|THU|FRI|SAT)$")]
    private static partial Regex WordsPattern();

    /// <summary>"0 0 0/6 * * ?": every 6 hours, as Parse writes it.</summary>
    [GeneratedRegex(@"^0 0 0/(\d+) \* \* \?$")]
    private static partial Regex EveryHoursPattern();

    /// <summary>"0 0/30 * * * ?": every 30 minutes, as Parse writes it.</summary>
    [GeneratedRegex(@"^0 0/(\d+) \* \* \* \?$")]
    private static partial Regex EveryMinutesPattern();

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
