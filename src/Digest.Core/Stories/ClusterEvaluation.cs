using System.Globalization;
using Digest.Core.Classification;

namespace Digest.Core.Stories;

/// <summary>One headline's story in an evaluation run: null when the classifier left it out.</summary>
/// <param name="Moves">How many times the item left its story for another after it was committed (splits).</param>
internal sealed record EvaluatedHeadline(Headline Headline, bool Relevant, int? Story, bool Duplicate, int Moves = 0);

/// <summary>
/// The story evaluator behind <c>digest eval cluster</c>: classifies headlines (unless all are taken), replays the relevant
/// ones through the process stage's passes (<see cref="RunPasses"/>) — one pass per moment they were first seen (the
/// hourly listings), each clustering its items with the committed ones within reach, pinned to their stories, and
/// merging committed stories the pass shows to be one event (<see cref="StoryWindowClusterer.Pass"/>, the pipeline's own code) — and scores the
/// stories against an editor's with B-cubed precision, recall and F1. <see cref="RunOneWindow"/> clusters them all as
/// one window instead (what a pass could do if nothing were committed yet).
/// </summary>
internal static class ClusterEvaluation
{
    /// <summary><see cref="RunPasses"/>, or <see cref="RunOneWindow"/> when <paramref name="oneWindow"/>.</summary>
    public static List<EvaluatedHeadline> Run(IReadOnlyList<Headline> headlines, TopicClassifier? classifier, StoryWindowClusterer clusterer, bool oneWindow, CancellationToken cancellationToken) =>
        oneWindow ? RunOneWindow(headlines, classifier, clusterer, cancellationToken) : RunPasses(headlines, classifier, clusterer, cancellationToken);

    /// <param name="every">One pass per this much time of first sightings (null: one per listing, as hourly polls give),
    /// to see how much the stories depend on when the passes ran.</param>
    public static List<EvaluatedHeadline> RunPasses(IReadOnlyList<Headline> headlines, TopicClassifier? classifier, StoryWindowClusterer clusterer, CancellationToken cancellationToken, TimeSpan? every = null)
    {
        var replay = new PassReplay(clusterer);
        foreach (var batch in Relevant(headlines, classifier, cancellationToken).OrderBy(d => d, StoryDocument.Order).GroupBy(d => every is { } span ? d.Published.UtcTicks / span.Ticks * span.Ticks : d.Published.UtcTicks))
        {
            replay.Pass([.. batch], cancellationToken);
        }

        var storyOf = replay.Committed.ToDictionary(c => c.Key, c => (int)c.Value.StoryId);
        return [.. headlines.Select((h, i) => storyOf.TryGetValue(i + 1L, out var story)
            ? new EvaluatedHeadline(h, true, story, replay.Duplicates.Contains(i + 1L), replay.MovesOf.GetValueOrDefault(i + 1L))
            : new EvaluatedHeadline(h, false, null, false))];
    }

    /// <summary>The relevant headlines clustered as one window, with nothing committed before: no pass boundaries.</summary>
    public static List<EvaluatedHeadline> RunOneWindow(IReadOnlyList<Headline> headlines, TopicClassifier? classifier, StoryWindowClusterer clusterer, CancellationToken cancellationToken)
    {
        var partition = clusterer.Cluster(Relevant(headlines, classifier, cancellationToken), null, cancellationToken);
        var storyOf = new Dictionary<long, int>();
        for (var c = 0; c < partition.Clusters.Count; c++)
        {
            foreach (var id in partition.Clusters[c].ItemIds)
            {
                storyOf[id] = c + 1;
            }
        }

        return [.. headlines.Select((h, i) => storyOf.TryGetValue(i + 1L, out var story)
            ? new EvaluatedHeadline(h, true, story, partition.DuplicateOf.ContainsKey(i + 1L))
            : new EvaluatedHeadline(h, false, null, false))];
    }

