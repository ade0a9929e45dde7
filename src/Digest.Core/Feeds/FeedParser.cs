using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Digest.Core.Items;

namespace Digest.Core.Feeds;

/// <summary>A parsed feed, or the reason it could not be parsed.</summary>
internal sealed record ParsedFeed(string? Title, IReadOnlyList<FeedItem> Items, string? Error)
{
    /// <summary>"RSS 2.0", "RSS 1.0", "RSS 0.91", "Atom 1.0", "Atom 0.3", "JSON Feed 1.1"…</summary>
    public string? Format { get; init; }

    /// <summary>The encoding the document was read in, as labelled ("utf-8", "windows-1252"…).</summary>
    public string? Encoding { get; init; }

    /// <summary>The feed's own link (its web site), absolute when it could be made so.</summary>
    public string? Link { get; init; }

    /// <summary>What a moderator should know: labels that were wrong, links that were relative, entries without dates…</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static ParsedFeed Fail(string error) => new(null, [], error);
}

/// <summary>
/// Reads RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed, leniently where other readers are lenient and within limits
/// where a hostile document could hurt. The bytes become text (<see cref="FeedEncoding"/>); anything before the
/// document proper (whitespace, a BOM, PHP's warnings) and the XML declaration are dropped; a DOCTYPE that declares
/// entities refuses the document and a bare one (RSS 0.91's) is dropped, so no DTD is ever read; HTML named entities
/// become character references; stray control characters go. <see cref="XmlFeedReader"/> then streams the document
/// within <see cref="FeedParseLimits"/>. A document that is not well-formed is read again with its bare <c>&amp;</c>
/// and <c>&lt;</c> escaped, and what it held before the point where it broke is kept. Never throws for a bad document.
/// </summary>
internal static partial class FeedParser
{
    public const int MaxCharacters = 20_000_000;

    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");

    public static ParsedFeed Parse(byte[] body, string? httpCharset = null) => Parse(body, httpCharset, null, null);

    /// <param name="documentUri">Where the document came from: relative links resolve against it when the feed gives no better base.</param>
    public static ParsedFeed Parse(byte[] body, string? httpCharset, Uri? documentUri, FeedParseLimits? limits)
    {
        limits ??= FeedParseLimits.Default;
        if (body.Length > MaxCharacters)
        {
            return ParsedFeed.Fail(string.Create(CultureInfo.InvariantCulture, $"document too large: {body.Length:N0} bytes, the limit is {MaxCharacters:N0}"));
        }

        if (BinaryKind(body) is { } binary)
        {
            return ParsedFeed.Fail($"not a feed: {binary}");
        }

        var (decoded, encodingError) = FeedEncoding.Decode(body, httpCharset);
        if (decoded is null)
        {
            return ParsedFeed.Fail(encodingError!);
        }

        var text = decoded.Text;
        var start = FirstContentIndex(text);
        if (start < 0)
        {
            return ParsedFeed.Fail("empty document");
        }

        var parsed = text[start] switch
        {
            '{' => JsonFeedReader.Read(text),
            '<' => ParseXml(text, start, documentUri, limits),
            _ when text.IndexOf('<', start) is var tag and > 0 && tag < 64 * 1024 => ParseXml(text, tag, documentUri, limits),
            _ => ParsedFeed.Fail("not a feed: neither XML nor JSON"),
        };

        return parsed.Error is not null
            ? parsed
            : parsed with { Encoding = decoded.Encoding, Warnings = [.. decoded.Warnings, .. parsed.Warnings, .. EntryWarnings(parsed.Items)] };
    }

