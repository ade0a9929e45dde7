using System.Globalization;
using System.Text.RegularExpressions;

namespace Digest.Worker.Cli;

/// <summary>
/// A verb's words split in two: configuration overrides — options with a colon in the key
/// (<c>--Storage:ConnectionString=…</c>), which go to the host's configuration — and the verb's own words, which the
/// verb reads with <see cref="Core.VerbArguments"/>.
/// </summary>
internal sealed partial class Arguments
{
    public List<string> Configuration { get; } = [];

    /// <summary>The words as given, less the configuration overrides.</summary>
    public List<string> VerbWords { get; } = [];

    public static Arguments Parse(IReadOnlyList<string> words)
    {
        var result = new Arguments();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var key = word.StartsWith("--", StringComparison.Ordinal) ? word[2..].Split('=', 2)[0] : "";
            if (!key.Contains(':', StringComparison.Ordinal))
            {
                result.VerbWords.Add(word);
                continue;
            }

            var inline = word.Contains('=', StringComparison.Ordinal) ? word[(word.IndexOf('=', StringComparison.Ordinal) + 1)..] : null;
            result.Configuration.Add($"--{key}={inline ?? (i + 1 < words.Count ? words[++i] : "")}");
        }

        return result;
    }

    /// <summary>Reads <c>48h</c>, <c>90m</c>, <c>2d</c>, <c>30s</c>, or a TimeSpan (<c>1.12:00:00</c>).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        var match = Duration().Match(text.Trim());
        if (match.Success)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var seconds = amount * match.Groups[2].Value.ToLowerInvariant() switch
            {
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86400,
                _ => 7 * 86400,
            };

            // Longer than TimeSpan holds (about 29,000 years) is no window anyone means: refused, not an overflow.
            duration = seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
            return duration > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([smhdw])$", RegexOptions.IgnoreCase)]
    private static partial Regex Duration();
}
