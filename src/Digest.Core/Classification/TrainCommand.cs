using System.Globalization;
using System.Security.Cryptography;

namespace Digest.Core.Classification;

/// <summary>
/// <c>digest train --labels FILE… [--headlines FILE] [--until DATE] [--profile FILE] [--output FILE]</c>: (re)builds the
/// topic model from labelled headlines, moderator feedback and the profile's own examples. Deterministic: the same
/// inputs give the same bytes.
/// </summary>
public static class TrainCommand
{
    private static readonly string[] Known = ["--labels", "--headlines", "--until", "--profile", "--output"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var parsed = VerbArguments.Parse(args, Known, stderr);
        if (parsed is null || !parsed.TryDate("--until", stderr, out var until))
        {
            return 2;
        }

        if (parsed.Values("--labels") is not { Count: > 0 } labelFiles)
        {
            await stderr.WriteLineAsync("usage: train --labels FILE… [--headlines headlines.jsonl] [--until yyyy-MM-dd] [--profile topic.json] [--output model.bin]");
            return 2;
        }

        var profilePath = parsed.Value("--profile") ?? VerbArguments.FindConfigFile("topics/ukraine-peace-talks.json");
        if (profilePath is null || !File.Exists(profilePath))
        {
            await stderr.WriteLineAsync($"no topic profile at '{profilePath ?? "config/topics/ukraine-peace-talks.json"}' (give --profile)");
            return 2;
        }

        if (labelFiles.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            await stderr.WriteLineAsync($"no labels file at '{missing}'");
            return 2;
        }

        var headlinesPath = parsed.Value("--headlines")
            ?? labelFiles.Select(f => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(f))!, "headlines.jsonl")).FirstOrDefault(File.Exists);
        try
        {
            var profile = TopicProfile.Load(profilePath);
            var output = Path.GetFullPath(parsed.Value("--output") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(profilePath))!, "..", profile.Model));
            var byId = headlinesPath is null ? null : Headlines.ReadJsonLines(headlinesPath).ToDictionary(h => h.Id);
            var labelled = labelFiles.SelectMany(f => Headlines.ReadLabels(f, byId, until)).ToList();
            var (model, examples) = Train(profile, labelled);
            ct.ThrowIfCancellationRequested();

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            using (var stream = File.Create(output))
            {
                model.Save(stream);
            }

            var bytes = await File.ReadAllBytesAsync(output, ct);
            await stdout.WriteLineAsync($"trained on {examples.Count} examples ({examples.Count(e => e.Positive)} about the story) from {string.Join(", ", labelFiles)} and the profile's examples");
            await stdout.WriteLineAsync($"wrote {output} ({bytes.Length / 1024} KiB, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]})");
            await stdout.WriteLineAsync("out-of-fold precision/recall by threshold (the profile's threshold is " + profile.Threshold.ToString("0.##", CultureInfo.InvariantCulture) + "):");
            foreach (var threshold in new[] { 0.3, 0.4, 0.5, 0.6, 0.7, 0.8 })
            {
                var counts = Confusion.Count(examples.Select((e, i) => (model.OutOfFold[i] >= threshold, e.Positive)));
                await stdout.WriteLineAsync($"  {threshold:0.0}: {counts}");
            }

            return 0;
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }
    }

    /// <summary>Trains on the labelled titles plus the profile's example positives and negatives, in the given order.</summary>
    internal static (TopicModel Model, List<TrainingExample> Examples) Train(TopicProfile profile, IEnumerable<(string Title, bool Positive)> labelled)
    {
        var features = new TopicFeatures(profile);
        var examples = labelled
            .Concat(profile.PositiveExamples.Select(t => (t, true)))
            .Concat(profile.NegativeExamples.Select(t => (t, false)))
            .Select(l => new TrainingExample(features.Extract(TopicFeatures.TextOf(new ClassifierInput(l.Item1))), l.Item2))
            .ToList();
        return (TopicModel.Train(examples, new TrainingSettings()), examples);
    }
}

/// <summary>Confusion counts of a yes/no decision against labels, with precision, recall and F1.</summary>
internal readonly record struct Confusion(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static Confusion Count(IEnumerable<(bool Predicted, bool Actual)> pairs)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var (predicted, actual) in pairs)
        {
            _ = (predicted, actual) switch
            {
                (true, true) => tp++,
                (true, false) => fp++,
                (false, true) => fn++,
                _ => tn++,
            };
        }

        return new Confusion(tp, fp, fn, tn);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"precision {Precision:0.000} recall {Recall:0.000} F1 {F1:0.000} (TP {TruePositives}, FP {FalsePositives}, FN {FalseNegatives}, TN {TrueNegatives})");
}
