using Digest.Core.Classification;

namespace Digest.Core.Stories;

/// <summary>One rolling origin's relevance figures, item by item and with story-level relevance applied.</summary>
internal sealed record StoryRelevanceResult(DateOnly Origin, int TestItems, Confusion Items, Confusion Stories, int Promoted, int PromotedPositives, IReadOnlyList<(Headline Headline, Relevance Verdict)> PromotedItems);

/// <summary>
/// Story-level relevance on the rolling origin, as the pipeline applies it: for each origin d the classifier is trained
/// on the labels up to d (as <see cref="ClassifierEvaluation.EvaluateOrigin"/> does), the same-event model on the
/// editors' stories up to d; the test days' relevant and borderline items — with the relevant items of the clusterer's
/// reach before d — are clustered as one window, and a borderline item whose story holds a relevant item becomes
/// relevant. Nothing of the test days is seen before they are scored.
/// </summary>
internal static class StoryRelevanceEvaluation
{
    public static List<StoryRelevanceResult> Rolling(
        TopicProfile profile,
        IReadOnlyList<Headline> headlines,
        IReadOnlyList<DateOnly> origins,
        int? horizonDays,
        IReadOnlyDictionary<string, string> stories,
        Func<StoryPairModel?, StoryWindowClusterer> clusterer,
        CancellationToken cancellationToken)
    {
        var results = new List<StoryRelevanceResult>();
        foreach (var origin in origins)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var labelled = headlines.Where(h => h.Relevant is not null).ToList();
            var train = labelled.Where(h => h.Day <= origin).ToList();
            var end = horizonDays is { } days ? origin.AddDays(days) : DateOnly.MaxValue;
            var test = labelled.Where(h => h.Day > origin && h.Day <= end).ToList();
            var classifier = new TopicClassifier(profile, TopicTrainer.Train(profile, train.Select(h => new LabelledTitle(h.Title, h.Relevant!.Value, h.Day))).Model);

            var known = headlines.Where(h => h.Day <= origin).ToList();
            var knownStories = known.Where(h => stories.ContainsKey(h.Id)).ToList();
            var model = knownStories.Count >= 2
                ? ClusterEvaluation.TrainPairs([knownStories], stories, ClusterEvaluation.Confusable(known, stories, new EventFeatureExtractor(profile)), clusterer(null), $"stories up to {origin:yyyy-MM-dd}", cancellationToken)
                : null;

            var verdicts = test.Select(h => (Headline: h, Verdict: classifier.Classify(h.Input))).ToList();
            var reach = clusterer(null).Reach;
            var originTime = new DateTimeOffset(origin.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var before = headlines.Where(h => h.FirstSeen is { } seen && seen < originTime && seen >= originTime - reach)
                .Select(h => (Headline: h, Verdict: classifier.Classify(h.Input))).Where(v => v.Verdict.Relevant).ToList();
            var promoted = Promote([.. before, .. verdicts], clusterer(model), cancellationToken);
            var withStories = verdicts.Select(v => promoted.TryGetValue(v.Headline.Id, out var p) ? (v.Headline, Verdict: p) : v).ToList();
            var promotedItems = withStories.Where(v => promoted.ContainsKey(v.Headline.Id)).ToList();
            results.Add(new StoryRelevanceResult(
                origin,
                test.Count,
                Confusion.Count(verdicts.Select(v => (v.Verdict.Relevant, v.Headline.Relevant!.Value))),
                Confusion.Count(withStories.Select(v => (v.Verdict.Relevant, v.Headline.Relevant!.Value))),
                promotedItems.Count,
                promotedItems.Count(v => v.Headline.Relevant == true),
                promotedItems));
        }

        return results;
    }

    /// <summary>
    /// The borderline items that story-level relevance makes relevant: the relevant and borderline items clustered as one
    /// window, and each borderline item in a story with a relevant one promoted, with the reason naming that story (by
    /// its first relevant headline).
    /// </summary>
    public static Dictionary<string, Relevance> Promote(IReadOnlyList<(Headline Headline, Relevance Verdict)> verdicts, StoryWindowClusterer clusterer, CancellationToken cancellationToken)
    {
        var window = verdicts.Select((v, i) => (v.Headline, v.Verdict, Id: i + 1L)).Where(v => v.Verdict.Relevant || v.Verdict.Borderline).ToList();
        var partition = clusterer.Cluster([.. window.Select(v => ClusterEvaluation.Document(v.Headline, v.Id))], null, cancellationToken);
        var byId = window.ToDictionary(v => v.Id);
        var promoted = new Dictionary<string, Relevance>(StringComparer.Ordinal);
        for (var c = 0; c < partition.Clusters.Count; c++)
        {
            var members = partition.Clusters[c].ItemIds.Select(id => byId[id]).ToList();
            if (members.FirstOrDefault(m => m.Verdict.Relevant) is not { Headline: not null } first)
            {
                continue;
            }

            foreach (var m in members.Where(m => m.Verdict.Borderline))
            {
                promoted[m.Headline.Id] = m.Verdict with { Relevant = true, Borderline = false, Reasons = [.. m.Verdict.Reasons, $"joins story {c + 1}: {first.Headline.Title}"] };
            }
        }

        return promoted;
    }
}
