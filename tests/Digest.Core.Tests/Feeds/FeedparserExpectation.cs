using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Digest.Core.Feeds;
using Digest.Core.Items;

namespace Digest.Core.Tests.Feeds;

/// <summary>How one Universal Feed Parser test came out for Digest.</summary>
internal enum Verdict
{
    Pass,
    Fail,

    /// <summary>The test checks nothing Digest keeps (bozo, authors, tags, enclosures, sanitizer details…).</summary>
    Skip,
}

/// <summary>
/// Evaluates the part of a feedparser test's <c>Expect:</c> Python expression that applies to what Digest keeps: the
/// feed's title and link, each entry's title, link, id, dates and text, the encoding and the format. The expression is
/// split into its top-level <c>and</c> terms; a term about anything else (bozo, authors, tags, <c>_detail</c> fields
/// other than the value, enclosures…) is left out, and a test with no term left is skipped. Titles and text are
/// compared as Digest shows them — plain text, so feedparser's sanitized HTML and our markup compare by what a reader sees.
/// </summary>
internal static partial class FeedparserExpectation
{
    public static (Verdict Verdict, string? Detail) Evaluate(string expression, ParsedFeed feed)
    {
        var checkedAny = false;
        foreach (var term in Terms(expression))
        {
            var match = Comparison().Match(term);
            if (!match.Success)
            {
                continue;
            }

            var actual = Actual(match.Groups["path"].Value, feed, out var compare);
            if (compare is null)
            {
                continue;
            }

            if (!TryLiteral(match.Groups["value"].Value.Trim(), out var expected))
            {
                continue;
            }

            checkedAny = true;
            var equal = compare(actual, expected);
            if (equal != (match.Groups["op"].Value == "=="))
            {
                return (Verdict.Fail, $"{match.Groups["path"].Value}: expected {Show(expected)}, got {Show(actual)}");
            }
        }

        return checkedAny ? (Verdict.Pass, null) : (Verdict.Skip, null);
    }

    private static string Show(object? value) => value switch
    {
        null => "None",
        int[] tuple => "(" + string.Join(", ", tuple) + ")",
        _ => "'" + value + "'",
    };

    /// <summary>What Digest holds for a feedparser path, and how to compare it; a null comparer when Digest keeps nothing like it.</summary>
    private static object? Actual(string path, ParsedFeed feed, out Func<object?, object?, bool>? compare)
    {
        compare = null;
        var segments = PathSegment().Matches(path).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToList();
        if (path.StartsWith("feed.", StringComparison.Ordinal))
        {
            segments = ["feed", path[5..]];
        }
        else if (path is "encoding" or "version")
        {
            segments = [path];
        }

        switch (segments)
        {
            case ["encoding"]:
                compare = (a, e) => string.Equals(SameEncoding(a as string), SameEncoding(e as string), StringComparison.OrdinalIgnoreCase);
                return feed.Encoding;
            case ["version"]:
                compare = (a, e) => e is string v && FormatOf(v) is { } format && string.Equals(a as string, format, StringComparison.Ordinal);
                return feed.Format;
            case ["feed", "title"] or ["feed", "title_detail", "value"]:
                compare = PlainTextEqual;
                return feed.Title;
            case ["feed", "link"]:
                compare = LinkEqual;
                return feed.Link;
        }

        if (segments.Count < 3 || segments[0] != "entries" || !int.TryParse(segments[1], CultureInfo.InvariantCulture, out var index))
        {
            return null;
        }

        var entry = index < feed.Items.Count ? feed.Items[index] : null;
        switch (segments.Skip(2).ToList())
        {
            case ["title"] or ["title_detail", "value"]:
                compare = PlainTextEqual;
                return entry?.Title;
            case ["link"]:
                compare = LinkEqual;
                return entry?.Link;
            case ["id"] or ["guid"]:
                compare = (a, e) => string.Equals((a as string)?.Trim(), e as string, StringComparison.Ordinal);
                return entry?.Id;
            case ["published_parsed"] or ["issued_parsed"] or ["created_parsed"]:
                compare = DateEqual;
                return entry?.Published;
            case ["updated_parsed"] or ["modified_parsed"] or ["date_parsed"]:
                compare = DateEqual;
                return entry?.Updated ?? entry?.Published;
            case ["description"] or ["summary"] or ["summary_detail", "value"]:
                compare = PlainTextEqual;
                return entry?.Summary ?? entry?.Content;
            case ["content", "0", "value"]:
                compare = PlainTextEqual;
                return entry?.Content ?? entry?.Summary;
            default:
                return null;
        }
    }

    /// <summary>GB2312 is read as its superset in both (feedparser names it gb18030, .NET's label is code page 936, GBK).</summary>
    private static string? SameEncoding(string? label) => label?.ToLowerInvariant() is "gb2312" or "gb18030" or "gbk" ? "gb" : label;

