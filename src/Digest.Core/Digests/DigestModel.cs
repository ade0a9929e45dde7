using Digest.Core.Storage;
using Digest.Core.Summarization;

namespace Digest.Core.Digests;

/// <summary>One story as a digest shows it.</summary>
public sealed record DigestStory(
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
    public static DigestStory From(StoryRecord s) => new(s.Id, s.Title, s.Url, s.Sources, s.KeyLines, s.Score, s.Tags, s.Published, s.LastSeen);
}

/// <summary>A digest: the ranked stories of a window. Platform-neutral; each channel renders it its own way.</summary>
public sealed record DigestModel(DateTimeOffset GeneratedAt, IReadOnlyList<DigestStory> Stories, DateTimeOffset? Since)
{
    public bool IsEmpty => Stories.Count == 0;
}
