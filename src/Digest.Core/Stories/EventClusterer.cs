using System.Buffers;
using System.Numerics.Tensors;
using Digest.Core.Classification;

namespace Digest.Core.Stories;

/// <summary>One story of a partition: its items in time order, and the near-copies among them.</summary>
/// <param name="ItemIds">The members, ordered by time and key.</param>
/// <param name="PinnedStoryId">The existing story this cluster grew from, when it holds pinned items.</param>
internal sealed record StoryCluster(IReadOnlyList<long> ItemIds, long? PinnedStoryId);

/// <summary>A window of items grouped into stories; <see cref="DuplicateOf"/> maps a near-copy to the earlier item it copies.</summary>
internal sealed record StoryPartition(IReadOnlyList<StoryCluster> Clusters, IReadOnlyDictionary<long, long> DuplicateOf)
{
    /// <summary>Item id → index of its cluster.</summary>
    public Dictionary<long, int> ClusterOf()
    {
        var map = new Dictionary<long, int>();
        for (var c = 0; c < Clusters.Count; c++)
        {
            foreach (var id in Clusters[c].ItemIds)
            {
                map[id] = c;
            }
        }

        return map;
    }
}

/// <summary>The clusterer's weights and limits (see README, Stories and Evaluation, for how they were chosen).</summary>
internal sealed record EventClusterSettings
{
    /// <summary>Weight of the sentence-embedding cosine in an item pair's similarity.</summary>
    public double EmbeddingWeight { get; init; } = 0.9;

    /// <summary>Weight of the TF-IDF cosine (proper nouns counted double).</summary>
    public double TermWeight { get; init; } = 0.3;

    /// <summary>Weight of the TF-IDF cosine when there is no embedding.</summary>
    public double TermOnlyWeight { get; init; } = 2.0;

    /// <summary>Added when both items place an event at the same venue.</summary>
    public double SameVenue { get; init; } = 0.5;

    /// <summary>Added when one places an event at a venue the other refers to.</summary>
    public double VenueReference { get; init; } = 0.1;

    /// <summary>Added when both name the same identifying figure ("28-point").</summary>
    public double SameFigure { get; init; } = 0.2;

    /// <summary>Subtracted when the headlines lead with different kinds of development (a strike, a talks round).</summary>
    public double DifferentDevelopment { get; init; } = 0.3;

    /// <summary>Added when both headlines report the same speaker ("Putin says…", "Putin insists…").</summary>
    public double SameSpeaker { get; init; } = 0.3;

    /// <summary>Subtracted when they report different speakers ("Trump says…", "senators say…").</summary>
    public double DifferentSpeaker { get; init; } = 0.8;

    /// <summary>Subtracted when one reports what a bystander to the talks says (a leader, lawmakers, allies) and the
    /// other reports no speaker: a leader's remark is a story of its own, not part of the round it comments on.</summary>
    public double BystanderApart { get; init; } = 0.3;

    /// <summary>Within this many hours a pair counts in full; beyond, its similarity fades.</summary>
    public double FullHours { get; init; } = 18;

    /// <summary>Hours over which similarity fades to nothing after <see cref="FullHours"/>.</summary>
    public double FadeHours { get; init; } = 30;

    /// <summary>The average item similarity from which two clusters merge.</summary>
    public double MergeThreshold { get; init; } = 0.55;

    /// <summary>A round's span starts this many hours before its first item that names the venue.</summary>
    public double RoundLeadHours { get; init; } = 24;

    /// <summary>A round's span ends this many hours after its last item that names the venue: outcome and reactions.</summary>
    public double RoundTrailHours { get; init; } = 36;

    /// <summary>The mean item similarity to a round from which a story within its span joins it.</summary>
    public double AbsorbThreshold { get; init; } = 0.05;

    /// <summary>How many of a story's items must place it at its venue for it to be a round of talks.</summary>
    public double RoundMinPlaced { get; init; } = 2;

    /// <summary>With a same-event model: a story within a round's span whose every item leads with talks and names one of
    /// the round's participants joins the round whatever its similarity (the round's outcome, its other side's word).</summary>
    public bool TalksJoinRounds { get; init; } = true;

    /// <summary>Whether a headline that reports how talks went (progress, no breakthrough, agreed) counts as leading with
    /// talks for <see cref="TalksJoinRounds"/>.</summary>
    public bool OutcomeJoinsRounds { get; init; } = true;

    /// <summary>Whether a story with fewer than <see cref="RoundMinPlaced"/> headlines placing it at a venue (one meeting
    /// named once) still takes the talks news linked to it by <see cref="TalksJoinRounds"/>, though nothing by similarity.</summary>
    public bool WeakRoundsTakeTalks { get; init; } = true;

    /// <summary>Stories larger than this are developments of their own and never join a round.</summary>
    public double AbsorbMaxSize { get; init; } = 20;

    /// <summary>The shingle Jaccard from which an item is a near-copy of an earlier one.</summary>
    public double DuplicateJaccard { get; init; } = 0.6;

    /// <summary>With a same-event model: two clusters merge while the mean probability of their item pairs being one
    /// event exceeds 0.5 by this much (0: the model's own even odds, what correlation clustering asks for).</summary>
    public double ModelMargin { get; init; }

    /// <summary>With a same-event model: what a pair further apart than the fade counts (as probability − 0.5): the
    /// model says nothing of pairs it was never trained on, and a story that spans days is rarely one event.</summary>
    public double ModelFarPair { get; init; } = -0.5;

    /// <summary>With a same-event model: a small story within a round's span joins the round when the mean probability
    /// of its pairs with the round's items is at least 0.5 plus this (−0.25: a mean of 0.25).</summary>
    public double ModelAbsorbThreshold { get; init; } = -0.25;

    /// <summary>With a same-event model: a story is judged against a round by its pairs with the round's members within
    /// the fade of it only. A round's span is longer than the fade, and its run-up says nothing of its aftermath.</summary>
    public bool RoundNearPairs { get; init; } = true;

    /// <summary>With a same-event model: a story within a round's span one of whose headlines refers to the round's
    /// venue ("plan shrinks after Geneva talks") is the round's aftermath and joins it whatever its similarity.</summary>
    public bool ReferenceJoinsRounds { get; init; } = true;

    /// <summary>Two stories that lead with the same distinct development (a plan, a leak, a resignation), within the fade
    /// of each other, that name the same figure or the same uncommon name, and no different figures, are that development
    /// reported by many outlets: one story.</summary>
    public bool SameDevelopmentJoins { get; init; } = true;

    /// <summary>With the same-event model, two stories within the fade of each other join when the model, reading each
    /// as a whole (<see cref="EventClusterer.Profile"/>), says one event, and their member pairs are on average as
    /// similar as a round's absorbed story must be; never a story with a development of its own or a bystander the other
    /// lacks.</summary>
    public bool StoryProfileJoins { get; init; } = true;

    /// <summary>Whether two stories committed in earlier passes merge when this pass's items show them to be one event
    /// (and a committed round absorbs a committed small story within its span). Off: a committed story never merges.</summary>
    public bool MergeStories { get; init; } = true;

    /// <summary>Whether a pass reads again, as wholes, the committed stories its new items join
    /// (<see cref="StoryWindowClusterer.Pass"/>): their members are clustered once more with the new items, unpinned,
    /// so a story that drifted splits and a member that fits another story better moves there. Off: a committed item
    /// leaves its story only when the whole story is merged.</summary>
    public bool SplitStories { get; init; } = true;

    /// <summary>How many committed items a pass reads again at most (<see cref="SplitStories"/>), the smallest stories
    /// first; a story larger than what is left stays as it is. Each costs its pairs with the whole window, so this bounds
    /// a pass's second clustering where stories are large (many feeds carrying one headline); the labelled headlines'
    /// passes read at most 28 again.</summary>
    public int SplitMaxItems { get; init; } = 50;
}

