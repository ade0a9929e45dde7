using System.Globalization;
using System.Text.Json;

namespace Digest.Core.Classification;

/// <summary>One line of a headlines file: id, title, optional summary, outlet, first-seen time and label (T/W/O/?).</summary>
internal sealed record Headline(string Id, string Title, string? Summary, string? Outlet, DateTimeOffset? FirstSeen, string? Label)
{
    public ClassifierInput Input => new(Title, Summary, Outlet);

    /// <summary>The label as relevant (T) or not (W, O); null when absent or ambiguous (?).</summary>
    public bool? Relevant => Label is { } label ? Headlines.ParseLabel(label) : null;

    public DateOnly? Day => FirstSeen is { } seen ? DateOnly.FromDateTime(seen.UtcDateTime) : null;

    public bool InDays(DateOnly? from, DateOnly? to)
    {
        if (from is null && to is null)
        {
            return true;
        }

        if (Day is not { } day)
        {
            return false;
        }

        return (from is null || day >= from) && (to is null || day <= to);
    }
}

/// <summary>Reads the headline and label files the train and eval verbs take.</summary>
internal static class Headlines
{
    /// <summary>JSON lines with at least id and title; summary, outlet, first_seen and label are optional.</summary>
    public static List<Headline> ReadJsonLines(string path)
    {
        var headlines = new List<Headline>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var id = root.TryGetProperty("id", out var idElement)
                    ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : idElement.GetRawText()
                    : throw new InvalidDataException($"{path}:{number}: no id");
                var title = String(root, "title") ?? throw new InvalidDataException($"{path}:{number}: no title");
                var seen = String(root, "first_seen") is { } text
                    ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                    : (DateTimeOffset?)null;
                headlines.Add(new Headline(id, title, String(root, "summary"), String(root, "outlet"), seen, String(root, "label")));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new InvalidDataException($"{path}:{number}: {e.Message}", e);
            }
        }

        return headlines;
    }

    /// <summary>
    /// Labels for training, one a line, tab-separated: <c>id label</c> (titles joined from <paramref name="byId"/>,
    /// optionally only those first seen up to <paramref name="until"/>) or <c>title label</c> (moderator feedback).
    /// Labels: T/1/good/yes are positive, W/O/0/bad/no negative, ? is left out.
    /// </summary>
    public static List<LabelledTitle> ReadLabels(string path, IReadOnlyDictionary<string, Headline>? byId, DateOnly? until)
    {
        var labelled = new List<LabelledTitle>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var fields = line.Split('\t');
            if (fields.Length < 2 || (number == 1 && fields[^1].Trim().Equals("label", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var label = ParseLabel(fields[^1]);
            if (label is null)
            {
                continue;
            }

            var key = fields[0].Trim();
            if (fields.Length == 2 && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                if (byId is null)
                {
                    throw new InvalidDataException($"{path}:{number}: labels by id need the headlines file (--headlines)");
                }

                if (byId.TryGetValue(key, out var headline) && headline.InDays(null, until))
                {
                    labelled.Add(new LabelledTitle(headline.Title, label.Value, headline.Day));
                }
            }
            else
            {
                labelled.Add(new LabelledTitle(string.Join(' ', fields[..^1]).Trim(), label.Value));
            }
        }

        return labelled;
    }

    /// <summary>
    /// The headlines that have a label in <paramref name="labelsPath"/> (<c>id&lt;TAB&gt;label</c> lines), with it; a
    /// headline's own label is kept when the file has none for it.
    /// </summary>
    public static List<Headline> WithLabels(IEnumerable<Headline> headlines, string labelsPath)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var fields in File.ReadLines(labelsPath).Select(l => l.Split('\t')).Where(f => f.Length >= 2))
        {
            labels[fields[0].Trim()] = fields[1].Trim();
        }

        return [.. headlines.Where(h => labels.ContainsKey(h.Id)).Select(h => h with { Label = labels[h.Id] })];
    }

    public static bool? ParseLabel(string text) => text.Trim().ToUpperInvariant() switch
    {
        "T" or "1" or "GOOD" or "YES" or "TRUE" or "RELEVANT" => true,
        "W" or "O" or "0" or "BAD" or "NO" or "FALSE" or "IRRELEVANT" => false,
        _ => null,
    };

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