    /// <summary>The headlines the classifier finds relevant (all of them without one), as documents numbered by line.</summary>
    private static List<StoryDocument> Relevant(IReadOnlyList<Headline> headlines, TopicClassifier? classifier, CancellationToken cancellationToken)
    {
        var relevant = new List<StoryDocument>();
        for (var i = 0; i < headlines.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var headline = headlines[i];
            if (classifier is not null && !classifier.Classify(headline.Input).Relevant)
            {
                continue;
            }

            relevant.Add(Document(headline, i + 1L));
        }

        return relevant;
    }

    /// <summary>A headline as the clusterer reads an item.</summary>
    public static StoryDocument Document(Headline headline, long itemId) =>
        new(itemId, headline.Id, headline.Title, headline.Summary ?? "", headline.Outlet, headline.FirstSeen ?? DateTimeOffset.UnixEpoch);

    /// <summary>
    /// Trains the same-event model on labelled periods, each a window of its own as the pipeline would cluster it:
    /// every pair of labelled headlines within the clusterer's fade is one example, positive when the editors put both
    /// under one story. <paramref name="others"/> are headlines of the same days known to be in no story (not about the
    /// talks, yet naming the profile's people: what a classifier's mistake would let in); their pairs with the labelled
    /// ones are negatives, so the model also learns what an unrelated headline looks like.
    /// </summary>
    /// <summary>How much a pair with an unrelated headline counts against a labelled pair: enough to teach what unrelated
    /// looks like, not so much that it outweighs the editors' pairs and shifts the odds between headlines on the topic.</summary>
    public const double OtherWeight = 0.1;

    public static StoryPairModel TrainPairs(IReadOnlyList<IReadOnlyList<Headline>> periods, IReadOnlyDictionary<string, string> labels, IReadOnlyList<Headline> others, StoryWindowClusterer clusterer, string trainedOn, CancellationToken cancellationToken)
    {
        var pairs = new List<(double[] Features, bool Embedded, bool Same, double Weight)>();
        foreach (var period in periods)
        {
            var labelled = period.Where(h => labels.ContainsKey(h.Id)).ToList();
            if (labelled.Count == 0)
            {
                continue;
            }

            var (from, to) = (labelled.Min(h => h.FirstSeen), labelled.Max(h => h.FirstSeen));
            var window = labelled.Concat(others.Where(h => !labels.ContainsKey(h.Id) && h.FirstSeen >= from && h.FirstSeen <= to)).ToList();
            var story = window.Select((h, i) => (Id: i + 1L, Story: labels.GetValueOrDefault(h.Id))).ToDictionary(x => x.Id, x => x.Story);
            var documents = window.Select((h, i) => Document(h, i + 1L)).ToList();
            foreach (var (a, b, features, embedded) in clusterer.Pairs(documents, (a, b) => story[a] is not null || story[b] is not null, cancellationToken))
            {
                var bothLabelled = story[a] is not null && story[b] is not null;
                pairs.Add((features, embedded, bothLabelled && story[a] == story[b], bothLabelled ? 1 : OtherWeight));
            }
        }

        return StoryPairTrainer.Train(pairs, trainedOn);
    }

    /// <summary>
    /// The negatives <see cref="TrainPairs"/> learns from: unlabelled headlines of the labelled days that name one of
    /// the profile's people (when the labels cover every headline about the talks, as clusters-dev.tsv does).
    /// </summary>
    public static List<Headline> Confusable(IReadOnlyList<Headline> all, IReadOnlyDictionary<string, string> labels, EventFeatureExtractor extractor)
    {
        var labelled = all.Where(h => labels.ContainsKey(h.Id)).ToList();
        if (labelled.Count == 0)
        {
            return [];
        }

        var (from, to) = (DateOnly.FromDateTime(labelled.Min(h => h.FirstSeen ?? DateTimeOffset.UnixEpoch).UtcDateTime), DateOnly.FromDateTime(labelled.Max(h => h.FirstSeen ?? DateTimeOffset.UnixEpoch).UtcDateTime));
        var people = extractor.People.ToHashSet(StringComparer.Ordinal);
        return [.. all.Where(h => !labels.ContainsKey(h.Id) && h.FirstSeen is { } seen
            && DateOnly.FromDateTime(seen.UtcDateTime) >= from && DateOnly.FromDateTime(seen.UtcDateTime) <= to
            && Tokenizer.Tokenize(h.Title).Any(people.Contains))];
    }

