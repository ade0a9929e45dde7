using Digest.Core.Items;

namespace Digest.Core.Tests.Items;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("<p>Talks <b>resume</b> in Geneva.</p><p>Next round: Friday.</p>", "Talks resume in Geneva. Next round: Friday.")]
    [InlineData("Line one<br>line two", "Line one line two")]
    [InlineData("<div>Text<script>alert('x')</script><style>p{}</style></div>", "Text")]
    [InlineData("<ul><li>one</li><li>two</li></ul>", "one two")]
    [InlineData("a <em>very</em> long<span>word</span>", "a very longword")]
    [InlineData("5 < 6 and 7 > 3", "5 < 6 and 7 > 3")]
    public void ToPlainText_Html_BecomesReadableText(string html, string expected) => HtmlText.ToPlainText(html).ShouldBe(expected);

    [Theory]
    [InlineData("Tom &amp; Jerry", "Tom & Jerry")]
    [InlineData("Caf&eacute; &#8220;Nord&#8221;", "Café “Nord”")]
    [InlineData("<p>Caf&eacute;&nbsp;Nord</p>", "Café Nord")]
    [InlineData("&lt;b&gt;not bold&lt;/b&gt;", "<b>not bold</b>")]
    public void ToPlainText_Entities_Decoded(string html, string expected) => HtmlText.ToPlainText(html).ShouldBe(expected);

    [Theory]
    [InlineData("  spaced \t\n out  ", "spaced out")]
    [InlineData("no\u00A0break", "no break")]
    [InlineData("already clean", "already clean")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void ToPlainText_Whitespace_Folded(string? text, string expected) => HtmlText.ToPlainText(text).ShouldBe(expected);

    /// <summary>A feed that published UTF-8 read as windows-1252 shows its text as it was written.</summary>
    [Theory]
    [InlineData("The plan isnâ€™t new â€” envoys said", "The plan isn’t new — envoys said")]
    [InlineData("<p>â€œWe are close,â€ he said</p>", "“We are close,” he said")]
    [InlineData("Zelenskyy in MÃ¼nchen, â‚¬90bn loan", "Zelenskyy in München, €90bn loan")]
    [InlineData("â€œNot final,â€ says Trump", "“Not final,” says Trump")]
    [InlineData("the envoys,\u00C2\u00A0Kellner\u00C2\u00A0met them", "the envoys, Kellner met them")]
    [InlineData("d\u00C3\u00A0 Roma, \u00C3\u00A0 Paris", "dà Roma, à Paris")]
    [InlineData("isn\u00E2\u0080\u0099t, read as Latin-1", "isn’t, read as Latin-1")]
    [InlineData("\u00D0\u009D\u00D0\u00BE\u00D0\u00B2\u00D0\u00BE\u00D1\u0081\u00D1\u0082\u00D0\u00B8: \u00D0\u009C\u00D0\u00BE\u00D1\u0081\u00D0\u00BA\u00D0\u00B2\u00D0\u00B0", "Новости: Москва")]
    public void ToPlainText_DoubleEncoded_ReadBack(string text, string expected) => HtmlText.ToPlainText(text).ShouldBe(expected);

    /// <summary>Text in languages whose letters merely look like double encoding stays as it is.</summary>
    [Theory]
    [InlineData("Die Straße« und »GRÜß“")]
    [InlineData("Café, naïve, Ελλάδα, Москва")]
    [InlineData("Ã as a lone letter, Â alone")]
    public void ToPlainText_TextThatOnlyLooksDoubleEncoded_Unchanged(string text) => HtmlText.ToPlainText(text).ShouldBe(text);

    [Fact]
    public void ToPlainText_LongArticle_EnoughTextFromItsStart()
    {
        var article = string.Concat(Enumerable.Range(1, 2000).Select(i => $"<p>Paragraph {i} of the report.</p>"));

        var text = HtmlText.ToPlainText(article, enough: 200);

        text.ShouldStartWith("Paragraph 1 of the report. Paragraph 2");
        text.Length.ShouldBeGreaterThanOrEqualTo(200);
    }

    [Fact]
    public void ToPlainText_MarkupHeavyStart_StillFindsTheText()
    {
        var html = string.Concat(Enumerable.Repeat("<span class=\"decoration decoration-wide\"></span>", 100)) + "<p>The actual words.</p>";

        HtmlText.ToPlainText(html, enough: 100).ShouldBe("The actual words.");
    }
}
