using System.Globalization;
using System.Text.Json;

namespace Digest.Core.Classification;

/// <summary>
/// <c>digest eval classify --input FILE.jsonl --output OUT.jsonl [--labels labels.tsv] [--from DATE] [--to DATE]
/// [--profile FILE] [--model FILE] [--threshold X]</c>: classifies every line and writes
/// <c>{"id","relevant","score","tags","reasons"}</c>; when lines carry a label (in the input or joined from --labels by
/// id) it prints precision, recall and F1 for T against W+O (? left out), the confusion counts and the mistakes.
/// </summary>
public static class EvalClassifyCommand
{
    private static readonly string[] Known = ["--input", "--output", "--labels", "--from", "--to", "--profile", "--model", "--threshold"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var parsed = VerbArguments.Parse(args, Known, stderr);
        if (parsed is null || !parsed.TryDate("--from", stderr, out var from) || !parsed.TryDate("--to", stderr, out var to))
        {
            return 2;
        }

        if (parsed.Value("--input") is not { } input || parsed.Value("--output") is not { } output)
        {
            await stderr.WriteLineAsync("usage: eval classify --input FILE.jsonl --output OUT.jsonl [--labels labels.tsv] [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--profile topic.json] [--model model.bin] [--threshold 0.6]");
            return 2;
        }

        if (!File.Exists(input))
        {
            await stderr.WriteLineAsync($"no input file at '{input}'");
            return 2;
        }

        double? threshold = null;
        if (parsed.Value("--threshold") is { } text)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 1)
            {
                await stderr.WriteLineAsync($"--threshold wants a number from 0 to 1, not '{text}'");
                return 2;
            }

            threshold = value;
        }

        try
        {
            var classifier = LoadClassifier(parsed.Value("--profile"), parsed.Value("--model"), stderr);
            if (classifier is null)
            {
                return 2;
            }

            if (threshold is { } t)
            {
                classifier = classifier.WithProfile(classifier.Profile with { Threshold = t });
            }

            var headlines = Headlines.ReadJsonLines(input).Where(h => h.InDays(from, to)).ToList();
            if (parsed.Value("--labels") is { } labelsPath)
            {
                var labels = File.ReadLines(labelsPath).Select(l => l.Split('\t')).Where(f => f.Length >= 2).ToDictionary(f => f[0].Trim(), f => f[1].Trim());
                headlines = [.. headlines.Where(h => labels.ContainsKey(h.Id)).Select(h => h with { Label = labels[h.Id] })];
            }

            var results = new List<(Headline Headline, Relevance Verdict)>(headlines.Count);
            await using (var writer = new StreamWriter(output))
            {
                foreach (var headline in headlines)
                {
                    ct.ThrowIfCancellationRequested();
                    var verdict = classifier.Classify(headline.Input);
                    results.Add((headline, verdict));
                    await writer.WriteLineAsync(JsonSerializer.Serialize(new ClassifyLine(IdValue(headline.Id), verdict.Relevant, verdict.Score, verdict.Tags, verdict.Reasons), TopicProfile.JsonLines));
                }
            }

            await stdout.WriteLineAsync($"classified {results.Count} items, {results.Count(r => r.Verdict.Relevant)} relevant (threshold {classifier.Profile.Threshold.ToString(CultureInfo.InvariantCulture)}); wrote {output}");
            var judged = results.Where(r => r.Headline.Label is { } l && Headlines.ParseLabel(l) is not null).ToList();
            if (judged.Count > 0)
            {
                var confusion = Confusion.Count(judged.Select(r => (r.Verdict.Relevant, Headlines.ParseLabel(r.Headline.Label!)!.Value)));
                await stdout.WriteLineAsync($"T against W+O on {judged.Count} labelled items ({results.Count - judged.Count} unlabelled or '?' left out):");
                await stdout.WriteLineAsync("  " + confusion);
                foreach (var (headline, verdict) in judged.Where(r => r.Verdict.Relevant != Headlines.ParseLabel(r.Headline.Label!)))
                {
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"  {(verdict.Relevant ? "FP" : "FN")} {verdict.Score:0.000} [{headline.Label}] {headline.Title} — {string.Join("; ", verdict.Reasons)}"));
                }
            }

            return 0;
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }
    }

    /// <summary>The classifier of a profile file and its model, defaulting to the shipped config.</summary>
    internal static TopicClassifier? LoadClassifier(string? profilePath, string? modelPath, TextWriter stderr)
    {
        profilePath ??= VerbArguments.FindConfigFile("topics/ukraine-peace-talks.json");
        if (profilePath is null || !File.Exists(profilePath))
        {
            stderr.WriteLine($"no topic profile at '{profilePath ?? "config/topics/ukraine-peace-talks.json"}' (give --profile)");
            return null;
        }

        var profile = TopicProfile.Load(profilePath);
        modelPath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(profilePath))!, "..", profile.Model);
        if (!File.Exists(modelPath))
        {
            stderr.WriteLine($"no topic model at '{modelPath}' (build one with `digest train`, or give --model)");
            return null;
        }

        return TopicClassifier.Load(profile, modelPath);
    }

    /// <summary>Numeric ids stay numbers in the output, as they are in headlines.jsonl.</summary>
    private static object IdValue(string id) => long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : id;

    private sealed record ClassifyLine(object Id, bool Relevant, double Score, IReadOnlyList<string> Tags, IReadOnlyList<string> Reasons);
}
