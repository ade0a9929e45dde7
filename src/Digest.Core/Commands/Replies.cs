using System.Globalization;
using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Core.Commands;

/// <summary>Stories, digests and hits as reply entries, shared by the commands and the publishers.</summary>
internal static class Replies
{
    /// <summary>A story: title, link, outlets and tags, key lines; an updated one is marked, with what is new first.</summary>
    public static ReplyEntry Story(DigestStory story) => new(
        story.Update is null ? story.Title : $"Updated: {story.Title}",
        story.Url,
        Meta(story.Sources, story.Tags, story.Id),
        [
            .. story.Update is { } update ? [$"What's new: {update.Describe()}"] : Array.Empty<string>(),
            .. story.KeyLines.Select(k => k.Credit() is { } speaker ? $"{k.Text} — {speaker}" : k.Text),
        ]);

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
    public static CommandReply Alert(DigestStory story, string phrase) => story.Update is null
        ? new($"Alert: a new story matches “{phrase}”", [Story(story)])
        : new($"Alert: a story matching “{phrase}” was updated — {story.Update.Describe()}", [Story(story)]);

    /// <summary>"1 outlet", "3 outlets": a count with its noun (one that takes an s).</summary>
    public static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n} {noun}s");

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
