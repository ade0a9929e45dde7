using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Digest.Core.Feeds;

/// <summary>A document's bytes as text, the label it was read with, and what was odd about its encoding.</summary>
internal sealed record DecodedText(string Text, string Encoding, IReadOnlyList<string> Warnings);

/// <summary>
/// Bytes to text the way lenient readers do it. A byte-order mark wins; UTF-16 and UTF-32 are recognised by their NUL
/// pattern; otherwise the HTTP charset, then the XML declaration — except that bytes which are valid UTF-8 with
/// non-ASCII characters are UTF-8 whatever an 8-bit label claims (servers label UTF-8 feeds Latin-1 all the time), and
/// a label the bytes can't be in (UTF-16 on single bytes) or an unknown label is passed over with a warning. UTF-7 is
/// refused: it lets ASCII bytes spell markup, so reading it any other way would be wrong and reading it is unsafe.
/// </summary>
internal static partial class FeedEncoding
{
    /// <summary>The text, or the reason the document can't be read (an unsupported encoding).</summary>
    public static (DecodedText? Decoded, string? Error) Decode(byte[] body, string? httpCharset)
    {
        ReadOnlySpan<byte> span = body;
        var warnings = new List<string>(0);
        if (Bom(span) is { } bom)
        {
            var declared = DeclaredLabel(span[bom.Length..], bom.Encoding);
            if (declared is not null && Lookup(declared) is { } other && other.CodePage != bom.Encoding.CodePage
                && !(IsUnicode(other) && IsUnicode(bom.Encoding)))
            {
                warnings.Add($"the byte-order mark says {bom.Label} but the document declares {declared}; read as {bom.Label}");
            }

            return (new DecodedText(bom.Encoding.GetString(span[bom.Length..]), bom.Label, warnings), null);
        }

        if (Sniff(span) is { } wide)
        {
            return (new DecodedText(wide.Encoding.GetString(span), wide.Label, warnings), null);
        }

        // "<?xm" in EBCDIC (XML 1.0, appendix F): the declaration, read in the commonest EBCDIC page, names the page.
        if (span.StartsWith((ReadOnlySpan<byte>)[0x4C, 0x6F, 0xA7, 0x94]) && Lookup("ibm037") is { } ebcdic)
        {
            var label = DeclaredLabel(span, ebcdic);
            var named = Lookup(label) is { IsSingleByte: true } page ? page : null;
            return (new DecodedText((named ?? ebcdic).GetString(span), named is null ? "ibm037" : label!.ToLowerInvariant(), warnings), null);
        }

        var ascii = System.Text.Ascii.IsValid(span);
        var validUtf8 = ascii || Utf8.IsValid(span);
        var declaredLabel = DeclaredLabel(span, null);
        var http = Clean(httpCharset);

        // Valid UTF-8 with non-ASCII characters is never really in an 8-bit code page: the label is wrong.
        if (!ascii && validUtf8 && (IsUtf8Label(http) || IsUtf8Label(declaredLabel) || (http is null && declaredLabel is null)
            || (Lookup(http ?? declaredLabel) is { IsSingleByte: true })))
        {
            var label = IsUtf8Label(http) ? http! : IsUtf8Label(declaredLabel) ? declaredLabel! : "utf-8";
            if (!IsUtf8Label(http ?? declaredLabel) && (http ?? declaredLabel) is { } wrong)
            {
                warnings.Add($"labelled {wrong} but the bytes are UTF-8; read as utf-8");
            }

            return (new DecodedText(Encoding.UTF8.GetString(span), label.ToLowerInvariant(), warnings), null);
        }

        foreach (var (label, where) in new[] { (http, "HTTP charset"), (declaredLabel, "XML declaration") })
        {
            if (label is null)
            {
                continue;
            }

            if (IsUtf7(label))
            {
                return (null, $"unsupported encoding {label.ToLowerInvariant()} (from the {where})");
            }

            if (Lookup(label) is not { } encoding)
            {
                warnings.Add($"unknown encoding '{label}' in the {where}; ignored");
                continue;
            }

            if (IsUnicode(encoding))
            {
                warnings.Add($"the {where} says {label} but the bytes are not; ignored");
                continue;
            }

            if (encoding.CodePage == Encoding.UTF8.CodePage)
            {
                return (ReadUtf8(span, validUtf8, label.ToLowerInvariant(), warnings), null);
            }

            return (new DecodedText(encoding.GetString(span), label.ToLowerInvariant(), warnings), null);
        }

        return (ReadUtf8(span, validUtf8, "utf-8", warnings), null);
    }

    /// <summary>UTF-8, or windows-1252 when no byte sequence in the document is valid UTF-8 (a Latin-1 feed labelled UTF-8).</summary>
    private static DecodedText ReadUtf8(ReadOnlySpan<byte> span, bool valid, string label, List<string> warnings)
    {
        var text = Encoding.UTF8.GetString(span);
        if (valid)
        {
            return new DecodedText(text, label, warnings);
        }

        var replaced = 0;
        var nonAscii = 0;
        foreach (var c in text)
        {
            replaced += c == '\uFFFD' ? 1 : 0;
            nonAscii += c > '\u007F' ? 1 : 0;
        }

        if (replaced == nonAscii)
        {
            warnings.Add($"labelled {label} but not valid UTF-8; read as windows-1252");
            return new DecodedText(Lookup("windows-1252")!.GetString(span), "windows-1252", warnings);
        }

        warnings.Add($"{replaced} invalid UTF-8 sequences replaced");
        return new DecodedText(text, label, warnings);
    }