    /// <summary>
    /// The incremental clusterer the pipeline used before the window clusterer, for comparison: the relevant headlines go
    /// through it one by one in published order (then id), each joining the story it finds or starting one.
    /// </summary>
    public static List<EvaluatedHeadline> RunIncremental(IReadOnlyList<Headline> headlines, TopicClassifier? classifier, IStoryClusterer clusterer, CancellationToken cancellationToken)
    {
        var results = new EvaluatedHeadline[headlines.Count];
        var order = Enumerable.Range(0, headlines.Count)
            .OrderBy(i => headlines[i].FirstSeen ?? DateTimeOffset.UnixEpoch).ThenBy(i => headlines[i].Id, StringComparer.Ordinal).ThenBy(i => i);
        var next = 0;
        foreach (var i in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var headline = headlines[i];
            if (classifier is not null && !classifier.Classify(headline.Input).Relevant)
            {
                results[i] = new EvaluatedHeadline(headline, false, null, false);
                continue;
            }

            var document = new ClusterDocument(i + 1L, headline.Title, headline.Summary ?? "", headline.FirstSeen ?? DateTimeOffset.UnixEpoch);
            var match = clusterer.FindStory(document);
            var story = match is null ? ++next : (int)match.StoryId;
            clusterer.Add(document, story);
            results[i] = new EvaluatedHeadline(headline, true, story, match?.DuplicateOfItemId is not null);
        }

        return [.. results];
    }

    /// <summary>Reference stories: <c>id&lt;TAB&gt;story</c> lines; a header line <c>id story</c> is skipped.</summary>
    public static Dictionary<string, string> ReadLabels(string path)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < 2 || fields[1].Trim().Length == 0)
            {
                throw new InvalidDataException($"{path}:{number}: expected id<TAB>story, got '{line}'");
            }

            if (number == 1 && fields[0].Trim().Equals("id", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            labels[fields[0].Trim()] = fields[1].Trim();
        }

        return labels;
    }

    public static BCubedScore Score(IReadOnlyList<EvaluatedHeadline> results, IReadOnlyDictionary<string, string> labels)
    {
        var reference = results.Where(r => labels.ContainsKey(r.Headline.Id)).ToDictionary(r => r.Headline.Id, r => labels[r.Headline.Id], StringComparer.Ordinal);
        var predicted = results.Where(r => r.Story is not null).ToDictionary(r => r.Headline.Id, r => r.Story!.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return BCubedScore.Score(reference, predicted);
    }
}

/// <summary>One out-of-sample score: the merge threshold chosen on the tuning days, and the held-out days' F1 with it
/// and with the default settings.</summary>
internal sealed record HeldOutScore(string Name, int TuneItems, int TestItems, double ChosenThreshold, BCubedScore Tuned, BCubedScore Defaults);

/// <summary>
/// Process passes replayed in memory, committed as the store commits a pass: a batch's new items join their stories, a new
/// story takes the next id, a committed item a story's new reading moves goes to its new story, and the items of a story
/// merged into another move to it whole. For <c>eval cluster</c> and
/// the benchmarks' farm replay.
/// </summary>
internal sealed class PassReplay(StoryWindowClusterer clusterer)
{
    private long next;

    /// <summary>Every committed item with its story.</summary>
    public Dictionary<long, (StoryDocument Document, long StoryId)> Committed { get; } = [];

