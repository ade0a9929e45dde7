using Digest.Core.Classification;

namespace Digest.Core.Stories;

/// <summary>One story of a partition: its items in time order, and the near-copies among them.</summary>
/// <param name="ItemIds">The members, ordered by time and key.</param>
/// <param name="PinnedStoryId">The existing story this cluster grew from, when it holds pinned items.</param>
public sealed record StoryCluster(IReadOnlyList<long> ItemIds, long? PinnedStoryId);

/// <summary>A window of items grouped into stories; <see cref="DuplicateOf"/> maps a near-copy to the earlier item it copies.</summary>
public sealed record StoryPartition(IReadOnlyList<StoryCluster> Clusters, IReadOnlyDictionary<long, long> DuplicateOf)
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

/// <summary>The clusterer's weights and limits; the defaults are the measured ones (see README, Evaluation).</summary>
public sealed record EventClusterSettings
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

    /// <summary>Added when both headlines lead with the same actor ("Putin says…", "Putin insists…").</summary>
    public double SameSubject { get; init; } = 0.1;

    /// <summary>Subtracted when they lead with different actors ("Trump says…", "Zelensky warns…").</summary>
    public double DifferentSubject { get; init; } = 0.3;

    /// <summary>The similarity of a pair placed at different venues: they never join.</summary>
    public double VenueConflict { get; init; } = -2;

    /// <summary>Within this many hours a pair counts in full; beyond, its similarity fades.</summary>
    public double FullHours { get; init; } = 24;

    /// <summary>Hours over which similarity fades to nothing after <see cref="FullHours"/>.</summary>
    public double FadeHours { get; init; } = 48;

    /// <summary>The average item similarity from which two clusters merge.</summary>
    public double MergeThreshold { get; init; } = 0.55;

    /// <summary>A round's span starts this many hours before its first item that names the venue.</summary>
    public double RoundLeadHours { get; init; } = 12;

    /// <summary>A round's span ends this many hours after its last item that names the venue: outcome and reactions.</summary>
    public double RoundTrailHours { get; init; } = 36;

    /// <summary>The mean item similarity to a round from which a small story within its span joins it.</summary>
    public double AbsorbThreshold { get; init; } = 0.05;

    /// <summary>Stories larger than this are developments of their own and never join a round.</summary>
    public double AbsorbMaxSize { get; init; } = 4;

    /// <summary>The shingle Jaccard from which an item is a near-copy of an earlier one.</summary>
    public double DuplicateJaccard { get; init; } = 0.6;
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
public sealed class EventClusterer(EventClusterSettings? settings = null)
{
    private readonly EventClusterSettings settings = settings ?? new EventClusterSettings();

    public EventClusterSettings Settings => settings;

