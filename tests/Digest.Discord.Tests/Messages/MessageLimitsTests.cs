using Digest.Discord.Messages;

namespace Digest.Discord.Tests.Messages;

public sealed class MessageLimitsTests
{
    [Fact]
    public void Clip_NeverLeavesDanglingEscapeOrHalfSurrogate()
    {
        DiscordText.Clip(DiscordText.Escape(new string('*', 300)), 256).ShouldEndWith(@"\*…");
        DiscordText.Clip(new string('a', 254) + "😀😀", 256).ShouldBe(new string('a', 254) + "…");
    }

    [Fact]
    public void Fit_OversizedEmbed_CutToEveryLimit()
    {
        var embed = new DiscordEmbed(
            new string('t', 300),
            new string('d', 5000),
            "not a url",
            [.. Enumerable.Range(0, 30).Select(i => new DiscordEmbedField(new string('n', 300), new string('v', 2000)))],
            new DiscordEmbedFooter(new string('f', 3000)));

        var fitted = MessageLimits.Fit(embed);

        fitted.Title!.Length.ShouldBe(256);
        fitted.Description!.Length.ShouldBeLessThanOrEqualTo(4096);
        fitted.Url.ShouldBeNull();
        fitted.Length.ShouldBeLessThanOrEqualTo(6000);
        (fitted.Fields?.Count ?? 0).ShouldBeLessThanOrEqualTo(25);
    }

    [Fact]
    public void Escape_LineStartMarkdownOnly()
    {
        DiscordText.Escape("# Title - with dash\n> quote").ShouldBe("\\# Title - with dash\n\\> quote");
    }
}
