using Digest.Core.Commands;
using Digest.Telegram.Tests.TestSupport;

namespace Digest.Telegram.Tests;

public sealed class TelegramRendererTests
{
    private readonly TelegramCallbacks callbacks = new();

    [Fact]
    public void Render_FeedText_IsEscapedAndShownAsWritten()
    {
        var entry = new ReplyEntry("<script>alert(1)</script> Talks & \"guarantees\"", "https://example.org/a?x=1&y=\"2\"", "Harbor <Wire>", ["Peskov: <b>no</b> & never"]);

        var message = TelegramRenderer.Render(new CommandReply("Results for <b>", [entry]), callbacks).ShouldHaveSingleItem();

        message.Html.ShouldNotContain("<script>");
        message.Html.ShouldContain("<a href=\"https://example.org/a?x=1&amp;y=%222%22\">&lt;script&gt;alert(1)&lt;/script&gt; Talks &amp; &quot;guarantees&quot;</a>");
        TelegramSpec.VisibleText(message.Html, out var visible).ShouldBeNull();
        visible.ShouldBe("Results for <b>\n\n<script>alert(1)</script> Talks & \"guarantees\"\nHarbor <Wire>\n• Peskov: <b>no</b> & never");
    }

    [Fact]
    public void Render_LongDigest_SplitsAtStoryBoundariesWithinTheLimit()
    {
        // Emoji are two UTF-16 code units each, and & counts once though it is sent as &amp;.
        var entries = Enumerable.Range(1, 30)
            .Select(i => new ReplyEntry($"Story {i} 🇺🇦 & talks", $"https://example.org/{i}", $"Outlet {i}", [new string('x', 300) + " 🕊️", "Second line & more " + new string('y', 200)]))
            .ToList();

        var messages = TelegramRenderer.Render(new CommandReply("Digest", entries), callbacks);

        messages.Count.ShouldBeGreaterThan(1);
        var shown = new List<string>();
        foreach (var message in messages)
        {
            TelegramSpec.VisibleText(message.Html, out var visible).ShouldBeNull();
            visible.Length.ShouldBeLessThanOrEqualTo(4096);
            shown.Add(visible);
        }

        // Every story whole, in one message, in order.
        var order = entries.Select(e => shown.FindIndex(s => s.Contains(e.Title + "\n" + e.Meta + "\n• " + e.Lines[0] + "\n• " + e.Lines[1], StringComparison.Ordinal))).ToList();
        order.ShouldAllBe(i => i >= 0);
        order.ShouldBeInOrder();
    }

    [Fact]
    public void Render_OversizedEntry_IsCutToTheLimit()
    {
        var entry = new ReplyEntry("Huge", null, null, [new string('z', 5000)]);

        var message = TelegramRenderer.Render(new CommandReply("", [entry]), callbacks).ShouldHaveSingleItem();

        TelegramSpec.VisibleText(message.Html, out var visible).ShouldBeNull();
        visible.Length.ShouldBe(4096);
        visible.ShouldEndWith("…");
    }

    [Fact]
    public void Render_Pager_PutsButtonsOnTheLastMessageWithinSixtyFourBytes()
    {
        var query = "переговоры о гарантиях безопасности для Украины в Женеве и Абу-Даби";
        var reply = new CommandReply("Results", [new ReplyEntry("One", null, null, [])], new ReplyPager("search", query, 1, HasNext: true));

        var message = TelegramRenderer.Render(reply, callbacks).ShouldHaveSingleItem();

        var buttons = message.Buttons.ShouldNotBeNull().InlineKeyboard.Single().ToList();
        buttons.Select(b => b.Text).ShouldBe(["« Previous", "Next »"]);
        foreach (var button in buttons)
        {
            System.Text.Encoding.UTF8.GetByteCount(button.CallbackData!).ShouldBeLessThanOrEqualTo(64);
        }

        callbacks.Decode(buttons[1].CallbackData).ShouldBe(new PageRequest("search", query, 2));
        callbacks.Decode(buttons[0].CallbackData).ShouldBe(new PageRequest("search", query, 0));
    }

    [Theory]
    [InlineData("p|latest|x|5")]
    [InlineData("k|search|1|999999")]
    [InlineData("something else")]
    [InlineData(null)]
    public void Decode_UnknownOrExpiredData_IsNull(string? data) => callbacks.Decode(data).ShouldBeNull();

    [Fact]
    public void Render_File_IsSentAfterTheText()
    {
        var messages = TelegramRenderer.Render(new CommandReply("2 feeds, as OPML:", [], File: new ReplyFile("feeds.opml", "text/x-opml", "<opml/>")), callbacks);

        messages.Count.ShouldBe(2);
        messages[1].File.ShouldNotBeNull().FileName.ShouldBe("feeds.opml");
    }
}
