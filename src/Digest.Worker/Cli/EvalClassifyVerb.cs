using System.Globalization;
using System.Text.Json;
using Digest.Core;
using Digest.Core.Classification;
using Digest.Core.Stories;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>digest eval classify</c>, two ways. On a fixed split — <c>--input FILE.jsonl --output OUT.jsonl [--labels TSV]
/// [--from D] [--to D] [--profile F] [--model F] [--threshold X] [--mistakes]</c> — it classifies every line with the
/// shipped (or given) model and writes <c>{"id","relevant","score","borderline","tags","reasons"}</c>; where lines carry a
/// label (in the input or joined from --labels by id) it prints precision, recall and F1 for T against W+O (? left out),
/// and the mistakes only with --mistakes (a blind check must not show them). With <c>--rolling [DATE…]</c> it retrains
/// for each origin d on the labels up to d and tests on the days after (<c>--horizon N</c> of them; all by default),
/// and prints a table of origins: how the classifier does on news it has not seen yet. With <c>--rolling --stories CLUSTERS.tsv</c> it also applies story-level relevance to each origin's
/// test days (<see cref="StoryRelevanceEvaluation"/>: a borderline item that joins a relevant story is relevant) and
/// prints both figures.
/// </summary>
internal static class EvalClassifyVerb
{
    private static readonly string[] Known = ["--input", "--output", "--labels", "--from", "--to", "--profile", "--model", "--threshold", "--rolling", "--horizon", "--mistakes", "--stories"];
    private static readonly double[] CalibrationEdges = [0, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1];

    private const string Usage = "usage: eval classify --input FILE.jsonl --output OUT.jsonl [--labels labels.tsv] [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--profile topic.json] [--model model.bin] [--threshold 0.5] [--mistakes]\n"
        + "       eval classify --rolling [yyyy-MM-dd …] --input FILE.jsonl --labels labels.tsv [--horizon DAYS] [--from D] [--to D] [--profile topic.json] [--threshold 0.5] [--mistakes] [--stories clusters.tsv]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parsed = VerbArguments.Parse(args, Known, stderr);
        if (parsed is null || !parsed.TryDate("--from", stderr, out var from) || !parsed.TryDate("--to", stderr, out var to))
        {
            return 2;
        }

        var rolling = parsed.Has("--rolling");
        if (parsed.Value("--input") is not { } input || (!rolling && parsed.Value("--output") is null) || (rolling && parsed.Value("--labels") is null))
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        foreach (var file in new[] { input, parsed.Value("--labels") }.OfType<string>().Where(f => !File.Exists(f)))
        {
            await stderr.WriteLineAsync($"no file at '{file}'");
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

        int? horizon = null;
        if (parsed.Value("--horizon") is { } horizonText)
        {
            if (!int.TryParse(horizonText, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days < 1)
            {
                await stderr.WriteLineAsync($"--horizon wants a whole number of days, not '{horizonText}'");
                return 2;
            }

            horizon = days;
        }

        var origins = new List<DateOnly>();
        foreach (var value in parsed.Values("--rolling"))
        {
            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var origin))
            {
                await stderr.WriteLineAsync($"--rolling wants origins like 2025-11-24, not '{value}'");
                return 2;
            }

            origins.Add(origin);
        }

