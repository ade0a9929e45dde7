using Digest.Core.Commands;
using Digest.Discord.Commands;

namespace Digest.Discord.Tests.Commands;

public sealed class DiscordPagerTests
{
    [Fact]
    public void Buttons_MiddlePage_PreviousAndNextThatDecodeBack()
    {
        var pager = new DiscordPager();

        var buttons = pager.Buttons(new ReplyPager("search", "security guarantees", 1, HasNext: true));

        buttons.Select(b => b.Label).ShouldBe(["« Previous", "Next »"]);
        buttons.Select(b => b.CustomId).ShouldBe(["pg|search|0|security guarantees", "pg|search|2|security guarantees"]);
        pager.Decode(buttons[1].CustomId).ShouldBe(new PageRequest("search", "security guarantees", 2));
    }

    [Fact]
    public void Encode_LongSearch_ShortKeyWithinDiscordLimit()
    {
        var pager = new DiscordPager();
        var query = string.Join(' ', Enumerable.Repeat("negotiations", 15));

        var id = pager.Encode(new ReplyPager("search", query, 0, HasNext: true), 1);

        id.Length.ShouldBeLessThanOrEqualTo(100);
        id.ShouldStartWith("pk|search|1|");
        pager.Decode(id).ShouldBe(new PageRequest("search", query, 1));
        new DiscordPager().Decode(id).ShouldBeNull("another process never wrote that key");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("pg|latest|x|2")]
    [InlineData("other|latest|1|2")]
    public void Decode_ForeignIds_Null(string? customId) => new DiscordPager().Decode(customId).ShouldBeNull();
}
