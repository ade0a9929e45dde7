using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Digest.Core.Items;

/// <summary>HTML to plain text: tags dropped (block elements become spaces), entities decoded, whitespace folded.</summary>
public static class HtmlText
{
    private static readonly HtmlParser Parser = new(new HtmlParserOptions { IsScripting = false });

    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "noscript", "template", "iframe", "svg", "head" };

    public static string ToPlainText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        if (html.AsSpan().IndexOfAny('<', '&') < 0)
        {
            return Fold(html);
        }

        var document = Parser.ParseDocument(html);
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
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\u00A0' || char.IsControl(c))
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
}
