using Digest.Core.Storage;

namespace Digest.Core.Digests;

/// <summary>What is new in a story a channel was shown before: the outlets and key lines it had not shown.</summary>
internal sealed record StoryUpdate(IReadOnlyList<StorySource> NewSources, IReadOnlyList<KeyLine> NewLines)
{
    /// <summary>"new source: Harbor Times; new: “deal reached in Vienna”" — what changed, in one line.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (NewSources.Count > 0)
        {
            parts.Add((NewSources.Count == 1 ? "new source: " : "new sources: ") + string.Join(", ", NewSources.Select(s => s.Name)));
        }

        parts.AddRange(NewLines.Select(l => $"new: “{l.Text}”" + (l.Credit() is { } speaker ? $" — {speaker}" : "")));
        return parts.Count == 0 ? "more reports" : string.Join("; ", parts);
    }

    /// <summary>What <paramref name="story"/> has that <paramref name="sent"/> did not show; null when it shows nothing new.</summary>
    public static StoryUpdate? Between(SentStory? sent, IReadOnlyList<StorySource> sources, IReadOnlyList<KeyLine> lines) => sent is null
        ? null
        : new StoryUpdate(
            sources.Where(s => !sent.Sources.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToList(),
            lines.Where(l => !sent.Lines.Contains(l.Text, StringComparer.Ordinal)).ToList());
}

/// <summary>One story as a digest shows it; <see cref="Update"/> when the channel was shown it before and it has news.</summary>
internal sealed record DigestStory(
    long Id,
    string Title,
    string Url,
    IReadOnlyList<StorySource> Sources,
    IReadOnlyList<KeyLine> KeyLines,
    double Score,
    IReadOnlyList<string> Tags,
    DateTimeOffset Published,
    DateTimeOffset LastSeen)
{
    public StoryUpdate? Update { get; init; }

    public static DigestStory From(StoryRecord s) => new(s.Id, s.Title, s.Url, s.Sources, s.KeyLines, s.Score, s.Tags, s.Published, s.LastSeen);
}

/// <summary>A digest: the ranked stories of a window. Platform-neutral; each channel renders it its own way.</summary>
internal sealed record DigestModel(DateTimeOffset GeneratedAt, IReadOnlyList<DigestStory> Stories, DateTimeOffset? Since)
{
    public bool IsEmpty => Stories.Count == 0;
}

/// <summary>A channel's next digest, and every story it covers: those it shows and those it passes over (they come back only with a fresh item).</summary>
internal sealed record ChannelDigest(DigestModel Digest, IReadOnlyList<DigestEntry> Covered);