    /// <param name="documents">The window's items, in any order.</param>
    /// <param name="pinned">Items whose story is fixed (for example older members of a story still in the window's
    /// reach): items of one pinned story start together and two pinned stories never merge.</param>
    public StoryPartition Cluster(IReadOnlyList<EventFeatures> documents, IReadOnlyDictionary<long, long>? pinned = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var docs = documents.DistinctBy(d => d.Document.ItemId).OrderBy(d => d.Document, StoryDocument.Order).ToArray();
        var n = docs.Length;
        if (n == 0)
        {
            return new StoryPartition([], new Dictionary<long, long>());
        }

        var prepared = Prepare(docs);
        var duplicateOf = new Dictionary<long, long>();

        // Clusters start as single items, or as the pinned stories' groups.
        var clusterOfDoc = new int[n];
        var members = new List<List<int>>();
        var pinnedStory = new List<long?>();
        var pinnedIndex = new Dictionary<long, int>();
        for (var i = 0; i < n; i++)
        {
            if (pinned is not null && pinned.TryGetValue(docs[i].Document.ItemId, out var story))
            {
                if (!pinnedIndex.TryGetValue(story, out var c))
                {
                    c = members.Count;
                    pinnedIndex[story] = c;
                    members.Add([]);
                    pinnedStory.Add(story);
                }

                members[c].Add(i);
                clusterOfDoc[i] = c;
            }
            else
            {
                clusterOfDoc[i] = members.Count;
                members.Add([i]);
                pinnedStory.Add(null);
            }
        }

        // Pair similarities, summed per pair of clusters (Lance–Williams for average linkage keeps sums).
        var sums = new Dictionary<int, Dictionary<int, double>>();
        for (var c = 0; c < members.Count; c++)
        {
            sums[c] = [];
        }

        var fadeEnd = settings.FullHours + settings.FadeHours;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var hours = (docs[j].Document.Published - docs[i].Document.Published).TotalHours;
                if (hours > fadeEnd)
                {
                    break;
                }

                var s = Similarity(prepared[i], prepared[j], hours);
                // Near-copies share most words, so only pairs whose term vectors already agree are compared word by word.
                if (Dot(prepared[i].Vector, prepared[j].Vector) >= 0.4 && Jaccard(docs[i].Shingles, docs[j].Shingles) >= settings.DuplicateJaccard && VenuesAgree(docs[i], docs[j]))
                {
                    s = Math.Max(s, 1.5);
                    if (!duplicateOf.ContainsKey(docs[j].Document.ItemId))
                    {
                        duplicateOf[docs[j].Document.ItemId] = duplicateOf.GetValueOrDefault(docs[i].Document.ItemId, docs[i].Document.ItemId);
                    }
                }

                if (s == 0)
                {
                    continue;
                }

                var (a, b) = (clusterOfDoc[i], clusterOfDoc[j]);
                if (a != b)
                {
                    sums[a][b] = sums[a].GetValueOrDefault(b) + s;
                    sums[b][a] = sums[b].GetValueOrDefault(a) + s;
                }
            }
        }

        // Merge the closest pair of clusters while its mean similarity is above the threshold. Ties go to the pair
        // whose earliest items come first, so the result does not depend on dictionary order.
        var alive = new SortedSet<int>(Enumerable.Range(0, members.Count));
        var queue = new PriorityQueue<(int A, int B, int VersionA, int VersionB), (double Negative, int A, int B)>();
        var version = new int[members.Count];
        foreach (var a in alive)
        {
            foreach (var (b, sum) in sums[a])
            {
                if (a < b)
                {
                    Push(queue, a, b, sum, members, version);
                }
            }
        }

        while (queue.TryDequeue(out var pair, out var priority))
        {
            if (-priority.Negative < settings.MergeThreshold)
            {
                break;
            }

            var (a, b) = (pair.A, pair.B);
            if (!alive.Contains(a) || !alive.Contains(b) || version[a] != pair.VersionA || version[b] != pair.VersionB)
            {
                continue;
            }

            if (pinnedStory[a] is { } pa && pinnedStory[b] is { } pb && pa != pb)
            {
                continue;
            }

            // b joins a (a is the cluster whose first item comes first).
            members[a].AddRange(members[b]);
            members[a].Sort();
            pinnedStory[a] ??= pinnedStory[b];
            alive.Remove(b);
            version[a]++;
            foreach (var (c, sum) in sums[b])
            {
                if (c == a)
                {
                    continue;
                }

                sums[a][c] = sums[a].GetValueOrDefault(c) + sum;
                sums[c].Remove(b);
                sums[c][a] = sums[a][c];
            }

            sums[a].Remove(b);
            sums.Remove(b);
            foreach (var (c, sum) in sums[a])
            {
                var (first, second) = members[a][0] < members[c][0] ? (a, c) : (c, a);
                Push(queue, first, second, sum, members, version);
            }
        }

        var groups = alive.Select(c => (Members: members[c], Pinned: pinnedStory[c])).ToList();
        groups = AbsorbIntoRounds(groups, prepared);
        var clusters = groups
            .Select(g => new StoryCluster([.. g.Members.Select(i => docs[i].Document.ItemId)], g.Pinned))
            .OrderBy(c => c.ItemIds[0] is var first ? Array.FindIndex(docs, d => d.Document.ItemId == first) : 0)
            .ToList();
        return new StoryPartition(clusters, duplicateOf);
    }

    /// <summary>
    /// The second, story-level stage: a round of talks or a meeting is a story whose members mostly place it at one
    /// venue. Its outcome and the reactions to it rarely name the venue ("US and Ukraine report progress"), so a small
    /// story that falls within the round's span — from a little before its first venue item to a day and a half after
    /// its last — and leads with no development of its own joins the round when its members are, on average, still
    /// similar to the round's. A story at another venue never does.
    /// </summary>
    private List<(List<int> Members, long? Pinned)> AbsorbIntoRounds(List<(List<int> Members, long? Pinned)> groups, Prepared[] prepared)
    {
        var rounds = new List<(int Group, int Venue, DateTimeOffset From, DateTimeOffset To)>();
        for (var g = 0; g < groups.Count; g++)
        {
            var venue = groups[g].Members.SelectMany(i => prepared[i].Features.Venues).GroupBy(v => v)
                .Select(v => (Venue: v.Key, Count: v.Count())).OrderByDescending(v => v.Count).ThenBy(v => v.Venue).FirstOrDefault();
            if (venue.Count < 2)
            {
                continue;
            }

            var placed = groups[g].Members.Where(i => prepared[i].Features.Venues.Contains(venue.Venue)).Select(i => prepared[i].Features.Document.Published).ToList();
            rounds.Add((g, venue.Venue, placed.Min() - TimeSpan.FromHours(settings.RoundLeadHours), placed.Max() + TimeSpan.FromHours(settings.RoundTrailHours)));
        }

        var absorbed = new int[groups.Count];
        Array.Fill(absorbed, -1);
        for (var g = 0; g < groups.Count; g++)
        {
            var members = groups[g].Members;
            if (members.Count > settings.AbsorbMaxSize || rounds.Any(r => r.Group == g) || members.Any(i => IsApart(prepared[i].Features.Lead)))
            {
                continue;
            }

            var best = (Score: settings.AbsorbThreshold, Group: -1);
            foreach (var round in rounds)
            {
                if (groups[round.Group].Pinned is { } p && groups[g].Pinned is { } q && p != q)
                {
                    continue;
                }

                if (members.Any(i => prepared[i].Features.Document.Published < round.From || prepared[i].Features.Document.Published > round.To
                    || (prepared[i].Features.Venues.Length > 0 && !prepared[i].Features.Venues.Contains(round.Venue))))
                {
                    continue;
                }

                double sum = 0;
                foreach (var i in members)
                {
                    foreach (var j in groups[round.Group].Members)
                    {
                        var hours = Math.Abs((prepared[j].Features.Document.Published - prepared[i].Features.Document.Published).TotalHours);
                        sum += hours > settings.FullHours + settings.FadeHours ? 0 : Similarity(prepared[i], prepared[j], hours);
                    }
                }

                var mean = sum / (members.Count * (double)groups[round.Group].Members.Count);
                if (mean >= best.Score && (best.Group < 0 || mean > best.Score))
                {
                    best = (mean, round.Group);
                }
            }

            absorbed[g] = best.Group;
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
    }

    private static void Push(PriorityQueue<(int, int, int, int), (double, int, int)> queue, int a, int b, double sum, List<List<int>> members, int[] version)
    {
        var mean = sum / (members[a].Count * (double)members[b].Count);
        queue.Enqueue((a, b, version[a], version[b]), (-mean, members[a][0], members[b][0]));
    }

    /// <summary>An item in the window: its features, its TF-IDF vector over the window, its named participants and its subject.</summary>
    internal sealed record Prepared(EventFeatures Features, Dictionary<string, double> Vector, string[] Participants, string? Subject);

    /// <summary>
    /// Window-level preparation: a word is a name if any headline of the window writes it as one (Title Case headlines
    /// can't show it); names count double in the TF-IDF vectors, title words twice lead words; IDF is the window's own.
    /// </summary>
    /// <summary>Documents added to the window's count in the IDF, so words shared by a small window's few items still count.</summary>
    private const double IdfPrior = 10;

    internal static Prepared[] Prepare(EventFeatures[] docs)
    {
        var names = new HashSet<string>(docs.SelectMany(d => d.Capitalised), StringComparer.Ordinal);
        var raw = new Dictionary<string, double>[docs.Length];
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < docs.Length; i++)
        {
            var terms = new Dictionary<string, double>(StringComparer.Ordinal);
            Add(terms, docs[i].TitleTokens, names, 1.0);
            Add(terms, docs[i].LeadTokens, names, 0.5);
            raw[i] = terms;
            foreach (var term in terms.Keys)
            {
                df[term] = df.GetValueOrDefault(term) + 1;
            }
        }

        var prepared = new Prepared[docs.Length];
        for (var i = 0; i < docs.Length; i++)
        {
            var vector = new Dictionary<string, double>(raw[i].Count, StringComparer.Ordinal);
            foreach (var (term, weight) in raw[i])
            {
                vector[term] = weight * Math.Log((docs.Length + IdfPrior) / (df[term] + 0.5));
            }

            var norm = Math.Sqrt(vector.Values.Sum(x => x * x));
            if (norm > 0)
            {
                foreach (var key in vector.Keys.ToList())
                {
                    vector[key] /= norm;
                }
            }

            var tokens = docs[i].TitleTokens;
            var participants = tokens.Where(names.Contains).Distinct().ToArray();
            var subject = SubjectOf(tokens, names);
            prepared[i] = new Prepared(docs[i], vector, participants, subject);
        }

        return prepared;

        static void Add(Dictionary<string, double> terms, List<string> tokens, HashSet<string> names, double weight)
        {
            foreach (var token in tokens)
            {
                if (token.Length < 2 || Tokenizer.IsStopWord(token))
                {
                    continue;
                }

                terms[token] = terms.GetValueOrDefault(token) + (names.Contains(token) ? 2 * weight : weight);
            }
        }
    }

    /// <summary>
    /// Who the headline leads with: the first name among its first three words, unless a function word comes first
    /// ("Putin says…", "US envoy Witkoff…" have one; "Talks in Geneva…" has none).
    /// </summary>
    private static string? SubjectOf(List<string> tokens, HashSet<string> names)
    {
        for (var i = 0; i < Math.Min(3, tokens.Count); i++)
        {
            if (names.Contains(tokens[i]))
            {
                return tokens[i];
            }

            if (Tokenizer.IsStopWord(tokens[i]))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The evidence on whether two items are one event, before weighting.</summary>
    internal static double[] PairFeatures(Prepared px, Prepared py, double hours)
    {
        EventFeatures x = px.Features, y = py.Features;
        var sameVenue = Overlaps(x.Venues, y.Venues);
        var conflict = x.Venues.Length > 0 && y.Venues.Length > 0 && !sameVenue;
        var reference = !sameVenue && (Overlaps(x.Venues, y.VenueMentions) || Overlaps(y.Venues, x.VenueMentions));
        var embedding = x.Embedding is { } ex && y.Embedding is { } ey ? Dot(ex, ey) : double.NaN;
        var differentLead = x.Lead != y.Lead && (IsApart(x.Lead) || IsApart(y.Lead));
        var sameSubject = px.Subject is not null && px.Subject == py.Subject;
        var differentSubject = px.Subject is not null && py.Subject is not null && px.Subject != py.Subject;
        var sharedParticipants = 0;
        foreach (var p in px.Participants)
        {
            if (Array.IndexOf(py.Participants, p) >= 0)
            {
                sharedParticipants++;
            }
        }

        return
        [
            embedding,
            Dot(px.Vector, py.Vector),
            sameVenue ? 1 : 0,
            reference ? 1 : 0,
            conflict ? 1 : 0,
            Overlaps(x.Figures, y.Figures) ? 1 : 0,
            differentLead ? 1 : 0,
            sameSubject ? 1 : 0,
            differentSubject ? 1 : 0,
            sharedParticipants,
            hours,
        ];
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

    /// <summary>How much two items look like one event, from −2 (never) up; 0 when too far apart in time.</summary>
    internal double Similarity(Prepared px, Prepared py, double hours)
    {
        var f = PairFeatures(px, py, hours);
        if (f[4] > 0)
        {
            return settings.VenueConflict;
        }

        var s = double.IsNaN(f[0])
            ? settings.TermOnlyWeight * f[1]
            : (settings.EmbeddingWeight * f[0]) + (settings.TermWeight * f[1]);
        s += (settings.SameVenue * f[2]) + (settings.VenueReference * f[3]) + (settings.SameFigure * f[5])
            - (settings.DifferentDevelopment * f[6]) + (settings.SameSubject * f[7]) - (settings.DifferentSubject * f[8]);
        if (hours > settings.FullHours)
        {
            s *= Math.Max(0, 1 - ((hours - settings.FullHours) / settings.FadeHours));
        }

        return s;
    }

    /// <summary>Developments that make their own story even when they mention the talks.</summary>
    private static bool IsApart(Development d) => d is Development.Strike or Development.Markets or Development.Personnel or Development.Leak;

    private static bool VenuesAgree(EventFeatures x, EventFeatures y) =>
        x.Venues.Length == 0 || y.Venues.Length == 0 || Overlaps(x.Venues, y.Venues);

    private static double Dot(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        if (a.Count > b.Count)
        {
            (a, b) = (b, a);
        }

        double dot = 0;
        foreach (var (term, value) in a)
        {
            if (b.TryGetValue(term, out var other))
            {
                dot += value * other;
            }
        }

        return dot;
    }

    private static double Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var shared = a.Count < b.Count ? a.Count(b.Contains) : b.Count(a.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }
}
