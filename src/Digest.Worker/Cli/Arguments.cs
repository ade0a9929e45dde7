using System.Globalization;
using System.Text.RegularExpressions;

namespace Digest.Worker.Cli;

/// <summary>
/// A verb's words split in two: its own options (<c>--format json</c>, <c>--feeds a b</c>) and configuration overrides,
/// which are the options with a colon in the key (<c>--Storage:ConnectionString=…</c>) and go to the host's configuration.
/// </summary>
internal sealed partial class Arguments
{
    private readonly Dictionary<string, List<string>> options = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Positional { get; } = [];

    public List<string> Configuration { get; } = [];

    /// <summary>The words as given, less the configuration overrides: what a verb with its own parser reads.</summary>
    public List<string> VerbWords { get; } = [];

    public static Arguments Parse(IReadOnlyList<string> words)
    {
        var result = new Arguments();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length == 2)
            {
                result.Positional.Add(word);
                result.VerbWords.Add(word);
                continue;
            }

            var key = word[2..];
            string? inline = null;
            var eq = key.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                inline = key[(eq + 1)..];
                key = key[..eq];
            }

            if (key.Contains(':', StringComparison.Ordinal))
            {
                result.Configuration.Add($"--{key}={inline ?? (i + 1 < words.Count ? words[++i] : "")}");
                continue;
            }

            result.VerbWords.Add(word);

            var values = result.options.TryGetValue(key, out var existing) ? existing : result.options[key] = [];
            if (inline is not null)
            {
                values.Add(inline);
                continue;
            }

            while (i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values.Add(words[++i]);
                result.VerbWords.Add(words[i]);
            }
        }

        return result;
    }

    public bool Has(string name) => options.ContainsKey(name);

    public IReadOnlyList<string> Values(string name) => options.TryGetValue(name, out var values) ? values : [];

    public string? Value(string name) => options.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    public IEnumerable<string> OptionNames => options.Keys;

    /// <summary>Reads <c>48h</c>, <c>90m</c>, <c>2d</c>, <c>30s</c>, or a TimeSpan (<c>1.12:00:00</c>).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        var match = Duration().Match(text.Trim());
        if (match.Success)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            duration = match.Groups[2].Value.ToLowerInvariant() switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(amount * 7),
            };
            return duration > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([smhdw])$", RegexOptions.IgnoreCase)]
    private static partial Regex Duration();
}
