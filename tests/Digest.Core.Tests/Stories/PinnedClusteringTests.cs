using Digest.Core.Classification;
using Digest.Core.Stories;
using Digest.Core.Tests.Classification;
using Digest.Tests.Shared;

namespace Digest.Core.Tests.Stories;

/// <summary>
/// The process stage clusters each batch with the window's committed items pinned to their stories; the clusterer then
/// scores only pairs with an unpinned item. Its stories must be exactly those of scoring every pair
/// (<see cref="AllPairsClusterer"/>), on real headlines, whatever the pinning.
/// </summary>
public sealed class PinnedClusteringTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Cluster_WithPinnedStories_GivesTheStoriesOfScoringEveryPair(bool withModel, bool withEmbeddings)
    {
        var labels = ClusterEvaluation.ReadLabels(SharedData.PathOf("data/headlines/clusters-dev.tsv"));
        var all = Headlines.ReadJsonLines(SharedData.PathOf("data/headlines/headlines.jsonl")).Where(h => h.FirstSeen is not null).ToList();
        var extractor = new EventFeatureExtractor(TopicProfile.Load(ShippedClassifier.ProfilePath));
        var model = withModel ? StoryPairModel.Load(Path.Combine(SharedData.RepositoryRoot(), "config", StoryPairModel.DefaultPath)) : null;
        // The linkage with pinned stories, against the oracle's: story merges (a separate step, EventClustererTests) off.
        var clusterer = new EventClusterer(new EventClusterSettings { MergeStories = false }, model);
        // The labelled (on-topic) headlines and some others, in time order; a stand-in embedding for most (hashed title
        // words), so the embedding features take part too.
        var features = all.Where(h => labels.ContainsKey(h.Id)).Concat(all.Where(h => !labels.ContainsKey(h.Id)).Take(300))
            .Select((h, i) => extractor.Extract(new StoryDocument(i + 1, h.Id, h.Title, h.Summary ?? "", h.Outlet, h.FirstSeen!.Value)))
            .OrderBy(f => f.Document, StoryDocument.Order)
            .ToList();
        if (withEmbeddings)
        {
            foreach (var f in features.Where(f => f.Document.ItemId % 5 != 0))
            {
                f.Embedding = HashedWords(f.TitleTokens);
            }
        }

        var random = new Random(7);
        for (var trial = 0; trial < 12; trial++)
        {
            var start = random.Next(features.Count - 50);
            var window = features.Skip(start).Take(random.Next(30, Math.Min(250, features.Count - start))).ToList();
            var fresh = AllPairsClusterer.Cluster(clusterer, window, null);
            var pins = new Dictionary<long, long>();
            if (trial % 3 == 2)
            {
                // Arbitrary stories: the constraint must hold whatever they are.
                foreach (var f in window.Where(_ => random.NextDouble() < 0.7))
                {
                    pins[f.Document.ItemId] = 1000 + random.Next(Math.Max(1, window.Count / 4));
                }
            }
            else
            {
                // As the process stage pins: the items before a moment are in the stories they were placed in.
                var cut = window[random.Next(window.Count)].Document.Published;
                var published = window.ToDictionary(f => f.Document.ItemId, f => f.Document.Published);
                for (var c = 0; c < fresh.Clusters.Count; c++)
                {
                    foreach (var id in fresh.Clusters[c].ItemIds.Where(id => published[id] < cut || random.NextDouble() < 0.1))
                    {
                        pins[id] = 5000 + c;
                    }
                }
            }

            var expected = AllPairsClusterer.Cluster(clusterer, window, pins);
            var actual = clusterer.Cluster(window, pins);

            actual.Clusters.Select(c => (c.PinnedStoryId, string.Join(",", c.ItemIds)))
                .ShouldBe(expected.Clusters.Select(c => (c.PinnedStoryId, string.Join(",", c.ItemIds))), $"trial {trial}");
            foreach (var id in window.Select(f => f.Document.ItemId).Where(id => !pins.ContainsKey(id)))
            {
                actual.DuplicateOf.GetValueOrDefault(id).ShouldBe(expected.DuplicateOf.GetValueOrDefault(id), $"trial {trial}, item {id}");
            }

            actual.DuplicateOf.ShouldAllBe(d => expected.DuplicateOf[d.Key] == d.Value);
            var unpinned = clusterer.Cluster(window, null);
            unpinned.Clusters.Select(c => string.Join(",", c.ItemIds)).ShouldBe(fresh.Clusters.Select(c => string.Join(",", c.ItemIds)));
            unpinned.DuplicateOf.OrderBy(d => d.Key).ShouldBe(fresh.DuplicateOf.OrderBy(d => d.Key));
        }
    }

    private static float[] HashedWords(List<string> tokens)
    {
        var vector = new float[64];
        foreach (var token in tokens)
        {
            vector[(int)((uint)StableHash(token) % 64)] += 1;
        }

        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        return [.. vector.Select(x => norm > 0 ? x / norm : 0)];
    }

    private static int StableHash(string text)
    {
        var h = 17;
        foreach (var c in text)
        {
            h = (h * 31) + c;
        }

        return h;
    }
}
