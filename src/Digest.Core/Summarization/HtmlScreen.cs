using System.Globalization;
using AngleSharp.Html;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using AngleSharp.Text;

namespace Digest.Core.Summarization;

/// <summary>
/// A cheap look at a web page before a DOM is built from it: one pass of AngleSharp's tokenizer (linear, no tree),
/// counting elements and how deep they nest. Elements that never nest (void ones) or close themselves implicitly
/// (p, li, td…) are not counted as depth, so an ordinary page with unclosed paragraphs passes.
/// </summary>
internal static class HtmlScreen
{
    private static readonly HashSet<string> Flat = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param",
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "thead", "tbody", "tfoot", "colgroup",
    };

    /// <returns>Why the page is refused, naming the limit; null when it is within both.</returns>
    public static string? Check(string html, int maxDepth, int maxElements, CancellationToken cancellationToken)
    {
        using var source = new TextSource(html);
        var tokenizer = new HtmlTokenizer(source, HtmlEntityProvider.Resolver);
        var depth = 0;
        var elements = 0;
        for (var token = tokenizer.Get(); token.Type != HtmlTokenType.EndOfFile; token = tokenizer.Get())
        {
            if (token.Type == HtmlTokenType.StartTag)
            {
                if (++elements > maxElements)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"page has more than {maxElements:N0} elements");
                }

                if ((elements & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (!token.AsTag().IsSelfClosing && !Flat.Contains(token.Name) && ++depth > maxDepth)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"page nests elements deeper than {maxDepth}");
                }
            }
            else if (token.Type == HtmlTokenType.EndTag && !Flat.Contains(token.Name) && depth > 0)
            {
                depth--;
            }
        }

        return null;
    }
}
