using System.Globalization;
using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Core.Commands;

/// <summary>Stories, digests and hits as reply entries, shared by the commands and the publishers.</summary>
public static class Replies
{
    public static ReplyEntry Story(DigestStory story) => new(
        story.Title,
        story.Url,
        Meta(story.Sources, story.Tags, story.Id),
        story.KeyLines.Select(k => k.Speaker is { } speaker ? $"{k.Text} — {speaker}" : k.Text).ToList());

    public static ReplyEntry Story(StoryRecord story) => Story(DigestStory.From(story));

    /// <summary>A digest as a reply: a heading, then one entry per story.</summary>
    public static CommandReply Digest(DigestModel digest)
    {
        var heading = string.Create(CultureInfo.InvariantCulture, $"Digest — {digest.GeneratedAt:yyyy-MM-dd HH:mm} UTC");
        return digest.IsEmpty
            ? CommandReply.Say($"{heading}\n{TextDigestRenderer.Nothing(digest)}")
            : new CommandReply($"{heading} — {TextDigestRenderer.Stories(digest.Stories.Count)}", digest.Stories.Select(Story).ToList());
    }

    /// <summary>An alert: the phrase that matched, then the story.</summary>
    public static CommandReply Alert(DigestStory story, string phrase) => new($"Alert: a new story matches “{phrase}”", [Story(story)]);

    private static string Meta(IReadOnlyList<StorySource> sources, IReadOnlyList<string> tags, long id)
    {
        var meta = string.Join(", ", sources.Select(s => s.Name));
        if (tags.Count > 0)
        {
            meta += " · " + string.Join(", ", tags);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{meta} · #{id}");
    }
}