    private static string? FormatOf(string version) => version switch
    {
        "rss090" => "RSS 0.90",
        "rss091u" or "rss091n" or "rss091" => "RSS 0.91",
        "rss092" => "RSS 0.92",
        "rss093" => "RSS 0.93",
        "rss094" => "RSS 0.94",
        "rss20" => "RSS 2.0",
        "rss10" => "RSS 1.0",
        "atom03" => "Atom 0.3",
        "atom10" => "Atom 1.0",
        "atom" => "Atom",
        "rss" => "RSS",
        _ => null,
    };

    /// <summary>
    /// As a reader sees it: our text as plain text against feedparser's value as plain text — or as it stands, since
    /// feedparser keeps a text/plain construct unescaped ("History of the &lt;blink&gt; tag" is text there, not a tag).
    /// </summary>
    private static bool PlainTextEqual(object? actual, object? expected) =>
        string.Equals(Plain(actual as string), Plain(expected as string), StringComparison.Ordinal)
        || string.Equals(Plain(actual as string), HtmlText.Fold(expected as string ?? ""), StringComparison.Ordinal);

    private static string Plain(string? html) => HtmlText.ToPlainText(html);

    private static bool LinkEqual(object? actual, object? expected)
    {
        if (actual is not string a || expected is not string e)
        {
            return actual is null && (expected is null or "");
        }

        return a == e || (Uri.TryCreate(a, UriKind.Absolute, out var ua) && Uri.TryCreate(e, UriKind.Absolute, out var ue) && ua == ue);
    }

    /// <summary>A Python time tuple against a date: year to second, in UTC.</summary>
    private static bool DateEqual(object? actual, object? expected)
    {
        if (actual is not DateTimeOffset date || expected is not int[] tuple || tuple.Length < 6)
        {
            return actual is null && expected is null;
        }

        var utc = date.UtcDateTime;
        return utc.Year == tuple[0] && utc.Month == tuple[1] && utc.Day == tuple[2] && utc.Hour == tuple[3] && utc.Minute == tuple[4] && utc.Second == tuple[5];
    }

    /// <summary>The expression's top-level <c>and</c> terms (not inside quotes or brackets).</summary>
    private static List<string> Terms(string expression)
    {
        var terms = new List<string>();
        var depth = 0;
        char? quote = null;
        var start = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
                case ' ' when depth == 0 && string.CompareOrdinal(expression, i, " and ", 0, 5) == 0:
                    terms.Add(expression[start..i].Trim());
                    start = i + 5;
                    i += 4;
                    break;
            }
        }

        terms.Add(expression[start..].Trim());
        return terms;
    }

    /// <summary>A Python literal: a string (with its escapes), None, or a tuple of integers.</summary>
    private static bool TryLiteral(string text, out object? value)
    {
        value = null;
        if (text == "None")
        {
            return true;
        }

        if (text.StartsWith('(') && text.EndsWith(')'))
        {
            var parts = text[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var numbers = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i], CultureInfo.InvariantCulture, out numbers[i]))
                {
                    return false;
                }
            }

            value = numbers;
            return true;
        }

        if (text.StartsWith('u') || text.StartsWith('b'))
        {
            text = text[1..];
        }

        string body;
        if (text.Length >= 6 && (text.StartsWith("\"\"\"", StringComparison.Ordinal) || text.StartsWith("'''", StringComparison.Ordinal)) && text.EndsWith(text[..3], StringComparison.Ordinal))
        {
            body = text[3..^3];
        }
        else if (text.Length >= 2 && text[0] is '\'' or '"' && text[^1] == text[0])
        {
            body = text[1..^1];
        }
        else
        {
            return false;
        }

        var builder = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\' || i == body.Length - 1)
            {
                builder.Append(body[i]);
                continue;
            }

            var next = body[++i];
            switch (next)
            {
                case 'n':
                    builder.Append('\n');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 'x' when i + 2 < body.Length:
                    builder.Append((char)int.Parse(body.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u' when i + 4 < body.Length:
                    builder.Append((char)int.Parse(body.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'U' when i + 8 < body.Length:
                    builder.Append(char.ConvertFromUtf32(int.Parse(body.AsSpan(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i += 8;
                    break;
                default:
                    builder.Append(next);
                    break;
            }
        }

        value = builder.ToString();
        return true;
    }

    [GeneratedRegex(@"^(?<path>(?:feed|entries)(?:\[(?:'[A-Za-z_]+'|[0-9]+)\])+|feed\.[a-z_]+|encoding|version)\s*(?<op>==|!=)\s*(?<value>.+)$", RegexOptions.Singleline)]
    private static partial Regex Comparison();

    [GeneratedRegex(@"(?:^|\[)(?:'([A-Za-z_]+)'|([A-Za-z_]+|[0-9]+))")]
    private static partial Regex PathSegment();
}
