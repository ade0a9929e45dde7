namespace Digest.Core.Stories;

/// <summary>
/// One story after reconciliation. <see cref="StoryId"/> is the existing story it continues, or null for a story to
/// create; <see cref="Joined"/> are the members that were in no story or in another one before; stories listed in
/// <see cref="Absorbed"/> turned out to be the same event and are merged into this one (their ids should lead here).
/// </summary>
internal sealed record ReconciledStory(long? StoryId, IReadOnlyList<long> ItemIds, IReadOnlyList<long> Joined, IReadOnlyList<long> Absorbed, IReadOnlyDictionary<long, long> DuplicateOf)
{
    /// <summary>Nothing to write: an existing story that kept exactly its members.</summary>
    public bool IsUnchanged => StoryId is not null && Joined.Count == 0 && Absorbed.Count == 0;

    /// <summary>
    /// The committed items that move here one by one from another story (a split, or a member that fits here better);
    /// those of a story in <see cref="Absorbed"/> move with their whole story.
    /// </summary>
    /// <param name="current">The story each item of the window was in before.</param>
    public IEnumerable<long> MovedIn(IReadOnlyDictionary<long, long> current) =>
        Joined.Where(id => current.TryGetValue(id, out var from) && !Absorbed.Contains(from));
}

/// <summary>What a new partition changes: stories to create or extend, and existing stories that only lost items.</summary>
internal sealed record Reconciliation(IReadOnlyList<ReconciledStory> Stories, IReadOnlyList<long> Shrunk)
{
    /// <summary>The stories that need writing (created, joined, merged into).</summary>
    public IEnumerable<ReconciledStory> Changed => Stories.Where(s => !s.IsUnchanged);

    /// <summary>Every item that changes story: (item, its story before or null, the story after or null = a new story).</summary>
    public IEnumerable<(long ItemId, long? From, ReconciledStory To)> Moves(IReadOnlyDictionary<long, long> current) =>
        Stories.SelectMany(s => s.Joined.Select(id => (id, current.TryGetValue(id, out var from) ? from : (long?)null, s)));
}

/// <summary>
/// Maps a new partition of the window onto the stories users already know, so ids stay stable: <c>/story 42</c> keeps
/// working while its story grows, and a story absorbed by a merge is recorded as merged into the survivor. A pure
/// function: the same partition and assignment give the same changes.
/// </summary>
internal static class StoryReconciler
{
    /// <param name="partition">The new partition of the window.</param>
    /// <param name="current">The story each item of the window is in now (items not in a story are absent).</param>
    public static Reconciliation Reconcile(StoryPartition partition, IReadOnlyDictionary<long, long> current)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(current);
        var clusters = partition.Clusters;
        var storyOf = new long?[clusters.Count];

        // A cluster grown from a pinned story is that story.
        var taken = new HashSet<long>();
        for (var c = 0; c < clusters.Count; c++)
        {
            if (clusters[c].PinnedStoryId is { } pinned && taken.Add(pinned))
            {
                storyOf[c] = pinned;
            }
        }

        // Otherwise a cluster continues the existing story it shares most items with; each story continues at most once.
        // The largest overlaps are settled first, ties go to the older story, then to the earlier cluster.
        var overlaps = new List<(int Cluster, long Story, int Count)>();
        for (var c = 0; c < clusters.Count; c++)
        {
            foreach (var group in clusters[c].ItemIds.Where(current.ContainsKey).GroupBy(id => current[id]))
            {
                overlaps.Add((c, group.Key, group.Count()));
            }
        }

        foreach (var (cluster, story, _) in overlaps.OrderByDescending(o => o.Count).ThenBy(o => o.Story).ThenBy(o => o.Cluster))
        {
            if (storyOf[cluster] is null && taken.Add(story))
            {
                storyOf[cluster] = story;
            }
        }

        // A story that continues in no cluster was absorbed: it is merged into the story that took most of its items.
        var absorbedInto = new Dictionary<int, List<long>>();
        foreach (var story in current.Values.Distinct().Order().Where(s => !taken.Contains(s)))
        {
            var into = overlaps.Where(o => o.Story == story).OrderByDescending(o => o.Count).ThenBy(o => o.Cluster).First().Cluster;
            if (!absorbedInto.TryGetValue(into, out var list))
            {
                list = [];
                absorbedInto[into] = list;
            }

            list.Add(story);
        }

        var stories = new List<ReconciledStory>(clusters.Count);
        var losers = new SortedSet<long>();
        for (var c = 0; c < clusters.Count; c++)
        {
            var target = storyOf[c];
            var joined = new List<long>();
            foreach (var id in clusters[c].ItemIds)
            {
                var before = current.TryGetValue(id, out var s) ? s : (long?)null;
                if (before is null || before != target)
                {
                    joined.Add(id);
                    if (before is { } from && taken.Contains(from))
                    {
                        losers.Add(from);
                    }
                }
            }

            var duplicates = clusters[c].ItemIds.Where(partition.DuplicateOf.ContainsKey).ToDictionary(id => id, id => partition.DuplicateOf[id]);
            stories.Add(new ReconciledStory(target, clusters[c].ItemIds, joined, absorbedInto.GetValueOrDefault(c) ?? [], duplicates));
        }

        // Stories that continue but gave items away need their title and key lines refreshed too.
        var written = stories.Where(s => !s.IsUnchanged && s.StoryId is not null).Select(s => s.StoryId!.Value).ToHashSet();
        return new Reconciliation(stories, [.. losers.Where(s => !written.Contains(s))]);
    }
}
