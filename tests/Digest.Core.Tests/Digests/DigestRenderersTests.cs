using Digest.Core.Commands;
using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Core.Tests.Digests;

public sealed class DigestRenderersTests
{
    private static readonly DateTimeOffset Noon = new(2025, 12, 8, 12, 0, 0, TimeSpan.Zero);

    private static readonly DigestStory Story = new(
        7,
        "Norland and Estmark sign harbour treaty",
        "https://veldt.example/treaty",
        [new StorySource("Veldt Daily", "https://veldt.example/treaty")],
        [
            new KeyLine("Harbour minister Ada Lind said the ports would reopen within a month.", "Ada Lind"),
            new KeyLine("\"We waited a year for this,\" the minister said.", "Ada Lind"),
        ],
        0.9,
        [],
        Noon,
        Noon);

    [Fact]
    public void Render_ALineThatNamesItsSpeaker_ShowsTheSpeakerOnce()
    {
        var digest = new DigestModel(Noon, [Story], null);

        var text = TextDigestRenderer.Render(digest);
        var markdown = MarkdownDigestRenderer.Render(digest);
        var reply = Replies.Story(Story);

        text.ShouldNotContain("within a month. — Ada Lind");
        text.ShouldContain("   • \"We waited a year for this,\" the minister said. — Ada Lind");
        markdown.ShouldNotContain("within a month. — *Ada Lind*");
        markdown.ShouldContain("the minister said. — *Ada Lind*");
        reply.Lines.ShouldBe([
            "Harbour minister Ada Lind said the ports would reopen within a month.",
            "\"We waited a year for this,\" the minister said. — Ada Lind",
        ]);
    }
}
