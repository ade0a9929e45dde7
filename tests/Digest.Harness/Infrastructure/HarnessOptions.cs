using System.Globalization;

namespace Digest.Harness.Infrastructure;

/// <summary>The harness's command line: <c>&lt;scenario&gt; [--quick] [--json] [--keep] [--echo] [--name value …]</c>.</summary>
internal sealed class HarnessOptions
{
    private static readonly HashSet<string> Flags = ["--quick", "--json", "--keep", "--echo"];
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);

    /// <summary>A scaled-down run (fewer items, feeds, kills, queries) that finishes in a minute or two.</summary>
    public bool Quick => flags.Contains("--quick");

    /// <summary>The report as JSON instead of a table.</summary>
    public bool Json => flags.Contains("--json");

    /// <summary>Keep the workspace under /tmp (config, database, corpus, logs) for a look afterwards.</summary>
    public bool Keep => flags.Contains("--keep");

    /// <summary>Echo the digest processes' output to standard error as it comes.</summary>
    public bool Echo => flags.Contains("--echo");

    public static HarnessOptions Parse(IEnumerable<string> words)
    {
        var options = new HarnessOptions();
        var list = words.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var word = list[i];
            if (Flags.Contains(word))
            {
                options.flags.Add(word);
            }
            else if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var (name, value) = word.Contains('=', StringComparison.Ordinal)
                    ? (word[..word.IndexOf('=', StringComparison.Ordinal)], word[(word.IndexOf('=', StringComparison.Ordinal) + 1)..])
                    : (word, i + 1 < list.Count ? list[++i] : throw new ArgumentException($"{word} needs a value"));
                options.values[name] = value;
            }
            else
            {
                throw new ArgumentException($"unexpected '{word}'");
            }
        }

        return options;
    }

    public int Int(string name, int full, int quick) => Value(name, full, quick, s => int.Parse(s, CultureInfo.InvariantCulture));

    public double Double(string name, double full, double quick) => Value(name, full, quick, s => double.Parse(s, CultureInfo.InvariantCulture));

    public string String(string name, string full, string? quick = null) => Value(name, full, quick ?? full, s => s);

    /// <summary>
    /// Settings for the bot, <c>--set Key=Value,…</c> (e.g. <c>Telegram:SendsInFlight=32</c>), as its command-line
    /// arguments: to compare one setting's effect, or to turn a log category up, in the same harness.
    /// </summary>
    public string[] BotSettings() => values.TryGetValue("--set", out var given)
        ? [.. given.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => "--" + s.Trim())]
        : [];

    /// <summary>Seconds, given as a number.</summary>
    public TimeSpan Seconds(string name, double full, double quick) => TimeSpan.FromSeconds(Double(name, full, quick));

    /// <summary>The options given with a value (flags aside).</summary>
    public IEnumerable<string> Given => values.Keys;

    private T Value<T>(string name, T full, T quick, Func<string, T> parse)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return Quick ? quick : full;
        }

        try
        {
            return parse(text);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{name}: '{text}' is not a valid value");
        }
    }
}