/// <summary>
/// Groups a window of items into stories as an editor would: one round of talks or meeting (its venue, dates and
/// participants), its outcome and the reactions to it; one distinct development reported by many outlets. A pure
/// function of its input: documents are taken in time-and-key order, every tie is broken by that order, so the same
/// items give the same partition whatever order they were fetched in.
/// <para>
/// Two items are similar by what they mean (sentence embeddings, when available) and what they name (TF-IDF over the
/// window with proper nouns weighted up), more so when they place an event at the same venue or share an identifying
/// figure, less so when they lead with different developments (a strike is not the talks it happened before), and
/// not at all when they place events at different venues. The similarity fades with the time between them. Stories
/// are then grown by average-linkage agglomeration: two groups merge while the mean similarity of all their item
/// pairs is above the threshold — a story is judged by all its members, not its first item, so a chain of loosely
/// related items cannot pull a new event in.
/// </para>
/// </summary>
/// <param name="model">The learned same-event model; without one, the hand-weighted similarity of the settings.</param>
internal sealed class EventClusterer(EventClusterSettings? settings = null, StoryPairModel? model = null)
{
    private readonly EventClusterSettings settings = settings ?? new EventClusterSettings();

    /// <summary>The tables a pass fills for its window, kept for the next pass (see <see cref="Numbering"/>).</summary>
    private Numbering? spareNumbering;

    public EventClusterSettings Settings => settings;

    /// <summary>The same-event model the pairs are scored with, or null for the hand-weighted similarity.</summary>
    public StoryPairModel? Model => model;

    internal double Threshold => model is null ? settings.MergeThreshold : settings.ModelMargin;

    /// <summary>How far apart in time two items can still affect each other's story: the similarity's fade plus a round's span.</summary>
    public TimeSpan Reach => TimeSpan.FromHours(settings.FullHours + settings.FadeHours + settings.RoundLeadHours + settings.RoundTrailHours);