    private sealed record Detected(Encoding Encoding, string Label, int Length);

    private static Detected? Bom(ReadOnlySpan<byte> span)
    {
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new Detected(Encoding.UTF8, "utf-8", 3);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return new Detected(Encoding.UTF32, "utf-32le", 4);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return new Detected(new UTF32Encoding(bigEndian: true, byteOrderMark: false), "utf-32be", 4);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new Detected(Encoding.Unicode, "utf-16le", 2);
        }

        return span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? new Detected(Encoding.BigEndianUnicode, "utf-16be", 2) : null;
    }

    /// <summary>UTF-16 or UTF-32 without a mark: an ASCII character with NUL bytes beside it where a document starts.</summary>
    private static Detected? Sniff(ReadOnlySpan<byte> span)
    {
        if (span.Length < 4)
        {
            return null;
        }

        static bool Ascii(byte b) => b is > 0 and < 0x80;
        return (span[0], span[1], span[2], span[3]) switch
        {
            (var a, 0, 0, 0) when Ascii(a) => new Detected(Encoding.UTF32, "utf-32le", 0),
            (0, 0, 0, var a) when Ascii(a) => new Detected(new UTF32Encoding(bigEndian: true, byteOrderMark: false), "utf-32be", 0),
            (var a, 0, var b, 0) when Ascii(a) && Ascii(b) => new Detected(Encoding.Unicode, "utf-16le", 0),
            (0, var a, 0, var b) when Ascii(a) && Ascii(b) => new Detected(Encoding.BigEndianUnicode, "utf-16be", 0),
            _ => null,
        };
    }

    /// <summary>The encoding named in the XML declaration, read as ASCII (or in the mark's encoding after a BOM).</summary>
    private static string? DeclaredLabel(ReadOnlySpan<byte> span, Encoding? encoding)
    {
        var head = (encoding ?? Encoding.Latin1).GetString(span[..Math.Min(span.Length, encoding is null ? 1024 : 2048)]);
        var at = head.IndexOf("<?xml", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var end = head.IndexOf("?>", at, StringComparison.Ordinal);
        var match = XmlEncoding().Match(head, at, (end < 0 ? head.Length : end) - at);
        return match.Success ? Clean(match.Groups[1].Value) : null;
    }

    private static string? Clean(string? label) => string.IsNullOrWhiteSpace(label) ? null : label.Trim().Trim('"', '\'').Trim();

    private static bool IsUtf8Label(string? label) => label is not null && (label.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || label.Equals("utf8", StringComparison.OrdinalIgnoreCase));

    private static bool IsUtf7(string label) => label.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
        .Equals("utf7", StringComparison.OrdinalIgnoreCase) || label.Equals("unicode-1-1-utf-7", StringComparison.OrdinalIgnoreCase);

    private static bool IsUnicode(Encoding encoding) => encoding is UnicodeEncoding or UTF32Encoding;

    /// <summary>An encoding by label, with the code pages .NET keeps outside the core (windows-1252, KOI8-R, GB2312…); null when unknown.</summary>
    internal static Encoding? Lookup(string? name)
    {
        name = Clean(name);
        if (name is null || IsUtf7(name))
        {
            return null;
        }

        // As browsers do (WHATWG Encoding): documents labelled Latin-1 or ASCII are windows-1252 in practice, a superset
        // that maps 0x80–0x9F to curly quotes and dashes instead of control characters.
        if (name.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase) || name.Equals("latin1", StringComparison.OrdinalIgnoreCase)
            || name.Equals("iso8859-1", StringComparison.OrdinalIgnoreCase) || name.Equals("iso_8859-1", StringComparison.OrdinalIgnoreCase)
            || name.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) || name.Equals("ascii", StringComparison.OrdinalIgnoreCase))
        {
            name = "windows-1252";
        }

        try
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return Alias(name);
        }
    }

    /// <summary>
    /// Labels .NET does not know but Python, PHP and Java write into XML declarations: a code page by number ("cp1251",
    /// "ibm850", "csIBM866", "850") and the Mac pages by their Python names ("mac-roman", "mac-cyrillic").
    /// </summary>
    private static Encoding? Alias(string name)
    {
        var mac = name.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) switch
        {
            "macroman" => "macintosh",
            "maccyrillic" => "x-mac-cyrillic",
            "macgreek" => "x-mac-greek",
            "maccentraleurope" or "maclatin2" => "x-mac-ce",
            "macturkish" => "x-mac-turkish",
            "maciceland" => "x-mac-icelandic",
            _ => null,
        };
        // 65000 is UTF-7, refused whatever it is called.
        var number = CodePageLabel().Match(name) is { Success: true } m && int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture) is var n and not 65000 ? n : 0;
        try
        {
            return mac is not null ? CodePagesEncodingProvider.Instance.GetEncoding(mac)
                : number > 0 ? CodePagesEncodingProvider.Instance.GetEncoding(number) ?? Encoding.GetEncoding(number)
                : null;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    [GeneratedRegex("^(?:cp|ibm|csibm|cspcp?|windows|x-cp)?[-_]?([0-9]{3,5})[a-z]*$", RegexOptions.IgnoreCase)]
    private static partial Regex CodePageLabel();

    [GeneratedRegex("""encoding\s*=\s*["']?([A-Za-z0-9._:-]+)""")]
    private static partial Regex XmlEncoding();
}
