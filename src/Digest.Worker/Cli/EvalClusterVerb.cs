using System.Globalization;
using Digest.Core;
using Digest.Core.Classification;
using Digest.Core.Stories;
using Digest.Embeddings;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>digest eval cluster --input FILE.jsonl [--labels FILE.tsv] [--output FILE.tsv] [--all] [--from D --to D]
/// [--no-embeddings] [--one-window | --pass-hours N] [--show N] [--set Name=value …] [--profile F] [--model F]</c>:
/// classifies the headlines (all of them with --all), replays the relevant ones through the process stage's passes — one
/// per listing (each distinct first-seen time), or one per N hours of them with --pass-hours (the dev figure only) —
/// with the pipeline's own clustering, committed items pinned and committed stories merged when a pass shows them to be
/// one event (<c>--set MergeStories=false</c>: never), or clusters them all as one window with --one-window; and prints
/// the stories; with --labels it keeps
/// only the labelled lines and prints B-cubed precision, recall and F1; --output writes <c>id&lt;TAB&gt;story</c> for
/// every line (story <c>-</c> for a line the classifier left out). With --labels and --rolling it also scores days the
/// clusterer was not tuned on: a rolling origin and three held-back folds (<see cref="HeldOutEvaluation"/>).
/// The clusterer is the one the pipeline uses — the same-event model of <c>config/models/story-pairs.json</c>
/// (<c>--story-model</c> for another) — unless <c>--clusterer rules</c> (the hand-weighted similarity) or
/// <c>--clusterer incremental</c> (the previous incremental clusterer, fed in published order). With --rolling, the model
/// is retrained on each origin's earlier days (each fold's other days) and scored on the days after (the fold).
/// </summary>
internal static class EvalClusterVerb
{
    private const string Usage = "usage: eval cluster --input FILE.jsonl [--labels FILE.tsv] [--output FILE.tsv] [--all] [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--no-embeddings] [--clusterer pairs|rules|incremental] [--story-model F] [--rolling] [--one-window | --pass-hours N] [--show 10] [--set MergeThreshold=0.45 …] [--profile topic.json] [--model model.bin]";

