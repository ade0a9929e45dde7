using Digest.Core.Commands;
using Digest.Discord.Commands;
using Digest.Discord.Messages;

namespace Digest.Discord.Tests.Messages;

public sealed class DiscordReplyRendererTests
{
    [Fact]
    public void Render_EntriesWithMarkdownAndMentions_EscapedEmbedsWithMetaAsFooter()
    {
        var reply = new CommandReply("Results for “*peace*”", [new ReplyEntry("@everyone talks_in [Geneva]", "https://example.org/a", "Harbor Wire · 2026-11-26", ["Peskov: **no**"])]);

        var rendered = DiscordReplyRenderer.Render(reply);

        rendered.Text.ShouldBe(@"Results for “\*peace\*”");
        rendered.Ephemeral.ShouldBeFalse();
        var embed = rendered.Embeds.ShouldNotBeNull().ShouldHaveSingleItem();
        embed.Title.ShouldBe(@"\@everyone talks\_in \[Geneva\]");
        embed.Url.ShouldBe("https://example.org/a");
        embed.Description.ShouldBe(@"• Peskov: \*\*no\*\*");
        embed.Footer.ShouldNotBeNull().Text.ShouldBe("Harbor Wire · 2026-11-26");
    }

    [Fact]
    public void Render_Refusal_IsEphemeral()
    {
        DiscordReplyRenderer.Render(CommandReply.Refuse("There is no story #9.")).Ephemeral.ShouldBeTrue();
    }

    [Fact]
    public void Render_LongOpmlExport_CodeBlocksInEmbedsThatFitAndCannotBeClosedEarly()
    {
        var lines = Enumerable.Range(1, 300).Select(i => $"<outline text=\"Feed {i} ```\" xmlUrl=\"https://example.org/{i}.xml\"/>");
        var reply = new CommandReply("300 feeds, as OPML:", [], File: new ReplyFile("feeds.opml", "text/x-opml", string.Join('\n', lines)));

        var embeds = DiscordReplyRenderer.Render(reply).Embeds.ShouldNotBeNull();

        embeds.Count.ShouldBeGreaterThan(1);
        embeds[0].Title.ShouldBe($"feeds.opml (1/{embeds.Count})");
        embeds.ShouldAllBe(e => e.Description!.Length <= MessageLimits.Description && e.Description.StartsWith("```xml\n") && e.Description.EndsWith("\n```"));
        embeds.ShouldAllBe(e => e.Description!.Split("```", StringSplitOptions.None).Length == 3);
        var packed = MessageLimits.Pack("300 feeds, as OPML:", embeds);
        packed.Sum(m => m.Embeds?.Count ?? 0).ShouldBe(embeds.Count);
    }
}