    /// <param name="documents">The window's items, in any order.</param>
    /// <param name="pinned">Items whose story is fixed (for example older members of a story still in the window's
    /// reach): items of one pinned story start together and two pinned stories never merge.</param>
    /// <remarks>
    /// The work grows with the unpinned items, not with the window. A pinned story starts as one cluster and two pinned
    /// stories never merge, so only pairs with an unpinned item are scored: a pinned story's sum with an unpinned item
    /// is added up member by member in time order, as joining its members one by one would, and the sums between two
    /// pinned stories (never a merge) are not kept. Near-copies are found for every unpinned item;
    /// <see cref="StoryPartition.DuplicateOf"/> lists pinned items only where an unpinned item's original leads through them.
    /// </remarks>
    public StoryPartition Cluster(IReadOnlyList<EventFeatures> documents, IReadOnlyDictionary<long, long>? pinned = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var (docs, prepared) = PrepareWindow(documents);
        var n = docs.Length;
        if (n == 0)
        {
            return new StoryPartition([], new Dictionary<long, long>());
        }

        var scatter = new TermScatter(prepared);
        var ticks = docs.Select(d => d.Document.Published.UtcTicks).ToArray();
        var pinnedOf = new long?[n];
        for (var i = 0; i < n; i++)
        {
            pinnedOf[i] = pinned is not null && pinned.TryGetValue(docs[i].Document.ItemId, out var story) ? story : null;
        }

        // The clusters to start from, in the order of their first item: one per pinned story (its items in order), one
        // per unpinned item. A cluster is "pinned" once it holds a pinned item.
        var members = new List<List<int>?>();
        var clusterOf = new int[n];
        var unpinnedSlot = new List<int>();
        var storySlot = new List<int>();
        var unpinnedItems = new List<int>();
        var stories = new Dictionary<long, int>();
        for (var i = 0; i < n; i++)
        {
            if (pinnedOf[i] is { } story && stories.TryGetValue(story, out var c))
            {
                members[c]!.Add(i);
                clusterOf[i] = c;
                continue;
            }

            clusterOf[i] = members.Count;
            members.Add([i]);
            if (pinnedOf[i] is { } first)
            {
                stories[first] = clusterOf[i];
                unpinnedSlot.Add(-1);
                storySlot.Add(stories.Count - 1);
            }
            else
            {
                unpinnedSlot.Add(unpinnedItems.Count);
                storySlot.Add(-1);
                unpinnedItems.Add(i);
            }
        }

        var m = members.Count;
        var storyCount = stories.Count;
        var isPinned = new bool[m];
        for (var c = 0; c < m; c++)
        {
            isPinned[c] = storySlot[c] >= 0;
        }

        // Sums of item similarities between clusters (average linkage: a merged cluster's sum with another is the sum
        // of its parts'): between two clusters that started unpinned, and between one of those and a pinned story.
        // Pairs further apart in time than the fade are never compared: their similarity is 0 (with the same-event
        // model, ModelFarPair: it says "not one event"). Two items placed at different venues can never share a story:
        // their similarity is −∞, which no merge can undo; so is that of two pinned stories.
        // Both tables live for one pass and are megabytes at 10,000 feeds (500 new items × thousands of stories): rented
        // and handed back, so passes reuse them instead of leaving one dead large-object array behind each.
        using var between = new PairSums(unpinnedItems.Count);
        var withStoriesLength = checked((int)((long)unpinnedItems.Count * storyCount));
        var withStories = ArrayPool<float>.Shared.Rent(withStoriesLength);
        Array.Clear(withStories, 0, withStoriesLength);
        var fadeEnd = settings.FullHours + settings.FadeHours;
        var farIsZero = model is null || settings.ModelFarPair == 0;
        var values = new float[n];
        for (var u = 0; u < unpinnedItems.Count; u++)
        {
            var x = unpinnedItems[u];
            Array.Clear(values);
            scatter.Spread(prepared[x]);
            for (var i = x - 1; i >= 0 && !(farIsZero && Hours(i, x) > fadeEnd); i--)
            {
                values[i] = (float)PairValue(i, x);
            }

            for (var i = x + 1; i < n && !(farIsZero && Hours(x, i) > fadeEnd); i++)
            {
                if (pinnedOf[i] is not null)
                {
                    values[i] = (float)PairValue(x, i);
                }
            }

            var row = (long)u * storyCount;
            for (var i = 0; i < n; i++)
            {
                if (pinnedOf[i] is not null)
                {
                    withStories[row + storySlot[clusterOf[i]]] += values[i];
                }
                else if (i < x)
                {
                    between[u, unpinnedSlot[clusterOf[i]]] = values[i];
                }
            }
        }

        var alive = new bool[m];
        Array.Fill(alive, true);
        Agglomerate();
        var groups = new List<(List<int> Members, long? Pinned)>();
        for (var c = 0; c < m; c++)
        {
            if (alive[c])
            {
                var group = members[c]!;
                group.Sort();
                groups.Add((group, group.Select(i => pinnedOf[i]).FirstOrDefault(p => p is not null)));
            }
        }

        // A group that gained an unpinned item this pass is "touched": only new evidence can show two committed stories
        // to be one event, and only a touched story may merge with another committed one or absorb it.
        var touched = groups.Select(g => g.Members.Any(i => pinnedOf[i] is null)).ToList();
        if (settings.MergeStories)
        {
            (groups, touched) = MergeStories(groups, touched);
        }

        groups = AbsorbIntoRounds(groups, prepared, settings.MergeStories ? touched : null, scatter);
        if (settings.SameDevelopmentJoins)
        {
            groups = JoinSameDevelopments(groups, prepared, settings.MergeStories ? TouchedAfter(groups) : null);
        }

        if (settings.StoryProfileJoins && model is not null)
        {
            groups = JoinProfiles(groups, prepared, settings.MergeStories ? TouchedAfter(groups) : null);
        }

        var clusters = groups
            .OrderBy(g => g.Members[0])
            .Select(g => new StoryCluster([.. g.Members.Select(i => docs[i].Document.ItemId)], g.Pinned))
            .ToList();
        var partition = new StoryPartition(clusters, NearCopies());
        ArrayPool<float>.Shared.Return(withStories);
        return partition;

        // Touched after the story-level stages: gained an unpinned item, or holds two committed stories (merged this pass).
        List<bool> TouchedAfter(List<(List<int> Members, long? Pinned)> now) =>
            [.. now.Select(g => g.Members.Any(i => pinnedOf[i] is null) || g.Members.Select(i => pinnedOf[i]).Distinct().Count() > 1)];

        // What (later − earlier).TotalHours gives: DateTimeOffset subtraction is the difference of the UTC ticks.
        double Hours(int earlier, int later) => TimeSpan.FromTicks(ticks[later] - ticks[earlier]).TotalHours;

        // Two committed stories merge when, with this pass's items in them, the mean of their member pairs says one event
        // as surely as two clusters must to merge in the linkage above (average linkage over whole stories: a story is
        // judged by all its members). Pairs of stories of which at least one is touched are scored; merges go best
        // first, ties to the earlier stories; the merged story keeps the id of the one whose first item is earlier.
        (List<(List<int> Members, long? Pinned)>, List<bool>) MergeStories(List<(List<int> Members, long? Pinned)> start, List<bool> startTouched)
        {
            var live = start.Select(g => (Members: new List<int>(g.Members), g.Pinned)).ToList();
            var isTouched = new List<bool>(startTouched);
            var gone = new bool[live.Count];
            var committed = Enumerable.Range(0, live.Count).Where(g => live[g].Pinned is not null).ToList();

            // The candidates: pairs of committed stories, one of them touched, with members within the fade of each other
            // (a pair of stories further apart counts what far pairs count, below any threshold to merge at), whose pairs
            // with a new item reach the threshold on average (NewEvidence).
            var sums = new Dictionary<(int, int), double>();
            var seen = new HashSet<(int, int)>();
            foreach (var a in committed.Where(g => isTouched[g]))
            {
                foreach (var b in committed)
                {
                    var key = (Math.Min(a, b), Math.Max(a, b));
                    if (a != b && seen.Add(key) && !Far(live[a].Members, live[b].Members) && NewEvidence(live[a], live[b]))
                    {
                        sums[key] = StorySum(live[key.Item1].Members, live[key.Item2].Members);
                    }
                }
            }

            while (true)
            {
                var best = (Key: (-1, -1), Mean: double.NegativeInfinity);
                foreach (var (key, sum) in sums)
                {
                    var mean = sum / ((double)live[key.Item1].Members.Count * live[key.Item2].Members.Count);
                    if (mean > best.Mean || (mean == best.Mean && key.CompareTo(best.Key) < 0))
                    {
                        best = (key, mean);
                    }
                }

                if (best.Key.Item1 < 0 || best.Mean < Threshold)
                {
                    break;
                }

                // The survivor is the story told first: groups are in the order of their first items.
                var (keep, drop) = best.Key;
                var before = (Keep: live[keep].Members, Drop: live[drop].Members);
                var merged = before.Keep.Concat(before.Drop).Order().ToList();
                var next = new Dictionary<(int, int), double>();
                foreach (var c in committed)
                {
                    if (c == keep || c == drop || gone[c] || Far(merged, live[c].Members))
                    {
                        continue;
                    }

                    var withKeep = sums.TryGetValue((Math.Min(keep, c), Math.Max(keep, c)), out var k) ? k : StorySum(before.Keep, live[c].Members);
                    var withDrop = sums.TryGetValue((Math.Min(drop, c), Math.Max(drop, c)), out var d) ? d : StorySum(before.Drop, live[c].Members);
                    next[(Math.Min(keep, c), Math.Max(keep, c))] = withKeep + withDrop;
                }

                foreach (var key in sums.Keys.Where(k => k.Item1 == keep || k.Item2 == keep || k.Item1 == drop || k.Item2 == drop).ToList())
                {
                    sums.Remove(key);
                }

                foreach (var (key, sum) in next)
                {
                    sums[key] = sum;
                }

                live[keep] = (merged, live[keep].Pinned);
                isTouched[keep] = true;
                gone[drop] = true;
            }

            var kept = Enumerable.Range(0, live.Count).Where(g => !gone[g]).ToList();
            return ([.. kept.Select(g => live[g])], [.. kept.Select(g => isTouched[g])]);
        }

        // Whether two committed stories' pairs with a new item (this pass's) reach the merge threshold on average. When they
        // do not, the two cannot have become one event this pass: their older members were compared when one of the two
        // last gained an item, and stayed apart, so their pairs are below the threshold and the new ones add less than it.
        // Scoring such a pair in full (every member against every member, for every touched story against every story
        // of the window: most of a pass in a dense window) could only find the older pairs moved since by the window's
        // TF-IDF weights shifting with its new words, which is no news that the two are one event. The sums of a new
        // item with a committed story come from the linkage's (floats: a pair within 0.001 of the threshold is scored).
        bool NewEvidence((List<int> Members, long? Pinned) a, (List<int> Members, long? Pinned) b)
        {
            var (slotA, slotB) = (storySlot[stories[a.Pinned!.Value]], storySlot[stories[b.Pinned!.Value]]);
            var (newA, newB) = (a.Members.Where(i => pinnedOf[i] is null).ToList(), b.Members.Where(i => pinnedOf[i] is null).ToList());
            double sum = 0;
            long count = 0;
            foreach (var i in newA)
            {
                sum += withStories[((long)unpinnedSlot[clusterOf[i]] * storyCount) + slotB];
                count += b.Members.Count - newB.Count;
                foreach (var j in newB)
                {
                    sum += i < j ? PairValue(i, j) : PairValue(j, i);
                    count++;
                }
            }

            foreach (var j in newB)
            {
                sum += withStories[((long)unpinnedSlot[clusterOf[j]] * storyCount) + slotA];
                count += a.Members.Count - newA.Count;
            }

            return count == 0 || sum >= (Threshold - 0.001) * count;
        }

        // Whether every member of one group is further than the fade from every member of the other (members in time order).
        bool Far(List<int> a, List<int> b) =>
            Math.Max(a[0], b[0]) > Math.Min(a[^1], b[^1]) && Hours(Math.Min(a[^1], b[^1]), Math.Max(a[0], b[0])) > fadeEnd;

        // The sum of the pair values of two groups' members; −∞ as soon as two of them are placed at different venues.
        // Pairs beyond the fade count what PairValue says of them without being scored one by one.
        double StorySum(List<int> a, List<int> b)
        {
            // Members sorted by time: when the closest two of them are beyond the fade, so are all their pairs.
            if (Far(a, b))
            {
                return (farIsZero ? 0 : settings.ModelFarPair) * a.Count * b.Count;
            }

            double sum = 0;
            foreach (var i in a)
            {
                scatter.Spread(prepared[i]);
                foreach (var j in b)
                {
                    var v = i < j ? PairValue(i, j) : PairValue(j, i);
                    if (double.IsNegativeInfinity(v))
                    {
                        return v;
                    }

                    sum += v;
                }
            }

            return sum;
        }

        // How much two items (i before j) look like one event, as a sum starts; a near-copy counts as very similar.
        double PairValue(int i, int j)
        {
            var hours = Hours(i, j);
            if (hours > fadeEnd && farIsZero)
            {
                return 0;
            }

            if (VenuesConflict(docs[i], docs[j]))
            {
                return double.NegativeInfinity;
            }

            if (hours > fadeEnd)
            {
                return settings.ModelFarPair;
            }

            var terms = scatter.Dot(prepared[i], prepared[j]);
            var s = Similarity(prepared[i], prepared[j], hours, terms);
            return IsNearCopy(i, j, terms) ? Math.Max(s, 1.5) : s;
        }

        // Near-copies share most words, so only pairs whose term vectors already agree are compared word by word.
        bool IsNearCopy(int i, int j, double terms) =>
            terms >= 0.4 && Jaccard(docs[i].Shingles, docs[j].Shingles) >= settings.DuplicateJaccard;

        float Sum(int a, int b)
        {
            var (ua, ub) = (unpinnedSlot[a], unpinnedSlot[b]);
            return ua < 0 && ub < 0 ? float.NegativeInfinity
                : ua >= 0 && ub >= 0 ? between[ua, ub]
                : ua >= 0 ? withStories[((long)ua * storyCount) + storySlot[b]]
                : withStories[((long)ub * storyCount) + storySlot[a]];
        }

        void SetSum(int a, int b, float value)
        {
            var (ua, ub) = (unpinnedSlot[a], unpinnedSlot[b]);
            if (ua >= 0 && ub >= 0)
            {
                between[ua, ub] = value;
            }
            else if (ua >= 0 || ub >= 0)
            {
                withStories[ua >= 0 ? ((long)ua * storyCount) + storySlot[b] : ((long)ub * storyCount) + storySlot[a]] = value;
            }
        }

        // b joins a: its members, and its sums with every other live cluster.
        void Join(int a, int b)
        {
            for (var c = 0; c < m; c++)
            {
                if (alive[c] && c != a && c != b)
                {
                    SetSum(a, c, Sum(a, c) + Sum(b, c));
                }
            }

            members[a]!.AddRange(members[b]!);
            members[b] = null;
            alive[b] = false;
            isPinned[a] |= isPinned[b];
        }

        // Average linkage by nearest-neighbour chains: follow each cluster to its most similar live cluster until
        // two are each other's nearest, and merge those. Average linkage is reducible (a merged cluster is never more
        // similar to a third than the closer of its parts was), so this makes the same merges as always merging the
        // most similar pair, in O(n²) time without a queue. A cluster whose nearest neighbour is below the threshold
        // is finished: no later merge can bring one closer. Ties go to the earlier cluster, so the partition depends
        // only on the items, never on the order they came in. A pinned cluster's only candidates are the unpinned ones
        // (its sum with another pinned cluster is −∞).
        void Agglomerate()
        {
            var open = (bool[])alive.Clone();
            var unpinnedClusters = Enumerable.Range(0, m).Where(c => unpinnedSlot[c] >= 0).ToArray();
            var everyCluster = Enumerable.Range(0, m).ToArray();
            var chain = new List<int>();
            var next = 0;
            while (true)
            {
                if (chain.Count == 0)
                {
                    while (next < m && !open[next])
                    {
                        next++;
                    }

                    if (next == m)
                    {
                        return;
                    }

                    chain.Add(next);
                }

                var a = chain[^1];
                var previous = chain.Count > 1 ? chain[^2] : -1;
                var best = -1;
                var bestMean = double.NegativeInfinity;
                foreach (var c in isPinned[a] ? unpinnedClusters : everyCluster)
                {
                    if (!open[c] || c == a || (isPinned[a] && isPinned[c]))
                    {
                        continue;
                    }

                    var mean = Sum(a, c) / ((double)members[a]!.Count * members[c]!.Count);
                    if (mean > bestMean || (mean == bestMean && c == previous))
                    {
                        (best, bestMean) = (c, mean);
                    }
                }

                if (best < 0 || bestMean < Threshold)
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

        // Each unpinned near-copy → the earliest item of its chain of copies: the nearest earlier item within the fade
        // that it copies (never one of another pinned story, nor one placed at another venue), and that item's own
        // original if it has one. Pinned items are looked at only where a chain leads through them.
        Dictionary<long, long> NearCopies()
        {
            var copied = new int[n];
            Array.Fill(copied, -2);
            var original = new int[n];
            Array.Fill(original, -2);
            var result = new Dictionary<long, long>();
            var pending = new Stack<int>();
            foreach (var x in unpinnedItems)
            {
                pending.Push(x);
                while (pending.Count > 0)
                {
                    var y = pending.Peek();
                    if (original[y] != -2)
                    {
                        pending.Pop();
                        continue;
                    }

                    if (copied[y] == -2)
                    {
                        copied[y] = Copied(y);
                    }

                    if (copied[y] >= 0 && original[copied[y]] == -2)
                    {
                        pending.Push(copied[y]);
                        continue;
                    }

                    original[y] = copied[y] < 0 ? -1 : original[copied[y]] >= 0 ? original[copied[y]] : copied[y];
                    pending.Pop();
                }
            }

            for (var i = 0; i < n; i++)
            {
                if (original[i] >= 0)
                {
                    result[docs[i].Document.ItemId] = docs[original[i]].Document.ItemId;
                }
            }

            return result;
        }

        int Copied(int j)
        {
            scatter.Spread(prepared[j]);
            for (var i = j - 1; i >= 0 && Hours(i, j) <= fadeEnd; i--)
            {
                if ((pinnedOf[i] is { } pi && pinnedOf[j] is { } pj && pi != pj) || VenuesConflict(docs[i], docs[j]))
                {
                    continue;
                }

                if (IsNearCopy(i, j, scatter.Dot(prepared[i], prepared[j])))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>
    /// The labelled pairs of a window, for training the same-event model: every pair within the fade that no constraint
    /// decides (two venues), with its features as the clusterer would compute them in that window.
    /// </summary>
    /// <param name="include">Which pairs (item ids) to compute; null: all.</param>
    public List<(long A, long B, double[] Features, bool Embedded)> Pairs(IReadOnlyList<EventFeatures> documents, Func<long, long, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var (docs, prepared) = PrepareWindow(documents);
        var pairs = new List<(long, long, double[], bool)>();
        for (var j = 1; j < docs.Length; j++)
        {
            for (var i = j - 1; i >= 0; i--)
            {
                var hours = (docs[j].Document.Published - docs[i].Document.Published).TotalHours;
                if (hours > settings.FullHours + settings.FadeHours)
                {
                    break;
                }

                if (VenuesConflict(docs[i], docs[j]) || (include is not null && !include(docs[i].Document.ItemId, docs[j].Document.ItemId)))
                {
                    continue;
                }

                var f = new double[PairFeatures.Count];
                var embedded = PairFeatures.Compute(prepared[i], prepared[j], hours, TermDot(prepared[i], prepared[j]), settings.FullHours, settings.FadeHours, f);
                pairs.Add((docs[i].Document.ItemId, docs[j].Document.ItemId, f, embedded));
            }
        }

        return pairs;
    }

    /// <summary>
    /// Symmetric sums of item similarities between clusters, stored as a lower triangle of floats: a window of 3,000
    /// items takes 18 MB, and only for the length of one pass.
    /// </summary>
    internal sealed class PairSums : IDisposable
    {
        private float[]? values;

        public PairSums(int n)
        {
            var length = checked((int)((long)n * (n - 1) / 2));
            values = ArrayPool<float>.Shared.Rent(length);
            Array.Clear(values, 0, length);
        }

        public float this[int a, int b]
        {
            get => a == b ? 0 : values![Index(a, b)];
            set => values![Index(a, b)] = value;
        }

        private static long Index(int a, int b) => a > b ? ((long)a * (a - 1) / 2) + b : ((long)b * (b - 1) / 2) + a;

        public void Dispose()
        {
            if (values is { } rented)
            {
                values = null;
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The second, story-level stage: a round of talks or a meeting is a story whose members mostly place it at one
    /// venue. Its outcome and the reactions to it rarely name the venue ("US and Ukraine report progress"), so a small
    /// story that falls within the round's span — from a little before its first venue item to a day and a half after
    /// its last — and leads with no development of its own joins the round when its members are, on average, still
    /// similar to the round's, or — with the same-event model — when every one of its members leads with talks (or
    /// reports how they went) and names one of the round's participants (<see cref="EventClusterSettings.TalksJoinRounds"/>);
    /// a meeting only one headline placed takes such talks news too, after the rounds took theirs
    /// (<see cref="EventClusterSettings.WeakRoundsTakeTalks"/>). A story at another venue never does.
    /// </summary>
    /// <param name="touched">Which groups gained items this pass: a committed story is absorbed by a committed round only
    /// when one of them did. Null: committed stories are never absorbed.</param>
    /// <param name="scatter">The window's term vectors' scatter, when the caller has one.</param>
    internal List<(List<int> Members, long? Pinned)> AbsorbIntoRounds(List<(List<int> Members, long? Pinned)> groups, Prepared[] prepared, IReadOnlyList<bool>? touched = null, TermScatter? scatter = null)
    {
        scatter ??= new TermScatter(prepared);
        var reach = settings.FullHours + settings.FadeHours;
        var nearOnly = model is not null && settings.RoundNearPairs; // pairs further apart than the reach are left out
        var rounds = new List<Round>();
        var weak = new List<Round>();
        for (var g = 0; g < groups.Count; g++)
        {
            var venue = groups[g].Members.SelectMany(i => prepared[i].Features.Venues).GroupBy(v => v)
                .Select(v => (Venue: v.Key, Count: v.Count())).OrderByDescending(v => v.Count).ThenBy(v => v.Venue).FirstOrDefault();
            if (venue.Count == 0)
            {
                continue;
            }

            // The headlines that place the round at its venue give its span and who takes part: the names in them.
            var placing = groups[g].Members.Where(i => prepared[i].Features.Venues.Contains(venue.Venue)).Select(i => prepared[i].Features).ToList();
            var round = new Round(
                g,
                venue.Venue,
                placing.Min(f => f.Document.Published) - TimeSpan.FromHours(settings.RoundLeadHours),
                placing.Max(f => f.Document.Published) + TimeSpan.FromHours(settings.RoundTrailHours),
                [.. placing.SelectMany(f => f.Capitalised)]);
            (venue.Count >= settings.RoundMinPlaced ? rounds : weak).Add(round);
        }

        var absorbed = new int[groups.Count];
        Array.Fill(absorbed, -1);
        Absorb(rounds, linkedOnly: false);
        if (settings.WeakRoundsTakeTalks)
        {
            Absorb([.. weak.Where(r => absorbed[r.Group] < 0)], linkedOnly: true);
        }

        var result = new List<(List<int> Members, long? Pinned)>();
        for (var g = 0; g < groups.Count; g++)
        {
            if (absorbed[g] >= 0)
            {
                continue;
            }

            var members = new List<int>(groups[g].Members);
            var pinned = groups[g].Pinned;
            for (var other = 0; other < groups.Count; other++)
            {
                if (absorbed[other] == g)
                {
                    members.AddRange(groups[other].Members);
                    pinned ??= groups[other].Pinned;
                }
            }

            members.Sort();
            result.Add((members, pinned));
        }

        return result;

        // Each story that is no round joins the candidate round it fits best (linkedOnly: only talks news linked to it).
        void Absorb(List<Round> candidates, bool linkedOnly)
        {
            var taking = candidates.Select(r => r.Group).ToHashSet();
            var strong = rounds.Select(r => r.Group).ToHashSet();
            for (var g = 0; g < groups.Count; g++)
            {
                var members = groups[g].Members;
                // A development of its own (a strike, a leak) or what a bystander says stays a story of its own.
                if (absorbed[g] >= 0 || members.Count > settings.AbsorbMaxSize || strong.Contains(g) || taking.Contains(g)
                    || (linkedOnly && members.Any(i => prepared[i].Features.Venues.Length > 0))
                    || members.Any(i => IsApart(prepared[i].Features.Lead) || prepared[i].Bystander))
                {
                    continue;
                }

                // A story that leads with talks (a meeting, its progress, its end) within a round's span, each of its items
                // naming someone or something the round's own headlines name, is that round's news however few words it
                // shares with them ("Kremlin signals no breakthrough after Putin talks with US" and "Witkoff and Kushner
                // arrive in Moscow to meet Putin"): it joins the round it is most similar to, with no threshold.
                var talks = model is not null && settings.TalksJoinRounds && members.All(i => prepared[i].Features.Lead == Development.Talks || (settings.OutcomeJoinsRounds && prepared[i].Features.Outcome));
                if (linkedOnly && !talks)
                {
                    continue;
                }

                var threshold = model is null ? settings.AbsorbThreshold : settings.ModelAbsorbThreshold;
                var best = (Score: double.NegativeInfinity, Group: -1);
                foreach (var round in candidates)
                {
                    if (!MayJoin(round.Group, g))
                    {
                        continue;
                    }

                    if (members.Any(i => prepared[i].Features.Document.Published < round.From || prepared[i].Features.Document.Published > round.To
                        || (prepared[i].Features.Venues.Length > 0 && !prepared[i].Features.Venues.Contains(round.Venue))))
                    {
                        continue;
                    }

                    var linked = (talks && members.All(i => prepared[i].Features.Capitalised.Any(round.Names.Contains)))
                        || (!linkedOnly && model is not null && settings.ReferenceJoinsRounds && members.Any(i => prepared[i].Features.VenueMentions.Contains(round.Venue)));
                    if (linkedOnly && !linked)
                    {
                        continue;
                    }

                    // A round this story's members cannot reach on average — the best so far, or the threshold unless
                    // linked — even if every pair still to score were the most similar a pair can be, cannot be chosen:
                    // the rest of its pairs are not scored.
                    var needed = linked ? best.Score : Math.Max(best.Score, threshold);
                    var roundMembers = groups[round.Group].Members;
                    double sum = 0;
                    var pairs = nearOnly
                        ? members.Sum(i => (double)roundMembers.Count(j => Apart(i, j) < reach))
                        : members.Count * (double)roundMembers.Count;
                    if (pairs == 0)
                    {
                        continue;
                    }

                    var left = pairs;
                    foreach (var i in members)
                    {
                        scatter.Spread(prepared[i]);
                        foreach (var j in roundMembers)
                        {
                            var hours = Apart(i, j);
                            if (nearOnly && hours >= reach)
                            {
                                continue;
                            }

                            sum += Similarity(prepared[i], prepared[j], hours, scatter.Dot(prepared[i], prepared[j]));
                            left--;
                        }

                        if (sum + (left * MostSimilar) < needed * pairs)
                        {
                            break;
                        }
                    }

                    var mean = sum / pairs;
                    if ((linked || mean >= threshold) && (best.Group < 0 || mean > best.Score))
                    {
                        best = (mean, round.Group);
                    }
                }

                absorbed[g] = best.Group;
            }
        }

        double Apart(int i, int j) => Math.Abs((prepared[j].Features.Document.Published - prepared[i].Features.Document.Published).TotalHours);

        bool MayJoin(int a, int b) => CommittedMayJoin(groups[a].Pinned, groups[b].Pinned, touched is not null && (touched[a] || touched[b]));
    }

    /// <summary>Two committed stories (pinned to different stories) come together only when this pass touched one of them.</summary>
    private static bool CommittedMayJoin(long? pinnedA, long? pinnedB, bool eitherTouched) =>
        !(pinnedA is { } p && pinnedB is { } q && p != q && !eitherTouched);

    /// <summary>
    /// One development reported by many outlets in different wordings ("Trump approves 28-point plan", "Here's what's in
    /// the 28-point plan"; "Zelensky's top aide resigns", "In firing his No. 2, Zelensky…") can fall into several stories
    /// when their headlines share few words. Two stories join when most members of each lead with the same development
    /// of its own — a plan, a leak, a personnel change — none leads with another, no member places an event at a venue or
    /// reports a bystander, all their members are within the fade of each other, and they name the same figure or the
    /// same name that fewer than half the window's headlines carry (not "Ukraine"), and no figures that differ ("19-point"
    /// against "28-point"). Stories are taken in order of their first member and each joins the first it fits.
    /// </summary>
    /// <param name="touched">As for <see cref="AbsorbIntoRounds"/>: two committed stories join only when one gained items
    /// this pass; null, never.</param>
    internal List<(List<int> Members, long? Pinned)> JoinSameDevelopments(List<(List<int> Members, long? Pinned)> groups, Prepared[] prepared, IReadOnlyList<bool>? touched)
    {
        var carriers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in prepared.SelectMany(p => p.Features.Capitalised.Distinct(StringComparer.Ordinal)))
        {
            carriers[name] = carriers.GetValueOrDefault(name) + 1;
        }

        var order = Enumerable.Range(0, groups.Count).OrderBy(g => groups[g].Members.Min()).ToList();
        var joined = new List<(List<int> Members, long? Pinned, bool Touched)>();
        foreach (var g in order)
        {
            var (members, pinned) = groups[g];
            var isTouched = touched is not null && touched[g];
            var development = DevelopmentOf(members);
            var into = -1;
            if (development is not Development.None)
            {
                for (var k = 0; k < joined.Count && into < 0; k++)
                {
                    var other = joined[k];
                    if (DevelopmentOf(other.Members) == development && Fits(other.Members, members)
                        && CommittedMayJoin(other.Pinned, pinned, other.Touched || isTouched))
                    {
                        into = k;
                    }
                }
            }

            if (into < 0)
            {
                joined.Add((new List<int>(members), pinned, isTouched));
            }
            else
            {
                var other = joined[into];
                other.Members.AddRange(members);
                other.Members.Sort();
                joined[into] = (other.Members, other.Pinned ?? pinned, other.Touched || isTouched);
            }
        }

        return [.. joined.Select(j => (j.Members, j.Pinned))];

        Development DevelopmentOf(List<int> members)
        {
            if (members.Any(i => prepared[i].Features.Venues.Length > 0 || prepared[i].Bystander))
            {
                return Development.None;
            }

            var lead = members.GroupBy(i => prepared[i].Features.Lead).OrderByDescending(l => l.Count()).ThenBy(l => l.Key).First();
            var own = lead.Key is Development.Leak or Development.Personnel;
            return own && lead.Count() * 2 > members.Count && members.All(i => prepared[i].Features.Lead == lead.Key || !IsApart(prepared[i].Features.Lead))
                ? lead.Key
                : Development.None;
        }

        bool Fits(List<int> a, List<int> b)
        {
            var first = Math.Min(prepared[a[0]].Features.Document.Published.UtcTicks, prepared[b[0]].Features.Document.Published.UtcTicks);
            var last = Math.Max(a.Max(i => prepared[i].Features.Document.Published.UtcTicks), b.Max(i => prepared[i].Features.Document.Published.UtcTicks));
            if (TimeSpan.FromTicks(last - first).TotalHours >= settings.FullHours + settings.FadeHours)
            {
                return false;
            }

            var figuresA = a.SelectMany(i => prepared[i].Features.Figures).ToHashSet(StringComparer.Ordinal);
            var figuresB = b.SelectMany(i => prepared[i].Features.Figures).ToHashSet(StringComparer.Ordinal);
            if (figuresA.Count > 0 && figuresB.Count > 0)
            {
                return figuresA.Overlaps(figuresB);
            }

            var namesA = a.SelectMany(i => prepared[i].Features.Capitalised).Where(n => carriers[n] * 2 < prepared.Length).ToHashSet(StringComparer.Ordinal);
            return b.SelectMany(i => prepared[i].Features.Capitalised).Any(namesA.Contains);
        }
    }

    /// <summary>
    /// One development told in many wordings, or a meeting and its run-up, can end in several stories no pair of whose
    /// members is alike enough for the linkage: the centroid of a story says what its members share better than any one
    /// of them. So stories are read as wholes (<see cref="Profile"/>): two join, the most likely pair first (ties to the
    /// earlier stories), while the same-event model reading their profiles says one event as surely as the linkage asks
    /// of two clusters, their member pairs within the fade are on average at least as similar as a round asks of a story
    /// it absorbs, and neither has a development of its own (a strike, a leak) or a bystander the other lacks. A story of
    /// one item is read as that item, so two items the linkage kept apart stay apart.
    /// </summary>
    /// <param name="touched">As for <see cref="AbsorbIntoRounds"/>: two committed stories join only when one gained items
    /// this pass; null, never. Only pairs with a touched or uncommitted story are read: O(touched × stories) profiles
    /// compared per pass, and after a join only the joined story's pairs again.</param>
    internal List<(List<int> Members, long? Pinned)> JoinProfiles(List<(List<int> Members, long? Pinned)> groups, Prepared[] prepared, IReadOnlyList<bool>? touched)
    {
        var reach = settings.FullHours + settings.FadeHours;
        var live = groups.Select((g, k) => new Whole(g.Members, g.Pinned, touched is not null && touched[k], prepared)).ToList();
        var alive = live.Select(_ => true).ToList();
        var values = new Dictionary<(int, int), double>();
        // Only a pair with a story this pass touched (or one not committed) can join: those are the rows.
        var row = live.Select(w => touched is null || w.Touched || w.Pinned is null).ToList();
        for (var a = 0; a < live.Count; a++)
        {
            for (var b = 0; b < live.Count && row[a]; b++)
            {
                if (b != a && !(row[b] && b < a))
                {
                    Score(Math.Min(a, b), Math.Max(a, b));
                }
            }
        }

        while (values.Count > 0)
        {
            var (a, b) = values.OrderByDescending(v => v.Value).ThenBy(v => v.Key).First().Key;
            var (keep, drop) = live[a].Members[0] < live[b].Members[0] ? (a, b) : (b, a);
            var members = live[keep].Members.Concat(live[drop].Members).Order().ToList();
            live[keep] = new Whole(members, live[keep].Pinned ?? live[drop].Pinned, live[keep].Touched || live[drop].Touched, prepared);
            alive[drop] = false;
            foreach (var key in values.Keys.Where(k => k.Item1 == keep || k.Item2 == keep || k.Item1 == drop || k.Item2 == drop).ToList())
            {
                values.Remove(key);
            }

            for (var c = 0; c < live.Count; c++)
            {
                if (alive[c] && c != keep)
                {
                    Score(Math.Min(keep, c), Math.Max(keep, c));
                }
            }
        }

        return [.. live.Where((_, k) => alive[k]).Select(w => (w.Members, w.Pinned))];

        // Records the pair's value (the model's p − 0.5 on the profiles) when the two may join.
        void Score(int a, int b)
        {
            var (x, y) = (live[a], live[b]);
            if (TimeSpan.FromTicks(Math.Max(x.First, y.First) - Math.Min(x.Last, y.Last)).TotalHours >= reach
                || !CommittedMayJoin(x.Pinned, y.Pinned, x.Touched || y.Touched) || !x.Apart.SetEquals(y.Apart) || !x.Bystanders.SetEquals(y.Bystanders))
            {
                return;
            }

            var hours = Gap(x.Members, y.Members);
            if (hours >= reach || VenuesConflict(x.Profile.Features, y.Profile.Features))
            {
                return;
            }

            Span<double> f = stackalloc double[PairFeatures.Count];
            var embedded = PairFeatures.Compute(x.Profile, y.Profile, hours, TermDot(x.Profile, y.Profile), settings.FullHours, settings.FadeHours, f);
            var value = model!.Probability(f, embedded) - 0.5;
            if (value >= Threshold && NearMean(x.Members, y.Members) >= settings.ModelAbsorbThreshold)
            {
                values[(a, b)] = value;
            }
        }

        // The mean similarity of two stories' member pairs within the fade of each other.
        double NearMean(List<int> a, List<int> b)
        {
            double sum = 0;
            var count = 0;
            foreach (var i in a)
            {
                foreach (var j in b)
                {
                    var hours = Apart(i, j);
                    if (hours < reach)
                    {
                        sum += Similarity(prepared[i], prepared[j], hours);
                        count++;
                    }
                }
            }

            return count == 0 ? double.NegativeInfinity : sum / count;
        }

        // The hours between the closest members of two stories.
        double Gap(List<int> a, List<int> b)
        {
            var gap = double.PositiveInfinity;
            foreach (var i in a)
            {
                foreach (var j in b)
                {
                    gap = Math.Min(gap, Apart(i, j));
                }
            }

            return gap;
        }

        double Apart(int i, int j) => Math.Abs((prepared[j].Features.Document.Published - prepared[i].Features.Document.Published).TotalHours);
    }

    /// <summary>A story in <see cref="JoinProfiles"/>: its members, its span, and — worked out when first compared — the
    /// developments of their own its members lead with, who of them speaks as a bystander, and its profile.</summary>
    private sealed class Whole(List<int> members, long? pinned, bool touched, Prepared[] prepared)
    {
        private Prepared? profile;
        private HashSet<Development>? apart;
        private HashSet<string>? bystanders;

        public List<int> Members { get; } = members;

        public long? Pinned { get; } = pinned;

        public bool Touched { get; } = touched;

        public long First { get; } = prepared[members[0]].Features.Document.Published.UtcTicks;

        public long Last { get; } = prepared[members[^1]].Features.Document.Published.UtcTicks;

        public HashSet<Development> Apart => apart ??= [.. Members.Select(i => prepared[i].Features.Lead).Where(IsApart)];

        public HashSet<string> Bystanders => bystanders ??= [.. Members.Where(i => prepared[i].Bystander).Select(i => prepared[i].Speaker!)];

        public Prepared Profile => profile ??= EventClusterer.Profile(Members, prepared);
    }

    /// <summary>
    /// A story read as one item: the centroid of its members' embeddings and of their term vectors, the names, title
    /// words and figures at least half of them carry, every venue they place it at or refer to, and the lead, outcome and
    /// speaker more than half of them have. A story of one item is that item.
    /// </summary>
    internal static Prepared Profile(List<int> members, Prepared[] prepared)
    {
        if (members.Count == 1)
        {
            return prepared[members[0]];
        }

        var items = members.Select(i => prepared[i]).ToList();
        var half = (items.Count + 1) / 2;
        float[]? centroid = null;
        foreach (var embedding in items.Select(p => p.Features.Embedding).OfType<float[]>())
        {
            centroid ??= new float[embedding.Length];
            TensorPrimitives.Add(centroid, embedding, centroid);
        }

        if (centroid is not null)
        {
            TensorPrimitives.Divide(centroid, TensorPrimitives.Norm(centroid), centroid);
        }

        var sums = new SortedDictionary<int, double>();
        foreach (var p in items)
        {
            for (var k = 0; k < p.Terms.Length; k++)
            {
                sums[p.Terms[k]] = sums.GetValueOrDefault(p.Terms[k]) + p.Weights[k];
            }
        }

        var norm = Math.Sqrt(sums.Values.Sum(w => w * w));
        var lead = items.GroupBy(p => p.Features.Lead).OrderByDescending(l => l.Count()).ThenBy(l => l.Key).First();
        var speaker = items.Where(p => p.Speaker is not null).GroupBy(p => p.Speaker!, StringComparer.Ordinal)
            .OrderByDescending(s => s.Count()).ThenBy(s => s.Key, StringComparer.Ordinal).FirstOrDefault();
        var speaks = speaker is not null && speaker.Count() * 2 > items.Count;
        var first = items[0].Features;
        var features = new EventFeatures
        {
            Document = first.Document,
            Text = first.Text,
            Venues = [.. items.SelectMany(p => p.Features.Venues).Distinct().Order()],
            VenueMentions = [.. items.SelectMany(p => p.Features.VenueMentions).Distinct().Order()],
            TitleTokens = [],
            LeadTokens = [],
            Capitalised = Common(items.Select(p => p.Features.Capitalised)),
            Figures = Common(items.Select(p => p.Features.Figures)),
            Lead = lead.Count() * 2 > items.Count ? lead.Key : Development.None,
            Outcome = items.Count(p => p.Features.Outcome) * 2 > items.Count,
            SpeakerCandidates = [],
            Shingles = [],
            Embedding = centroid,
        };
        return new Prepared(
            features,
            [.. sums.Keys],
            [.. sums.Values.Select(w => (float)(w / norm))],
            speaks ? speaker!.Key : null,
            speaks && speaker!.Count(p => p.SpeakerTakesPart) * 2 > speaker!.Count(),
            CommonIds(items.Select(p => p.WordIds)),
            CommonIds(items.Select(p => p.NameIds)));

        string[] Common(IEnumerable<string[]> sets) =>
            [.. sets.SelectMany(s => s.Distinct(StringComparer.Ordinal)).GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() >= half).Select(g => g.Key).Order(StringComparer.Ordinal)];

        int[] CommonIds(IEnumerable<int[]> sets) =>
            [.. sets.SelectMany(s => s.Distinct()).GroupBy(x => x).Where(g => g.Count() >= half).Select(g => g.Key).Order()];
    }

    /// <summary>A round of talks: its story, its venue, its span and the names its placing headlines give.</summary>
    private sealed record Round(int Group, int Venue, DateTimeOffset From, DateTimeOffset To, HashSet<string> Names);

    /// <summary>At least what <see cref="Similarity(Prepared, Prepared, double)"/> gives any pair: with the model, a probability
    /// minus 0.5, so below 0.5; without, every bonus at once on perfect cosines (with a margin for the rounding of unit
    /// vectors).</summary>
    private double MostSimilar => model is not null
        ? 0.5
        : Math.Max(settings.EmbeddingWeight + settings.TermWeight, settings.TermOnlyWeight) * 1.01
            + Math.Max(settings.SameVenue, settings.VenueReference) + settings.SameFigure + settings.SameSpeaker;

    /// <summary>An item in the window: its features, its TF-IDF vector over the window (term ids ascending, unit
    /// length) and who its headline reports as speaking.</summary>
    /// <param name="WordIds">The ids (the window's term ids) of the title's distinct words, stop words left out, ascending.</param>
    /// <param name="NameIds">The ids of the features' capitalised words (a window-wide numbering of its own), ascending.</param>
    internal sealed record Prepared(EventFeatures Features, int[] Terms, float[] Weights, string? Speaker, bool SpeakerTakesPart, int[] WordIds, int[] NameIds)
    {
        /// <summary>A bystander to the talks speaks: a leader, lawmakers, allies — not a negotiator or an envoy.</summary>
        public bool Bystander => Speaker is not null && !SpeakerTakesPart;
    }

    /// <summary>
    /// The tables a pass fills for the whole window: its items (to take each once) and the numbering of its words and
    /// names (<see cref="Prepare"/>). At 10,000 feeds a window's tables are hundreds of kilobytes each, which the GC puts on
    /// the large-object heap: made afresh (and grown step by step) in every pass, they were most of what that heap gained
    /// between two full collections — tens of megabytes in a few seconds of the first cycle. Emptied, they keep their
    /// capacity for the next pass.
    /// </summary>
    internal sealed class Numbering
    {
        public HashSet<long> Items { get; } = [];

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Words { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> NameIds { get; } = new(StringComparer.Ordinal);

        public void Clear()
        {
            Items.Clear();
            Names.Clear();
            Words.Clear();
            NameIds.Clear();
        }
    }

    /// <summary>
    /// The window's documents, each item once (its first) in <see cref="StoryDocument.Order"/>, and their prepared terms,
    /// worked out in the tables the last pass left: one pass at a time takes them (a pass running alongside, as an
    /// evaluation may run them, makes its own), and gives them back emptied. The result is the same either way.
    /// </summary>
    private (EventFeatures[] Docs, Prepared[] Prepared) PrepareWindow(IReadOnlyList<EventFeatures> documents)
    {
        var numbering = Interlocked.Exchange(ref spareNumbering, null) ?? new Numbering();
        try
        {
            EventFeatures[] docs = [.. documents.Where(d => numbering.Items.Add(d.Document.ItemId)).OrderBy(d => d.Document, StoryDocument.Order)];
            return (docs, docs.Length == 0 ? [] : Prepare(docs, settings.FullHours + settings.FadeHours, numbering));
        }
        finally
        {
            numbering.Clear();
            spareNumbering = numbering;
        }
    }

    /// <summary>Documents added to the window's count in the IDF, so words shared by a small window's few items still count.</summary>
    private const double IdfPrior = 10;

    /// <summary>
    /// Window-level preparation: a word is a name if any headline of the window writes it as one (Title Case headlines
    /// can't show it); names count double in the TF-IDF vectors, title words twice lead words; IDF is the window's own.
    /// </summary>
    /// <param name="reach">Hours within which a person named in a headline that places a meeting takes part in it.</param>
    /// <param name="numbering">Empty tables to number words and names in (null: new ones); left filled.</param>
    internal static Prepared[] Prepare(EventFeatures[] docs, double reach, Numbering? numbering = null)
    {
        numbering ??= new Numbering();
        var names = numbering.Names;
        names.UnionWith(docs.SelectMany(d => d.Capitalised));
        var ids = numbering.Words;
        // Each item's term counts (its TermWords, worked out once per item: counts in halves, so a name's doubled count
        // is the sum of its doubled occurrences to the bit), numbered in the window's order of first appearance.
        var rawTerms = new int[docs.Length][];
        var rawCounts = new double[docs.Length][];
        var df = new List<int>();
        for (var i = 0; i < docs.Length; i++)
        {
            var words = docs[i].TermWords;
            var terms = new int[words.Length];
            var counts = new double[words.Length];
            for (var k = 0; k < words.Length; k++)
            {
                var (word, count) = words[k];
                if (!ids.TryGetValue(word, out var id))
                {
                    id = ids.Count;
                    ids[word] = id;
                    df.Add(0);
                }

                terms[k] = id;
                counts[k] = names.Contains(word) ? 2 * count : count;
                df[id]++;
            }

            Array.Sort(terms, counts);
            rawTerms[i] = terms;
            rawCounts[i] = counts;
        }

        var idf = new double[df.Count];
        for (var id = 0; id < idf.Length; id++)
        {
            idf[id] = Math.Log((docs.Length + IdfPrior) / (df[id] + 0.5));
        }

        // The headlines that place a meeting, by the words of their titles: who is named at one.
        var meetings = new Dictionary<string, List<DateTimeOffset>>(StringComparer.Ordinal);
        foreach (var meeting in docs.Where(d => d.Venues.Length > 0))
        {
            foreach (var word in meeting.TitleTokens.Distinct(StringComparer.Ordinal))
            {
                if (!meetings.TryGetValue(word, out var times))
                {
                    meetings[word] = times = [];
                }

                times.Add(meeting.Document.Published);
            }
        }

        var nameIds = numbering.NameIds;
        var prepared = new Prepared[docs.Length];
        for (var i = 0; i < docs.Length; i++)
        {
            var terms = rawTerms[i];
            var weights = new float[terms.Length];
            double norm = 0;
            for (var k = 0; k < terms.Length; k++)
            {
                var w = rawCounts[i][k] * idf[terms[k]];
                weights[k] = (float)w;
                norm += w * w;
            }

            norm = Math.Sqrt(norm);
            for (var k = 0; k < weights.Length && norm > 0; k++)
            {
                weights[k] = (float)(weights[k] / norm);
            }

            var speaker = docs[i].SpeakerCandidates.Where(c => c.Named || names.Contains(c.Word))
                .Select(c => (SpeakerCandidate?)c).FirstOrDefault();
            var takesPart = speaker is { } who && (who.TakesPart || NamedAtAMeeting(i, who.Word));
            // Words and names are compared as sorted ids (the same sets, so the same Jaccard): the title's words are all terms.
            var wordIds = docs[i].TitleWords.Select(t => ids[t]).ToArray();
            Array.Sort(wordIds);
            var capitalised = docs[i].Capitalised;
            var nameIdsOf = new int[capitalised.Length];
            for (var k = 0; k < capitalised.Length; k++)
            {
                if (!nameIds.TryGetValue(capitalised[k], out var id))
                {
                    id = nameIds.Count;
                    nameIds[capitalised[k]] = id;
                }

                nameIdsOf[k] = id;
            }

            Array.Sort(nameIdsOf);
            prepared[i] = new Prepared(docs[i], terms, weights, speaker?.Speaker, takesPart, wordIds, nameIdsOf);
        }

        return prepared;

        // Someone named in a headline that places a meeting near this one's time ("Rubio and Witkoff are meeting with
        // Ukraine's negotiators in Florida") takes part in that round: what they say about it is the round's news.
        bool NamedAtAMeeting(int i, string word)
        {
            var at = docs[i].Document.Published;
            if (meetings.TryGetValue(word, out var times))
            {
                foreach (var published in times)
                {
                    if (Math.Abs((published - at).TotalHours) <= reach)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    private static bool Overlaps<T>(T[] a, T[] b)
    {
        foreach (var item in a)
        {
            if (Array.IndexOf(b, item) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How much two items look like one event (negative: rather not); 0 when too far apart in time.</summary>
    internal double Similarity(Prepared px, Prepared py, double hours) =>
        hours >= settings.FullHours + settings.FadeHours ? (model is null ? 0 : settings.ModelFarPair) : Similarity(px, py, hours, TermDot(px, py));

    /// <param name="terms">The pair's <see cref="TermDot"/>, already worked out.</param>
    internal double Similarity(Prepared px, Prepared py, double hours, double terms)
    {
        EventFeatures x = px.Features, y = py.Features;
        if (hours >= settings.FullHours + settings.FadeHours)
        {
            return model is null ? 0 : settings.ModelFarPair;
        }

        if (model is not null)
        {
            Span<double> f = stackalloc double[PairFeatures.Count];
            var embedded = PairFeatures.Compute(px, py, hours, terms, settings.FullHours, settings.FadeHours, f);
            return model.Probability(f, embedded) - 0.5;
        }

        var s = x.Embedding is { } ex && y.Embedding is { } ey
            ? (settings.EmbeddingWeight * Dot(ex, ey)) + (settings.TermWeight * terms)
            : settings.TermOnlyWeight * terms;
        if (Overlaps(x.Venues, y.Venues))
        {
            s += settings.SameVenue;
        }
        else if (Overlaps(x.Venues, y.VenueMentions) || Overlaps(y.Venues, x.VenueMentions))
        {
            s += settings.VenueReference;
        }

        if (Overlaps(x.Figures, y.Figures))
        {
            s += settings.SameFigure;
        }

        if (x.Lead != y.Lead && (IsApart(x.Lead) || IsApart(y.Lead)))
        {
            s -= settings.DifferentDevelopment;
        }

        if (px.Speaker is not null && py.Speaker is not null)
        {
            s += px.Speaker == py.Speaker ? settings.SameSpeaker : -settings.DifferentSpeaker;
        }
        else if (px.Bystander || py.Bystander)
        {
            s -= settings.BystanderApart;
        }

        if (hours > settings.FullHours)
        {
            s *= 1 - ((hours - settings.FullHours) / settings.FadeHours);
        }

        return s;
    }

    /// <summary>Developments that make their own story even when they mention the talks.</summary>
    internal static bool IsApart(Development d) => d is Development.Strike or Development.Markets or Development.Personnel or Development.Leak;

    /// <summary>Both place an event, at different venues: never one story.</summary>
    internal static bool VenuesConflict(EventFeatures x, EventFeatures y) =>
        x.Venues.Length > 0 && y.Venues.Length > 0 && !Overlaps(x.Venues, y.Venues);

    /// <summary>The cosine of two items' TF-IDF vectors (both unit length, terms ascending).</summary>
    internal static double TermDot(Prepared a, Prepared b)
    {
        double dot = 0;
        int i = 0, j = 0;
        while (i < a.Terms.Length && j < b.Terms.Length)
        {
            var (ta, tb) = (a.Terms[i], b.Terms[j]);
            if (ta == tb)
            {
                dot += a.Weights[i++] * b.Weights[j++];
            }
            else if (ta < tb)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return dot;
    }

    /// <summary>
    /// One item's TF-IDF vector spread over the window's vocabulary, so its cosine with each of many others costs one
    /// look-up per term of theirs instead of a merge of two term lists. The same products are added in the same order
    /// (ascending term ids; a term the spread vector lacks adds an exact zero), so the cosine is <see cref="TermDot"/>'s
    /// to the bit.
    /// </summary>
    internal sealed class TermScatter(Prepared[] prepared)
    {
        private readonly float[] dense = new float[prepared.Length == 0 ? 0 : prepared.Max(p => p.Terms.Length == 0 ? 0 : p.Terms[^1] + 1)];
        private Prepared? spread;

        /// <summary>Makes <paramref name="item"/> the spread vector.</summary>
        public void Spread(Prepared item)
        {
            if (ReferenceEquals(item, spread))
            {
                return;
            }

            if (spread is not null)
            {
                foreach (var term in spread.Terms)
                {
                    dense[term] = 0;
                }
            }

            spread = item;
            for (var k = 0; k < item.Terms.Length; k++)
            {
                dense[item.Terms[k]] = item.Weights[k];
            }
        }

        /// <summary>The cosine of two items' term vectors (<see cref="TermDot"/>), by the spread one when either is.</summary>
        public double Dot(Prepared a, Prepared b)
        {
            var other = ReferenceEquals(a, spread) ? b : ReferenceEquals(b, spread) ? a : null;
            if (other is null)
            {
                return TermDot(a, b);
            }

            double dot = 0;
            var (terms, weights) = (other.Terms, other.Weights);
            for (var k = 0; k < terms.Length; k++)
            {
                dot += dense[terms[k]] * weights[k];
            }

            return dot;
        }
    }

    private static double Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    internal static double Jaccard(Shingle[] a, Shingle[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var (i, j, shared) = (0, 0, 0);
        while (i < a.Length && j < b.Length)
        {
            var order = a[i].CompareTo(b[j]);
            if (order == 0)
            {
                shared++;
            }

            i += order <= 0 ? 1 : 0;
            j += order >= 0 ? 1 : 0;
        }

        return (double)shared / (a.Length + b.Length - shared);
    }
}
