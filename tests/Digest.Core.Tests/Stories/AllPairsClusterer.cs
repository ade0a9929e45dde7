using Digest.Core.Stories;

namespace Digest.Core.Tests.Stories;

/// <summary>
/// The event clusterer as it was before pinned stories were collapsed: every pair of the window scored and kept, pinned
/// stories joined item by item. The oracle the faster <see cref="EventClusterer.Cluster"/> must agree with.
/// </summary>
internal static class AllPairsClusterer
{
    public static StoryPartition Cluster(EventClusterer clusterer, IReadOnlyList<EventFeatures> documents, IReadOnlyDictionary<long, long>? pinned)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var docs = documents.DistinctBy(d => d.Document.ItemId).OrderBy(d => d.Document, StoryDocument.Order).ToArray();
        var n = docs.Length;
        if (n == 0)
        {
            return new StoryPartition([], new Dictionary<long, long>());
        }

        var settings = clusterer.Settings;
        var model = clusterer.Model;
        var prepared = EventClusterer.Prepare(docs, settings.FullHours + settings.FadeHours);
        var duplicateOf = new Dictionary<long, long>();
        var pinnedOf = new long?[n];
        for (var i = 0; i < n; i++)
        {
            pinnedOf[i] = pinned is not null && pinned.TryGetValue(docs[i].Document.ItemId, out var story) ? story : null;
        }

        // Item pair similarities, kept as sums per pair of clusters (average linkage: a merged cluster's sum with
        // another is the sum of its parts'). Pairs further apart in time than the fade are never compared: their
        // similarity is 0 (with the same-event model, ModelFarPair: it says "not one event"). Two items placed at different venues, or in different pinned stories, can never share a
        // story: their sum is −∞, which no merge can undo.
        var sums = new EventClusterer.PairSums(n);
        var fadeEnd = settings.FullHours + settings.FadeHours;
        for (var j = 1; j < n; j++)
        {
            for (var i = j - 1; i >= 0; i--)
            {
                var hours = (docs[j].Document.Published - docs[i].Document.Published).TotalHours;
                double s;
                if (hours > fadeEnd && (model is null || settings.ModelFarPair == 0))
                {
                    break;
                }

                if (pinnedOf[i] is { } pi && pinnedOf[j] is { } pj && pi != pj)
                {
                    s = double.NegativeInfinity;
                }
                else if (EventClusterer.VenuesConflict(docs[i], docs[j]))
                {
                    s = double.NegativeInfinity;
                }
                else if (hours > fadeEnd)
                {
                    s = settings.ModelFarPair;
                }
                else
                {
                    s = clusterer.Similarity(prepared[i], prepared[j], hours);
                    // Near-copies share most words, so only pairs whose term vectors already agree are compared word by word.
                    if (EventClusterer.TermDot(prepared[i], prepared[j]) >= 0.4 && EventClusterer.Jaccard(docs[i].Shingles, docs[j].Shingles) >= settings.DuplicateJaccard)
                    {
                        s = Math.Max(s, 1.5);
                        if (!duplicateOf.ContainsKey(docs[j].Document.ItemId))
                        {
                            duplicateOf[docs[j].Document.ItemId] = duplicateOf.GetValueOrDefault(docs[i].Document.ItemId, docs[i].Document.ItemId);
                        }
                    }
                }

                sums[j, i] = (float)s;
            }
        }

        // Items of one pinned story start as one cluster.
        var members = new List<int>?[n];
        for (var i = 0; i < n; i++)
        {
            members[i] = [i];
        }

        var alive = new bool[n];
        Array.Fill(alive, true);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n && pinnedOf[i] is not null; j++)
            {
                if (alive[j] && pinnedOf[j] == pinnedOf[i])
                {
                    Join(i, j);
                }
            }
        }

        Agglomerate();
        var groups = new List<(List<int> Members, long? Pinned)>();
        for (var c = 0; c < n; c++)
        {
            if (alive[c])
            {
                var group = members[c]!;
                group.Sort();
                groups.Add((group, group.Select(i => pinnedOf[i]).FirstOrDefault(p => p is not null)));
            }
        }

        groups = clusterer.AbsorbIntoRounds(groups, prepared);
        if (settings.SameDevelopmentJoins)
        {
            groups = clusterer.JoinSameDevelopments(groups, prepared, null);
        }

        if (settings.StoryProfileJoins && model is not null)
        {
            groups = clusterer.JoinProfiles(groups, prepared, null);
        }

        var clusters = groups
            .OrderBy(g => g.Members[0])
            .Select(g => new StoryCluster([.. g.Members.Select(i => docs[i].Document.ItemId)], g.Pinned))
            .ToList();
        return new StoryPartition(clusters, duplicateOf);

        // b joins a: its members, and its sums with every other live cluster.
        void Join(int a, int b)
        {
            for (var c = 0; c < n; c++)
            {
                if (alive[c] && c != a && c != b)
                {
                    sums[a, c] += sums[b, c];
                }
            }

            members[a]!.AddRange(members[b]!);
            members[b] = null;
            alive[b] = false;
        }

        // Average linkage by nearest-neighbour chains: follow each cluster to its most similar live cluster until
        // two are each other's nearest, and merge those. Average linkage is reducible (a merged cluster is never more
        // similar to a third than the closer of its parts was), so this makes the same merges as always merging the
        // most similar pair, in O(n²) time without a queue. A cluster whose nearest neighbour is below the threshold
        // is finished: no later merge can bring one closer. Ties go to the earlier cluster, so the partition depends
        // only on the items, never on the order they came in.
        void Agglomerate()
        {
            var open = (bool[])alive.Clone();
            var chain = new List<int>();
            var next = 0;
            while (true)
            {
                if (chain.Count == 0)
                {
                    while (next < n && !open[next])
                    {
                        next++;
                    }

                    if (next == n)
                    {
                        return;
                    }

                    chain.Add(next);
                }

                var a = chain[^1];
                var previous = chain.Count > 1 ? chain[^2] : -1;
                var best = -1;
                var bestMean = double.NegativeInfinity;
                for (var c = 0; c < n; c++)
                {
                    if (!open[c] || c == a)
                    {
                        continue;
                    }

                    var mean = sums[a, c] / ((double)members[a]!.Count * members[c]!.Count);
                    if (mean > bestMean || (mean == bestMean && c == previous))
                    {
                        (best, bestMean) = (c, mean);
                    }
                }

                if (best < 0 || bestMean < clusterer.Threshold)
                {
                    open[a] = false;
                    chain.RemoveAt(chain.Count - 1);
                    continue;
                }

                if (best == previous)
                {
                    chain.RemoveRange(chain.Count - 2, 2);
                    var (keep, gone) = a < best ? (a, best) : (best, a);
                    Join(keep, gone);
                    open[gone] = false;
                    continue;
                }

                chain.Add(best);
            }
        }
    }
}
