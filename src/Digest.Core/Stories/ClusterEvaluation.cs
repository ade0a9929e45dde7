using System.Globalization;
using Digest.Core.Classification;

namespace Digest.Core.Stories;

/// <summary>One headline's story in an evaluation run: null when the classifier left it out.</summary>
internal sealed record EvaluatedHeadline(Headline Headline, bool Relevant, int? Story, bool Duplicate);

/// <summary>
/// The story evaluator behind <c>digest eval cluster</c>: classifies headlines (unless all are taken), clusters the
/// relevant ones as one window, the way the pipeline re-clusters its recent items, and scores the stories against an
/// editor's with B-cubed precision, recall and F1.
/// </summary>
internal static class ClusterEvaluation
{
    public static List<EvaluatedHeadline> Run(IReadOnlyList<Headline> headlines, TopicClassifier? classifier, StoryWindowClusterer clusterer, CancellationToken cancellationToken)
    {
        var relevant = new List<(Headline Headline, StoryDocument Document)>();
        for (var i = 0; i < headlines.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var headline = headlines[i];
            if (classifier is not null && !classifier.Classify(headline.Input).Relevant)
            {
                continue;
            }

            var itemId = i + 1L;
            var document = new StoryDocument(itemId, headline.Id, headline.Title, headline.Summary ?? "", headline.Outlet, headline.FirstSeen ?? DateTimeOffset.UnixEpoch);
            relevant.Add((headline, document));
        }

        var partition = clusterer.Cluster([.. relevant.Select(r => r.Document)], null, cancellationToken);

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