        try
        {
            var headlines = Headlines.ReadJsonLines(input).Where(h => h.InDays(from, to)).ToList();
            if (parsed.Value("--labels") is { } labelsPath)
            {
                headlines = Headlines.WithLabels(headlines, labelsPath);
            }

            return rolling
                ? await RollingAsync(headlines, origins, horizon, threshold, parsed.Value("--profile"), parsed.Has("--mistakes"), stdout, stderr, cancellationToken)
                    is var code && code == 0 && parsed.Value("--stories") is { } storiesPath
                    ? await StoriesAsync(headlines, origins, horizon, threshold, parsed.Value("--profile"), storiesPath, stdout, stderr, cancellationToken)
                    : code
                : await FixedAsync(headlines, parsed.Value("--output")!, threshold, parsed.Value("--profile"), parsed.Value("--model"), parsed.Has("--mistakes"), stdout, stderr, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static async Task<int> FixedAsync(
        List<Headline> headlines, string output, double? threshold, string? profilePath, string? modelPath, bool mistakes, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var classifier = ClassifierFiles.Load(profilePath, modelPath, stderr);
        if (classifier is null)
        {
            return 2;
        }

        if (threshold is { } t)
        {
            classifier = classifier.WithProfile(classifier.Profile with { Threshold = t, StoryThreshold = Math.Min(t, classifier.Profile.StoryThreshold) });
        }

        var results = new List<(Headline Headline, Relevance Verdict)>(headlines.Count);
        await using (var writer = new StreamWriter(output))
        {
            foreach (var headline in headlines)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var verdict = classifier.Classify(headline.Input);
                results.Add((headline, verdict));
                var line = new ClassifyLine(IdValue(headline.Id), verdict.Relevant, verdict.Score, verdict.Borderline, verdict.Tags, verdict.Reasons);
                await writer.WriteLineAsync(JsonSerializer.Serialize(line, TopicProfile.JsonLines));
            }
        }

        var profile = classifier.Profile;
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"classified {results.Count} items, {results.Count(r => r.Verdict.Relevant)} relevant (threshold {profile.Threshold}), {results.Count(r => r.Verdict.Borderline)} borderline (from {profile.StoryThreshold}); wrote {output}"));
        var judged = results.Where(r => r.Headline.Relevant is not null).ToList();
        if (judged.Count == 0)
        {
            return 0;
        }