    private static readonly string[] Known = ["--input", "--labels", "--output", "--all", "--from", "--to", "--no-embeddings", "--clusterer", "--story-model", "--rolling", "--one-window", "--pass-hours", "--show", "--set", "--profile", "--model"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parsed = VerbArguments.Parse(args, Known, stderr);
        if (parsed is null || !parsed.TryDate("--from", stderr, out var from) || !parsed.TryDate("--to", stderr, out var to))
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        if (parsed.Value("--input") is not { } input)
        {
            await stderr.WriteLineAsync("--input is required\n" + Usage);
            return 2;
        }

        foreach (var (option, path) in new[] { ("--input", input), ("--labels", parsed.Value("--labels")) })
        {
            if (path is not null && !File.Exists(path))
            {
                await stderr.WriteLineAsync($"{option}: no file at '{path}'");
                return 2;
            }
        }

        var show = 10;
        if (parsed.Value("--show") is { } showText && (!int.TryParse(showText, NumberStyles.None, CultureInfo.InvariantCulture, out show) || show > 10_000))
        {
            await stderr.WriteLineAsync($"--show wants a number of stories to print, not '{showText}'");
            return 2;
        }

        TimeSpan? passEvery = null;
        if (parsed.Value("--pass-hours") is { } hoursText)
        {
            if (!int.TryParse(hoursText, NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours is < 1 or > 24 * 30 || parsed.Has("--one-window"))
            {
                await stderr.WriteLineAsync($"--pass-hours wants a number of hours from 1 to 720 (one process pass per that many hours of first sightings), not '{hoursText}', and not with --one-window");
                return 2;
            }

            passEvery = TimeSpan.FromHours(hours);
        }

        var kind = parsed.Value("--clusterer") ?? "pairs";
        if (kind is not ("pairs" or "rules" or "incremental"))
        {
            await stderr.WriteLineAsync($"--clusterer wants pairs, rules or incremental, not '{kind}'");
            return 2;
        }

        bool? incremental = kind == "incremental";
        StoryPairModel? model = null;
        if (kind == "pairs")
        {
            var modelPath = parsed.Value("--story-model") ?? VerbArguments.FindConfigFile(StoryPairModel.DefaultPath);
            if (modelPath is null || !File.Exists(modelPath))
            {
                await stderr.WriteLineAsync($"--story-model: no story model at '{modelPath ?? "config/" + StoryPairModel.DefaultPath}' (build it with `digest train stories`, or give --clusterer rules)");
                return 2;
            }

            try
            {
                model = StoryPairModel.Load(modelPath);
            }
            catch (InvalidDataException e)
            {
                await stderr.WriteLineAsync("--story-model: " + e.Message);
                return 2;
            }
        }

        var settings = new EventClusterSettings();
        foreach (var assignment in parsed.Values("--set"))
        {
            if (!TrySet(ref settings, assignment, out var error))
            {
                await stderr.WriteLineAsync($"--set {assignment}: {error}");
                return 2;
            }
        }

        try
        {
            var classifier = ClassifierFiles.Load(parsed.Value("--profile"), parsed.Value("--model"), stderr);
            if (classifier is null)
            {
                return 2;
            }

            var headlines = Headlines.ReadJsonLines(input).Where(h => h.InDays(from, to)).ToList();
            var unfiltered = headlines;
            Dictionary<string, string>? labels = null;
            if (parsed.Value("--labels") is { } labelsPath)
            {
                labels = ClusterEvaluation.ReadLabels(labelsPath);
                headlines = [.. headlines.Where(h => labels.ContainsKey(h.Id))];
            }

            using var embedder = parsed.Has("--no-embeddings") || incremental.Value ? null : new MiniLmEmbedder();
            var all = parsed.Has("--all");
            var oneWindow = parsed.Has("--one-window");
            var results = incremental.Value
                ? ClusterEvaluation.RunIncremental(headlines, all ? null : classifier, Incremental(classifier.Profile), cancellationToken)
                : passEvery is { } every
                    ? ClusterEvaluation.RunPasses(headlines, all ? null : classifier, new StoryWindowClusterer(new EventFeatureExtractor(classifier.Profile), new EventClusterer(settings, model), embedder), cancellationToken, every)
                    : ClusterEvaluation.Run(headlines, all ? null : classifier, new StoryWindowClusterer(new EventFeatureExtractor(classifier.Profile), new EventClusterer(settings, model), embedder), oneWindow, cancellationToken);
            var stories = results.Where(r => r.Story is not null).GroupBy(r => r.Story!.Value).ToList();
            var how = (incremental.Value ? "incremental clusterer" : model is null ? "hand-weighted rules" : "same-event model") + (incremental.Value ? "" : embedder is null ? ", without embeddings" : ", with " + embedder.Model + " embeddings")
                + (incremental.Value ? "" : oneWindow ? ", one window" : (settings.MergeStories ? ", the pipeline's passes with story merges" : ", the pipeline's passes without story merges")
                    + (settings.SplitStories ? (settings.MergeStories ? " and splits" : ", with splits") : "")
                    + (passEvery is { } e ? string.Create(CultureInfo.InvariantCulture, $", one pass per {e.TotalHours:0} h") : ", one pass per listing"));
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{headlines.Count} headlines, {results.Count(r => r.Relevant)} {(all ? "clustered (--all)" : "relevant")} → {stories.Count} stories ({results.Count(r => r.Duplicate)} near-copies{(results.Sum(r => r.Moves) is > 0 and var moves ? $", {moves} moves of a committed item to another story" : "")}), {how}"));

            if (labels is not null)
            {
                var score = ClusterEvaluation.Score(results, labels);
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"B-cubed on {score.Items} labelled headlines ({score.ReferenceStories} stories in the labels, {score.Stories} found): precision {score.Precision:0.000}, recall {score.Recall:0.000}, F1 {score.F1:0.000}"));
            }

            if (labels is not null && parsed.Has("--rolling") && incremental.Value)
            {
                await WriteIncrementalHeldOutAsync(headlines, labels, classifier.Profile, stdout, cancellationToken);
            }
            else if (labels is not null && parsed.Has("--rolling") && model is not null)
            {
                await WriteModelHeldOutAsync(headlines, unfiltered, labels, settings, classifier.Profile, embedder, oneWindow, stdout, cancellationToken);
            }
            else if (labels is not null && parsed.Has("--rolling"))
            {
                await WriteHeldOutAsync(headlines, labels, settings, classifier.Profile, embedder, oneWindow, stdout, cancellationToken);
            }

            if (parsed.Value("--output") is { } output)
            {
                await File.WriteAllLinesAsync(output, results.Select(r => $"{r.Headline.Id}\t{(r.Story is { } s ? s.ToString(CultureInfo.InvariantCulture) : "-")}"), cancellationToken);
                await stdout.WriteLineAsync($"wrote {results.Count} lines to {output}");
            }

            foreach (var story in stories.OrderByDescending(s => s.Count()).ThenBy(s => s.Key).Take(show))
            {
                var members = story.ToList();
                await stdout.WriteLineAsync();
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"story {story.Key}: {members.Count} items, {members.Select(m => m.Headline.Outlet).Distinct().Count()} outlets"));
                foreach (var m in members)
                {
                    var label = labels is not null && labels.TryGetValue(m.Headline.Id, out var l) ? $" [{l}]" : "";
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"  {(m.Duplicate ? "=" : "+")} {m.Headline.FirstSeen:MM-dd HH:mm} {m.Headline.Title} ({m.Headline.Outlet}){label}"));
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

    /// <summary>The incremental clusterer as the process stage configured it: a 48-hour window, the profile's venues.</summary>
    private static StoryClusterer Incremental(TopicProfile profile) => new(TimeSpan.FromHours(48), profile.Venues);

    /// <summary>The incremental clusterer (nothing to tune) on the same held-out days as the window clusterer.</summary>
    private static async Task WriteIncrementalHeldOutAsync(List<Headline> headlines, Dictionary<string, string> labels, TopicProfile profile, TextWriter stdout, CancellationToken cancellationToken)
    {
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync("held out (the incremental clusterer has nothing to tune; F1 on the same days the window clusterer holds out):");
        foreach (var (kind, sets) in new[] { ("rolling origin", HeldOutEvaluation.RollingSets(headlines)), ("held-back folds", HeldOutEvaluation.FoldSets(headlines, 3)) })
        {
            var scores = new List<double>();
            foreach (var (name, _, test) in sets)
            {
                var score = ClusterEvaluation.Score(ClusterEvaluation.RunIncremental(test, null, Incremental(profile), cancellationToken), labels);
                scores.Add(score.F1);
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-30} test {test.Count,3}  F1 {score.F1:0.000} (P {score.Precision:0.000} R {score.Recall:0.000})"));
            }

            if (scores.Count > 0)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  mean over {kind}: F1 {scores.Average():0.000}"));
            }
        }
    }

    private static async Task WriteModelHeldOutAsync(List<Headline> headlines, List<Headline> unfiltered, Dictionary<string, string> labels, EventClusterSettings settings, TopicProfile profile, ITextEmbedder? embedder, bool oneWindow, TextWriter stdout, CancellationToken cancellationToken)
    {
        var cached = embedder is null ? null : new CachingEmbedder(embedder);
        var extractor = new EventFeatureExtractor(profile);
        var rows = HeldOutEvaluation.Model(headlines, labels, ClusterEvaluation.Confusable(unfiltered, labels, extractor), m => new StoryWindowClusterer(extractor, new EventClusterer(settings, m), cached), oneWindow, cancellationToken);
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync("held out (the same-event model trained on the other days' pairs; F1 on the days held out):");
        foreach (var (name, train, test, score) in rows)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-30} train {train,3} test {test,3}  F1 {score.F1:0.000} (P {score.Precision:0.000} R {score.Recall:0.000}, {score.Stories} stories for {score.ReferenceStories})"));
        }

        foreach (var (what, prefix) in new[] { ("rolling origin", "tune"), ("held-back folds", "fold") })
        {
            var list = rows.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (list.Count > 0)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  mean over {what}: F1 {list.Average(r => r.Score.F1):0.000}"));
            }
        }
    }

    private static async Task WriteHeldOutAsync(List<Headline> headlines, Dictionary<string, string> labels, EventClusterSettings settings, TopicProfile profile, ITextEmbedder? embedder, bool oneWindow, TextWriter stdout, CancellationToken cancellationToken)
    {
        var cached = embedder is null ? null : new CachingEmbedder(embedder);
        var extractor = new EventFeatureExtractor(profile);
        StoryWindowClusterer Make(EventClusterSettings s) => new(extractor, new EventClusterer(s), cached);
        var rows = HeldOutEvaluation.Rolling(headlines, labels, Make, settings, oneWindow, cancellationToken)
            .Concat(HeldOutEvaluation.Folds(headlines, labels, 3, Make, settings, oneWindow, cancellationToken)).ToList();
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync("held out (MergeThreshold chosen on the tuning days from " + string.Join("/", HeldOutEvaluation.Thresholds.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture))) + "; F1 on the days held out):");
        foreach (var row in rows)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {row.Name,-30} tune {row.TuneItems,3} test {row.TestItems,3}  threshold {row.ChosenThreshold:0.00} → F1 {row.Tuned.F1:0.000} (P {row.Tuned.Precision:0.000} R {row.Tuned.Recall:0.000});  defaults F1 {row.Defaults.F1:0.000}"));
        }

        if (rows.Count == 0)
        {
            await stdout.WriteLineAsync("  too few labelled days: a rolling origin needs 5, held-back folds 3");
            return;
        }

        foreach (var (kind, group) in new[] { ("rolling origin", rows.Where(r => r.Name.StartsWith("tune", StringComparison.Ordinal))), ("held-back folds", rows.Where(r => r.Name.StartsWith("fold", StringComparison.Ordinal))) })
        {
            var list = group.ToList();
            if (list.Count == 0)
            {
                continue;
            }

            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  mean over {kind}: tuned F1 {list.Average(r => r.Tuned.F1):0.000}, defaults F1 {list.Average(r => r.Defaults.F1):0.000}"));
        }
    }

    /// <summary>Overrides one clusterer setting by name (<c>MergeThreshold=0.5</c>, <c>MergeStories=false</c>), for experiments.</summary>
    private static bool TrySet(ref EventClusterSettings settings, string assignment, out string error)
    {
        var parts = assignment.Split('=', 2);
        var property = typeof(EventClusterSettings).GetProperty(parts[0]);
        if (parts.Length != 2 || property is null || (property.PropertyType != typeof(double) && property.PropertyType != typeof(bool)))
        {
            error = "wants Name=value with one of " + string.Join(", ", typeof(EventClusterSettings).GetProperties().Select(p => p.Name));
            return false;
        }

        object value;
        if (property.PropertyType == typeof(bool))
        {
            if (!bool.TryParse(parts[1], out var flag))
            {
                error = $"'{parts[1]}' is not true or false";
                return false;
            }

            value = flag;
        }
        else if (double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
        }
        else
        {
            error = $"'{parts[1]}' is not a number";
            return false;
        }

        settings = settings with { };
        property.SetValue(settings, value);
        error = "";
        return true;
    }
}