    /// <summary>
    /// What a file that is no text at all is, known by its first bytes: read as XML it would fail on some character in
    /// its first line, which tells a moderator nothing. A gzip body is what a server sends when it compresses a feed
    /// without saying so (no Content-Encoding).
    /// </summary>
    private static string? BinaryKind(ReadOnlySpan<byte> body) => body switch
    {
        [0x1F, 0x8B, ..] => "gzip-compressed data (sent without Content-Encoding: gzip)",
        [0x50, 0x4B, 0x03, 0x04, ..] => "a ZIP archive",
        [0x89, 0x50, 0x4E, 0x47, ..] => "a PNG image",
        [0xFF, 0xD8, 0xFF, ..] => "a JPEG image",
        [0x47, 0x49, 0x46, 0x38, ..] => "a GIF image",
        [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => "a PDF document",
        _ => null,
    };

    private static IEnumerable<string> EntryWarnings(IReadOnlyList<FeedItem> items)
    {
        var undated = items.Count(i => i.Published is null && i.Updated is null);
        if (undated > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{undated} of {items.Count} entries have no date (they are dated when first seen)");
        }

        var duplicates = items.Where(i => !string.IsNullOrWhiteSpace(i.Id)).GroupBy(i => i.Id!.Trim(), StringComparer.Ordinal).Count(g => g.Count() > 1);
        if (duplicates > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{duplicates} ids are shared by several entries (those entries are told apart by their links)");
        }

        var untitled = items.Count(i => string.IsNullOrWhiteSpace(i.Title));
        if (untitled > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{untitled} entries have no title (their text stands in for it)");
        }
    }

    private static int FirstContentIndex(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]) && text[i] != '\uFEFF')
            {
                return i;
            }
        }

        return -1;
    }

    private static ParsedFeed ParseXml(string text, int start, Uri? documentUri, FeedParseLimits limits)
    {
        var warnings = new List<string>(0);
        var root = RootElementIndex(text, start);

        // Junk before the document (a blank line, a PHP warning, a stray BOM) would make the declaration misplaced: the
        // document starts at its declaration, or at its first markup. The declaration itself has been read already.
        var declaration = Declaration(text, start, root);

        if (declaration > root)
        {
            // Markup-like junk (a PHP warning in <b> tags) before the declaration is not the root element.
            root = RootElementIndex(text, declaration);
        }

        var begin = declaration >= 0 ? declaration : start;
        if (text.AsSpan(0, begin).Trim().Trim('\uFEFF').Length > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{begin - start:N0} characters of junk before the XML document ignored"));
        }

        if (declaration >= 0 && text.IndexOf("?>", declaration, StringComparison.Ordinal) is var close and > 0 && close < root)
        {
            begin = close + 2;
        }

        // A DOCTYPE stands before the root element; one later on is inside content (an article's HTML in CDATA).
        var doctype = Doctype().Match(text, begin, root - begin);
        string? cut = null;
        if (doctype.Success)
        {
            Dictionary<string, string>? entities = null;
            if (doctype.Groups["subset"] is { Success: true, Value: var subset } && !TryPlainEntities(subset, out entities))
            {
                return ParsedFeed.Fail(subset.Contains("SYSTEM", StringComparison.Ordinal) || subset.Contains("PUBLIC", StringComparison.Ordinal)
                    ? "refused: the document's DTD declares an external entity (feeds may not make the reader load other resources)"
                    : "refused: the document's DTD declares entities that nest, hold markup or are parameter entities (entity expansion is not allowed)");
            }

            // An external DTD by reference only (RSS 0.91 does this) is dropped, nothing loaded; plain-text entities
            // declared inline (&copyright; standing for a line of text) are written out, within the document's size limit.
            cut = string.Concat(text.AsSpan(begin, doctype.Index - begin), text.AsSpan(doctype.Index + doctype.Length));
            if (entities is { Count: > 0 })
            {
                var expanded = 0L;
                cut = EntityReference().Replace(cut, m =>
                {
                    if (!entities.TryGetValue(m.Groups[1].Value, out var value))
                    {
                        return m.Value;
                    }

                    expanded += value.Length;
                    return expanded > MaxCharacters ? "" : value;
                });
                if (expanded > MaxCharacters)
                {
                    return ParsedFeed.Fail(string.Create(CultureInfo.InvariantCulture, $"refused: the document's entities expand to more than {MaxCharacters:N0} characters"));
                }
            }
        }

        var xml = WithoutControlCharacters(cut ?? (begin == 0 ? text : text[begin..]));
        xml = NamedEntity().Replace(xml, ToCharacterReferences);

        var outcome = XmlFeedReader.Read(xml, documentUri, limits);
        if (outcome.Failure is System.Xml.XmlException && Repair(xml) is var repaired && !ReferenceEquals(repaired, xml))
        {
            var second = XmlFeedReader.Read(repaired, documentUri, limits);
            if (second.Failure is null or FeedLimitException || second.Items.Count > outcome.Items.Count
                || (second.Items.Count == outcome.Items.Count && second.Nodes > outcome.Nodes))
            {
                if (second.Failure is null)
                {
                    warnings.Add("not well-formed XML (a bare & or <); read with those escaped");
                }

                outcome = second;
            }
        }

        switch (outcome.Failure)
        {
            case null:
                break;
            case FeedLimitException or NotAFeedException:
                return ParsedFeed.Fail(outcome.Failure.Message);
            // Entries read before the break are kept; a feed that broke only at its very end (a lost closing tag) is read.
            case System.Xml.XmlException when outcome.Items.Count > 0 || (outcome.OpenElements <= 1 && (outcome.Title ?? outcome.Link) is not null):
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"malformed XML ({outcome.Failure.Message}); kept what came before it ({outcome.Items.Count} entries)"));
                break;
            case System.Xml.XmlException:
                return ParsedFeed.Fail($"malformed XML: {outcome.Failure.Message}");
            default:
                return ParsedFeed.Fail($"unreadable document: {outcome.Failure.Message}");
        }

        if (outcome.RelativeLinks > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{outcome.RelativeLinks} relative links resolved against {(outcome.Link ?? documentUri?.ToString() ?? "the feed's base")}"));
        }

        return new ParsedFeed(outcome.Title, outcome.Items, null) { Format = outcome.Format, Link = outcome.Link, Warnings = warnings };
    }

    /// <summary>
    /// The entities an internal DTD subset declares, when every one is plain text: no external or parameter entities,
    /// no value holding markup or another reference (so nothing nests and nothing expands more than once).
    /// </summary>
    private static bool TryPlainEntities(string subset, out Dictionary<string, string>? entities)
    {
        entities = null;
        var declarations = EntityDeclaration().Matches(subset);
        if (subset.Contains("SYSTEM", StringComparison.Ordinal) || subset.Contains("PUBLIC", StringComparison.Ordinal)
            || subset.Contains('%', StringComparison.Ordinal) || declarations.Count > 64)
        {
            return false;
        }

        entities = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match declaration in declarations)
        {
            var value = declaration.Groups[2].Success ? declaration.Groups[2].Value : declaration.Groups[3].Value;
            if (value.Length > 1024 || value.Contains('&', StringComparison.Ordinal) || value.Contains('<', StringComparison.Ordinal))
            {
                return false;
            }

            entities.TryAdd(declaration.Groups[1].Value, value);
        }

        // Anything else declaring an entity (a form the pattern above doesn't read) is refused.
        return subset.Split("<!ENTITY", StringSplitOptions.None).Length - 1 == declarations.Count;
    }

    /// <summary>
    /// Where the XML declaration starts, or -1: before the root element, or further on (within the first 4 KB) when
    /// what comes before it is junk rather than a feed — a PHP warning printed ahead of the document.
    /// </summary>
    private static int Declaration(string text, int start, int root)
    {
        var limit = Math.Min(text.Length, Math.Max(root, start + 4096));
        var at = text.IndexOf("<?xml", start, limit - start, StringComparison.Ordinal);
        if (at < 0 || at + 5 >= text.Length || !char.IsWhiteSpace(text[at + 5]))
        {
            return -1;
        }

        if (at < root)
        {
            return at;
        }

        var before = text.AsSpan(start, at - start);
        return before.Contains("<rss", StringComparison.OrdinalIgnoreCase) || before.Contains("<feed", StringComparison.OrdinalIgnoreCase)
            || before.Contains(":RDF", StringComparison.Ordinal) || before.Contains("<channel", StringComparison.OrdinalIgnoreCase) ? -1 : at;
    }

    /// <summary>Bare ampersands (not starting a character or XML entity reference) and less-than signs that start no tag, escaped.</summary>
    private static string Repair(string xml)
    {
        var repaired = BareAmpersand().Replace(xml, "&amp;");
        repaired = UpperCaseHexReference().Replace(repaired, "&#x");
        return BareLessThan().Replace(repaired, "&lt;");
    }

    /// <summary>Control characters are not allowed in XML 1.0, yet real feeds carry stray ones; they are dropped, not fatal.</summary>
    private static string WithoutControlCharacters(string text)
    {
        if (!text.AsSpan().ContainsAny(ControlCharacters))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!ControlCharacters.Contains(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Where the first element tag starts (or the end): a '&lt;' followed by a letter, so not a declaration, comment or DOCTYPE.</summary>
    private static int RootElementIndex(string text, int start)
    {
        for (var i = text.IndexOf('<', start); i >= 0 && i < text.Length - 1; i = text.IndexOf('<', i + 1))
        {
            if (char.IsLetter(text[i + 1]) || text[i + 1] == '_')
            {
                return i;
            }
        }

        return text.Length;
    }

    /// <summary>HTML named entities (&amp;nbsp;, &amp;eacute;) are common in feeds but undeclared in XML; they become character references.</summary>
    private static string ToCharacterReferences(Match entity)
    {
        var decoded = System.Net.WebUtility.HtmlDecode(entity.Value);
        if (decoded == entity.Value)
        {
            return entity.Value;
        }

        var builder = new StringBuilder();
        foreach (var rune in decoded.EnumerateRunes())
        {
            builder.Append("&#").Append(rune.Value.ToString(CultureInfo.InvariantCulture)).Append(';');
        }

        return builder.ToString();
    }

    private static readonly string[] DateFormats =
    [
        "d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yy HH:mm:ss zzz", "d MMMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
    ];

    /// <summary>RFC 822 zone names (and a few that feeds use anyway). Ambiguous ones such as IST are left out.</summary>
    private static readonly Dictionary<string, string> ZoneOffsets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GMT"] = "+00:00", ["UT"] = "+00:00", ["UTC"] = "+00:00", ["Z"] = "+00:00", ["WET"] = "+00:00",
        ["EST"] = "-05:00", ["EDT"] = "-04:00", ["CST"] = "-06:00", ["CDT"] = "-05:00",
        ["MST"] = "-07:00", ["MDT"] = "-06:00", ["PST"] = "-08:00", ["PDT"] = "-07:00",
        ["BST"] = "+01:00", ["CET"] = "+01:00", ["CEST"] = "+02:00", ["WEST"] = "+01:00", ["EET"] = "+02:00", ["EEST"] = "+03:00",
        ["MSK"] = "+03:00", ["JST"] = "+09:00", ["KST"] = "+09:00", ["AEST"] = "+10:00", ["AEDT"] = "+11:00",
    };

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Dates with fallbacks: RFC 822 (named and numeric zones, with or without the day name, which is often wrong),
    /// ISO 8601, and what people actually write. No zone means UTC. Dates before 1990 count as missing.
    /// </summary>
    public static DateTimeOffset? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = Rearrange(value.Trim());

        // "Tue, 10 Jun 2003": the day name only adds a way to fail.
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma is > 0 and <= 10 && !text.AsSpan(0, comma).ContainsAnyExcept(AsciiLetters))
        {
            text = text[(comma + 1)..].TrimStart();
        }

        var space = text.LastIndexOf(' ');
        if (space > 0)
        {
            var zone = text.AsSpan(space + 1);
            if (ZoneOffsets.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(zone, out var offset))
            {
                text = string.Concat(text.AsSpan(0, space + 1), offset);
            }
            else if (zone.Length == 5 && zone[0] is '+' or '-' && int.TryParse(zone[1..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                text = string.Concat(text.AsSpan(0, space + 1), zone[..3], ":", zone[3..]);
            }
        }

        const DateTimeStyles styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;
        if (!DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, styles, out var date)
            && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out date))
        {
            return null;
        }

        return date < Earliest ? null : date;
    }

    /// <summary>
    /// Rewrites the forms .NET reads wrongly or not at all into ones it reads: a dotted date is day first (02.01.2026 is
    /// 2 January wherever dots are written, not 1 February); C, Unix and JavaScript put the year after the time or the
    /// month first; a zone is often written twice ("GMT-0800 (PST)", "PST -0800", RFC 9557's "+01:00[Europe/Paris]") or
    /// glued to the time; September is often "Sept".
    /// </summary>
    private static string Rearrange(string text)
    {
        text = ZoneComment().Replace(text, "");
        text = SeptemberAbbreviation().Replace(text, "Sep");
        text = DottedDate().Replace(text, "$3-$2-$1");
        text = YearAfterTime().Replace(text, "${day} ${month} ${year} ${time} ${zone}").TrimEnd();
        text = MonthFirst().Replace(text, "${day} ${month} ${year} ${time}");
        text = ZoneNameBeforeOffset().Replace(text, " ");
        text = ZoneNameAfterOffset().Replace(text, "");
        text = ZoneGluedToTime().Replace(text, " ");
        text = SingleDigitTimePart().Replace(text, ":0$1");
        return text.Replace(" at ", " ", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\s*(?:\([^()]*\)|\[[^\[\]]*\])$")]
    private static partial Regex ZoneComment();

    [GeneratedRegex(@"\bSept\b", RegexOptions.IgnoreCase)]
    private static partial Regex SeptemberAbbreviation();

    [GeneratedRegex(@"\b([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})\b")]
    private static partial Regex DottedDate();

    [GeneratedRegex(@"^(?:[A-Za-z]{3,9},?\s+)?(?<month>[A-Za-z]{3,9})\s+(?<day>[0-9]{1,2})\s+(?<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)\s+(?:(?<zone>[A-Za-z]{1,5}|[+-][0-9]{4})\s+)?(?<year>[0-9]{4})$")]
    private static partial Regex YearAfterTime();

    [GeneratedRegex(@"^(?:[A-Za-z]{3,9},?\s+)?(?<month>[A-Za-z]{3,9})\s+(?<day>[0-9]{1,2}),?\s+(?<year>[0-9]{4}),?\s+(?<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?=\s*(?:[A-Za-z]{1,5})?[+-][0-9]))")]
    private static partial Regex MonthFirst();

    [GeneratedRegex(@"(?<=[0-9])\s*(?![AaPp][Mm]\b)[A-Za-z]{1,5}\s*(?=[+-][0-9]{2}:?[0-9]{2}$)")]
    private static partial Regex ZoneNameBeforeOffset();

    [GeneratedRegex(@"(?<=\s[+-][0-9]{4})\s+[A-Za-z]{1,5}$")]
    private static partial Regex ZoneNameAfterOffset();

    [GeneratedRegex(@"(?<=:[0-9]{2})(?=[A-Za-z]{2,5}$)")]
    private static partial Regex ZoneGluedToTime();

    [GeneratedRegex(@":([0-9])(?![0-9])")]
    private static partial Regex SingleDigitTimePart();

    [GeneratedRegex(@"<!DOCTYPE\s[^\[>]*(?<subset>\[[^\]]*\]\s*)?>", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Doctype();

    // The five XML entities are left out, so a document without HTML entities is returned as is, unallocated.
    [GeneratedRegex("&(?!(?:amp|lt|gt|quot|apos);)[A-Za-z][A-Za-z0-9]{1,31};")]
    private static partial Regex NamedEntity();

    [GeneratedRegex("&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)")]
    private static partial Regex BareAmpersand();

    [GeneratedRegex(@"<!ENTITY\s+([A-Za-z_][A-Za-z0-9._-]*)\s+(?:""([^""]*)""|'([^']*)')\s*>")]
    private static partial Regex EntityDeclaration();

    [GeneratedRegex("&([A-Za-z_][A-Za-z0-9._-]*);")]
    private static partial Regex EntityReference();

    [GeneratedRegex("&#X(?=[0-9A-Fa-f]{1,6};)")]
    private static partial Regex UpperCaseHexReference();

    [GeneratedRegex(@"<(?=[\s0-9=<])")]
    private static partial Regex BareLessThan();
}
