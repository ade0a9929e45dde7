using System.Globalization;

namespace Digest.Core;

/// <summary>
/// The words after a CLI verb as <c>--name value…</c> options. An option may take several values
/// (<c>--labels a.tsv b.tsv</c>); unknown options and stray words are errors a user can read.
/// </summary>
internal sealed class VerbArguments
{
    private readonly Dictionary<string, List<string>> options = new(StringComparer.Ordinal);

    private VerbArguments()
    {
    }

    public static VerbArguments? Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> known, TextWriter stderr)
    {
        var parsed = new VerbArguments();
        List<string>? current = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!known.Contains(arg))
                {
                    stderr.WriteLine($"unknown option {arg} ({Known(known)})");
                    return null;
                }

                current = [];
                parsed.options[arg] = current;
            }
            else if (current is null)
            {
                stderr.WriteLine($"unexpected '{arg}': options start with -- ({Known(known)})");
                return null;
            }
            else
            {
                current.Add(arg);
            }
        }

        return OutputProblem(parsed.Value("--output")) is { } problem ? Refuse(stderr, problem) : parsed;
    }

    /// <summary>
    /// <c>--output</c> names the file a verb writes, in every verb: a folder given there is said before the work (a training
    /// run of minutes) rather than after it, as an error the bot did not expect.
    /// </summary>
    private static string? OutputProblem(string? output) =>
        output is not null && Directory.Exists(output) ? $"--output: {output} is a folder; name the file to write" : null;

    private static VerbArguments? Refuse(TextWriter stderr, string problem)
    {
        stderr.WriteLine(problem);
        return null;
    }

    private static string Known(IReadOnlyCollection<string> known) => known.Count == 0 ? "this verb takes none" : "known: " + string.Join(", ", known);

    public bool Has(string name) => options.ContainsKey(name);

    /// <summary>False (with a message) when one of <paramref name="names"/> is given without its value (<c>--format</c> at the end).</summary>
    public bool HaveValues(TextWriter stderr, params string[] names)
    {
        if (names.FirstOrDefault(n => Has(n) && Values(n).Count == 0) is { } bare)
        {
            stderr.WriteLine($"{bare} needs a value");
            return false;
        }

        return true;
    }

    public IReadOnlyList<string> Values(string name) => options.TryGetValue(name, out var values) ? values : [];

    public string? Value(string name) => options.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    /// <summary>A UTC calendar day given as yyyy-MM-dd; false (with a message) when present but malformed.</summary>
    public bool TryDate(string name, TextWriter stderr, out DateOnly? date)
    {
        date = null;
        if (Value(name) is not { } text)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = parsed;
            return true;
        }

        stderr.WriteLine($"{name} wants a date like 2025-11-24, not '{text}'");
        return false;
    }

    /// <summary>A file under the repository's config folder, looked for from the working directory and the program's folder upwards.</summary>
    public static string? FindConfigFile(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "config", relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