        var confusion = Confusion.Count(judged.Select(r => (r.Verdict.Relevant, r.Headline.Relevant!.Value)));
        await stdout.WriteLineAsync($"T against W+O on {judged.Count} labelled items ({results.Count - judged.Count} unlabelled or '?' left out):");
        await stdout.WriteLineAsync("  " + confusion);
        var borderline = judged.Where(r => r.Verdict.Borderline).ToList();
        await stdout.WriteLineAsync($"  borderline: {borderline.Count} items, {borderline.Count(r => r.Headline.Relevant == true)} of them T");
        // A blind check prints its figures only: the mistakes are listed when asked for (--mistakes).
        foreach (var (headline, verdict) in mistakes ? judged.Where(r => r.Verdict.Relevant != r.Headline.Relevant) : [])
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {(verdict.Relevant ? "FP" : "FN")} {verdict.Score:0.000} [{headline.Label}] {headline.Title} — {string.Join("; ", verdict.Reasons)}"));
        }

        return 0;
    }

    private static async Task<int> RollingAsync(
        List<Headline> labelled, List<DateOnly> origins, int? horizon, double? threshold, string? profilePath, bool mistakes, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        profilePath = ClassifierFiles.ProfilePath(profilePath);
        if (profilePath is null || !File.Exists(profilePath))
        {
            await stderr.WriteLineAsync($"no topic profile at '{profilePath ?? "config/" + ClassifierFiles.DefaultProfile}' (give --profile)");
            return 2;
        }

        var profile = TopicProfile.Load(profilePath);
        if (threshold is { } t)
        {
            profile = profile with { Threshold = t, StoryThreshold = Math.Min(t, profile.StoryThreshold) };
        }

        if (origins.Count == 0)
        {
            origins = ClassifierEvaluation.DefaultOrigins(labelled);
        }

        if (origins.Count == 0)
        {
            await stderr.WriteLineAsync("no labelled headlines with a first-seen day to roll over");
            return 2;
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"rolling origin: for each origin d, trained on the labels first seen up to d and the profile's examples, tested on {(horizon is { } h ? $"the {h} days" : "every labelled day")} after d (threshold {profile.Threshold}; borderline from {profile.StoryThreshold})"));
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync("| origin d | trained (T) | tested days | tested (T) | precision | recall | F1 | TP | FP | FN | TN | borderline (T) |");
        await stdout.WriteLineAsync("|---|---|---|---|---|---|---|---|---|---|---|---|");
        var results = new List<OriginResult>();
        foreach (var origin in origins)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var r = ClassifierEvaluation.EvaluateOrigin(profile, labelled, origin, horizon);
            results.Add(r);
            var c = r.Confusion;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Origin:yyyy-MM-dd} | {r.Trained} ({r.TrainedPositives}) | {r.TestFrom:MM-dd}…{r.TestTo:MM-dd} | {c.TruePositives + c.FalsePositives + c.FalseNegatives + c.TrueNegatives} ({c.TruePositives + c.FalseNegatives}) | {c.Precision:0.000} | {c.Recall:0.000} | {c.F1:0.000} | {c.TruePositives} | {c.FalsePositives} | {c.FalseNegatives} | {c.TrueNegatives} | {r.Borderline} ({r.BorderlinePositives}) |"));
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"| mean | | | | {results.Average(r => r.Confusion.Precision):0.000} | {results.Average(r => r.Confusion.Recall):0.000} | {results.Average(r => r.Confusion.F1):0.000} | | | | | |"));
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync("calibration over every origin's test items: the share about the story in each band of scores");
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync("| score | items | about the story |");
        await stdout.WriteLineAsync("|---|---|---|");
        foreach (var bin in ClassifierEvaluation.Calibration(results.SelectMany(r => r.Scores), CalibrationEdges))
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {bin.From:0.00}–{bin.To:0.00} | {bin.Count} | {bin.Positives} ({bin.Rate:0.00}) |"));
        }

        foreach (var result in mistakes ? results : [])
        {
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync($"mistakes of the model trained up to {result.Origin:yyyy-MM-dd}:");
            foreach (var (headline, verdict) in result.Mistakes)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {(verdict.Relevant ? "FP" : "FN")} {verdict.Score:0.000} {headline.Day:MM-dd} [{headline.Label}] {headline.Title} — {string.Join("; ", verdict.Reasons)}"));
            }
        }

        return 0;
    }

    /// <summary>The rolling origin again, with story-level relevance applied to each origin's test days.</summary>
    private static async Task<int> StoriesAsync(
        List<Headline> headlines, List<DateOnly> origins, int? horizon, double? threshold, string? profilePath, string storiesPath, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!File.Exists(storiesPath))
        {
            await stderr.WriteLineAsync($"--stories: no file at '{storiesPath}'");
            return 2;
        }

        var profile = TopicProfile.Load(ClassifierFiles.ProfilePath(profilePath)!);
        if (threshold is { } t)
        {
            profile = profile with { Threshold = t, StoryThreshold = Math.Min(t, profile.StoryThreshold) };
        }

        var labelled = headlines.Where(h => h.Relevant is not null).ToList();
        if (origins.Count == 0)
        {
            origins = ClassifierEvaluation.DefaultOrigins(labelled);
        }

        var stories = ClusterEvaluation.ReadLabels(storiesPath);
        using var embedder = new Embeddings.MiniLmEmbedder();
        var cached = new CachingEmbedder(embedder);
        var extractor = new EventFeatureExtractor(profile);
        var results = StoryRelevanceEvaluation.Rolling(profile, headlines, origins, horizon, stories, m => new StoryWindowClusterer(extractor, new EventClusterer(null, m), cached), cancellationToken);
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync("with story-level relevance: each origin's relevant and borderline test items clustered as one window (the same-event model trained on the stories up to d), a borderline item in a story with a relevant one made relevant");
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync("| origin d | tested | items: precision | recall | F1 | with stories: precision | recall | F1 | promoted (T) |");
        await stdout.WriteLineAsync("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Origin:yyyy-MM-dd} | {r.TestItems} | {r.Items.Precision:0.000} | {r.Items.Recall:0.000} | {r.Items.F1:0.000} | {r.Stories.Precision:0.000} | {r.Stories.Recall:0.000} | {r.Stories.F1:0.000} | {r.Promoted} ({r.PromotedPositives}) |"));
        }

        if (results.Count > 0)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| mean | | {results.Average(r => r.Items.Precision):0.000} | {results.Average(r => r.Items.Recall):0.000} | {results.Average(r => r.Items.F1):0.000} | {results.Average(r => r.Stories.Precision):0.000} | {results.Average(r => r.Stories.Recall):0.000} | {results.Average(r => r.Stories.F1):0.000} | |"));
        }

        foreach (var (headline, verdict) in results.SelectMany(r => r.PromotedItems).DistinctBy(p => p.Headline.Id))
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  promoted [{headline.Label}] {verdict.Score:0.000} {headline.Title} — {verdict.Reasons[^1]}"));
        }

        return 0;
    }

    /// <summary>Numeric ids stay numbers in the output, as they are in headlines.jsonl.</summary>
    private static object IdValue(string id) => long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : id;

    private sealed record ClassifyLine(object Id, bool Relevant, double Score, bool Borderline, IReadOnlyList<string> Tags, IReadOnlyList<string> Reasons);
}
