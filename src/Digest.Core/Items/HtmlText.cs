using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Digest.Core.Items;

/// <summary>HTML to plain text: tags dropped (block elements become spaces), entities decoded, whitespace folded.</summary>
public static class HtmlText
{
    // A parser carries a browsing context, which AngleSharp's author likens to one browser tab: one per thread.
    [ThreadStatic]
    private static HtmlParser? parser;

    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "noscript", "template", "iframe", "svg", "head" };

    /// <param name="enough">
    /// How much text the caller keeps. A long document is first converted from a prefix of about four times that, since
    /// text is rarely under a quarter of its markup; only when that falls short is the whole of it parsed.
    /// </param>
    public static string ToPlainText(string? html, int enough = int.MaxValue)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        // Most titles and many summaries are plain text: no parser for them, and no HTML parser for entities alone.
        if (!html.Contains('<', StringComparison.Ordinal))
        {
            return Fold(html.Contains('&', StringComparison.Ordinal) ? System.Net.WebUtility.HtmlDecode(html) : html);
        }

        var prefix = 4L * enough;
        if (html.Length > prefix)
        {
            var cut = html.LastIndexOf('>', (int)prefix) + 1;
            var text = MarkupToText(html[..(cut > 0 ? cut : (int)prefix)]);
            if (text.Length >= enough)
            {
                return text;
            }
        }

        return MarkupToText(html);
    }

    private static string MarkupToText(string html)
    {
        parser ??= new HtmlParser(new HtmlParserOptions { IsScripting = false });
        var document = parser.ParseDocument(html);
        var builder = new StringBuilder(html.Length);
        Append(document.Body ?? (INode)document, builder);
        return Fold(builder.ToString());
    }

    private static void Append(INode node, StringBuilder builder)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    builder.Append(text.Data);
                    break;
                case IElement element when !Skipped.Contains(element.LocalName):
                    var block = element.LocalName is not ("a" or "b" or "i" or "em" or "strong" or "span" or "small" or "sup" or "sub" or "abbr" or "cite" or "q" or "code" or "u" or "mark" or "time");
                    if (block)
                    {
                        builder.Append(' ');
                    }

                    Append(element, builder);
                    if (block)
                    {
                        builder.Append(' ');
                    }

                    break;
            }
        }
    }

    /// <summary>Collapses runs of whitespace (including no-break spaces) into single spaces and trims.</summary>
    public static string Fold(string text)
    {
        if (IsFolded(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (IsSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool IsFolded(string text)
    {
        if (text.Length > 0 && IsSpace(text[0]))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (IsSpace(text[i]) && (text[i] != ' ' || i == text.Length - 1 || text[i + 1] == ' '))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSpace(char c) => char.IsWhiteSpace(c) || char.IsControl(c);
}