    /// <summary>The committed items that joined as near-copies of another.</summary>
    public HashSet<long> Duplicates { get; } = [];

    /// <summary>How often each committed item left its story for another (splits; merges not counted).</summary>
    public Dictionary<long, int> MovesOf { get; } = [];

    /// <summary>All those moves, and how many of them took an item back to a story it had left before: how stable the
    /// stories are.</summary>
    public (int Moves, int Back) Moved => (MovesOf.Values.Sum(), back);

    private readonly HashSet<(long Item, long Story)> left = [];
    private int back;

    public void Pass(IReadOnlyList<StoryDocument> batch, CancellationToken cancellationToken)
    {
        var (reconciliation, current) = clusterer.Pass(batch, Committed.Values, cancellationToken);
        var inBatch = batch.ToDictionary(d => d.ItemId);
        foreach (var story in reconciliation.Stories)
        {
            var joining = story.ItemIds.Where(inBatch.ContainsKey).ToList();
            var moving = story.MovedIn(current).ToList();
            if (joining.Count == 0 && moving.Count == 0 && story.Absorbed.Count == 0)
            {
                continue;
            }

            var storyId = story.StoryId ?? ++next;
            foreach (var id in moving)
            {
                MovesOf[id] = MovesOf.GetValueOrDefault(id) + 1;
                back += left.Contains((id, storyId)) ? 1 : 0;
                left.Add((id, current[id]));
            }

            foreach (var id in joining.Concat(moving))
            {
                Committed[id] = (inBatch.TryGetValue(id, out var document) ? document : Committed[id].Document, storyId);
                if (story.DuplicateOf.ContainsKey(id))
                {
                    Duplicates.Add(id);
                }
            }

            foreach (var absorbed in story.Absorbed)
            {
                foreach (var (id, entry) in Committed.Where(c => c.Value.StoryId == absorbed).ToList())
                {
                    Committed[id] = (entry.Document, storyId);
                }
            }
        }
    }
}

/// <summary>
/// How the clusterer does on days it was not tuned on. Rolling origin: for each cutoff day, the merge threshold is
/// chosen on the days up to it and the days after it are scored (each period clustered as its own window, as the
/// pipeline would). Held-back folds: the labelled days are cut into contiguous blocks; each block is scored with the
/// threshold chosen on the others. The default settings are scored on the same held-out days, for comparison —
/// with the caveat, stated in the README, that the defaults were chosen with every dev label in view.
/// </summary>
internal static class HeldOutEvaluation
{
    /// <summary>
    /// The same-event model on days it was not trained on: for each rolling origin and each held-back fold, a model
    /// trained on the pairs of the other days (each period a window of its own) clusters the held-out days. Nothing is
    /// chosen on the held-out days; the merge rule is the model's even odds.
    /// </summary>
    public static List<(string Name, int TrainItems, int TestItems, BCubedScore Score)> Model(IReadOnlyList<Headline> labelled, IReadOnlyDictionary<string, string> labels, IReadOnlyList<Headline> others, Func<StoryPairModel?, StoryWindowClusterer> clusterer, bool oneWindow, CancellationToken cancellationToken)
    {
        var results = new List<(string, int, int, BCubedScore)>();
        foreach (var (name, tune, test) in RollingSets(labelled).Concat(FoldSets(labelled, 3)))
        {
            var model = ClusterEvaluation.TrainPairs([.. tune], labels, others, clusterer(null), name, cancellationToken);
            var score = ClusterEvaluation.Score(ClusterEvaluation.Run(test, null, clusterer(model), oneWindow, cancellationToken), labels);
            results.Add((name, tune.Sum(p => p.Count), test.Count, score));
        }

        return results;
    }

    public static readonly double[] Thresholds = [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70];

    public static List<HeldOutScore> Rolling(IReadOnlyList<Headline> labelled, IReadOnlyDictionary<string, string> labels, Func<EventClusterSettings, StoryWindowClusterer> clusterer, EventClusterSettings defaults, bool oneWindow, CancellationToken cancellationToken) =>
        [.. RollingSets(labelled).Select(s => Score(s.Name, s.Tune, s.Test, labels, clusterer, defaults, oneWindow, cancellationToken))];

    public static List<HeldOutScore> Folds(IReadOnlyList<Headline> labelled, IReadOnlyDictionary<string, string> labels, int folds, Func<EventClusterSettings, StoryWindowClusterer> clusterer, EventClusterSettings defaults, bool oneWindow, CancellationToken cancellationToken) =>
        [.. FoldSets(labelled, folds).Select(s => Score(s.Name, s.Tune, s.Test, labels, clusterer, defaults, oneWindow, cancellationToken))];

    /// <summary>The rolling origin's periods: for every other cutoff day, the days up to it (to tune on) and the days after.</summary>
    public static List<(string Name, List<List<Headline>> Tune, List<Headline> Test)> RollingSets(IReadOnlyList<Headline> labelled)
    {
        var days = Days(labelled);
        var sets = new List<(string, List<List<Headline>>, List<Headline>)>();
        for (var k = 2; k < days.Count - 2; k += 2)
        {
            var cutoff = days[k];
            sets.Add(($"tune ≤ {cutoff:MM-dd}, test after", [labelled.Where(h => Day(h) <= cutoff).ToList()], labelled.Where(h => Day(h) > cutoff).ToList()));
        }

        return sets;
    }

    /// <summary>The held-back folds: contiguous blocks of days, each tested with the others to tune on.</summary>
    public static List<(string Name, List<List<Headline>> Tune, List<Headline> Test)> FoldSets(IReadOnlyList<Headline> labelled, int folds)
    {
        var days = Days(labelled);
        if (days.Count < folds)
        {
            return [];
        }

        var blocks = Enumerable.Range(0, folds)
            .Select(f => days.Where((_, i) => i * folds / days.Count == f).ToHashSet())
            .Select(set => labelled.Where(h => set.Contains(Day(h))).ToList())
            .ToList();
        var sets = new List<(string, List<List<Headline>>, List<Headline>)>();
        for (var f = 0; f < folds; f++)
        {
            var test = blocks[f];
            sets.Add(($"fold {f + 1}/{folds}: {test.Min(Day):MM-dd}…{test.Max(Day):MM-dd}", [.. blocks.Where((_, i) => i != f)], test));
        }

        return sets;
    }

    private static HeldOutScore Score(string name, List<List<Headline>> tune, List<Headline> test, IReadOnlyDictionary<string, string> labels, Func<EventClusterSettings, StoryWindowClusterer> clusterer, EventClusterSettings defaults, bool oneWindow, CancellationToken cancellationToken)
    {
        // The threshold that does best on the tuning periods, each clustered as its own window (items pooled for the mean).
        var chosen = Thresholds
            .Select(t => (Threshold: t, F1: tune.Sum(period => period.Count * Evaluate(period, defaults with { MergeThreshold = t }).F1)))
            .Aggregate((best, next) => next.F1 > best.F1 + 1e-12 ? next : best).Threshold;
        return new HeldOutScore(name, tune.Sum(p => p.Count), test.Count, chosen, Evaluate(test, defaults with { MergeThreshold = chosen }), Evaluate(test, defaults));

        BCubedScore Evaluate(List<Headline> headlines, EventClusterSettings settings) =>
            ClusterEvaluation.Score(ClusterEvaluation.Run(headlines, null, clusterer(settings), oneWindow, cancellationToken), labels);
    }

    private static DateOnly Day(Headline h) => DateOnly.FromDateTime((h.FirstSeen ?? DateTimeOffset.UnixEpoch).UtcDateTime);

    private static List<DateOnly> Days(IReadOnlyList<Headline> labelled) => [.. labelled.Select(Day).Distinct().Order()];
}
