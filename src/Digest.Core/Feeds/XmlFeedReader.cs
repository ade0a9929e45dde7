using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Digest.Core.Items;

namespace Digest.Core.Feeds;

/// <summary>
/// One streaming pass over an RSS 0.9x/1.0/2.0 or Atom 0.3/1.0 document with an <see cref="XmlTextReader"/>: no DOM,
/// no DTD, every node counted against the depth and time limits. Namespaces are resolved here rather than by the
/// reader, so an undeclared <c>dc:</c> prefix (a common slip) is read by its usual meaning instead of failing the
/// document. Links are resolved against <c>xml:base</c>, then the feed's own link, then the document's address.
/// What a broken document had before it broke is kept by the caller (<see cref="Items"/> grows as entries end).
/// </summary>
internal sealed partial class XmlFeedReader
{
    private enum Vocabulary
    {
        Core,
        DublinCore,
        DcTerms,
        Content,
        Rdf,
        Xhtml,
        Itunes,
        Media,
        FeedBurner,
        Other,
    }

    private enum TextKind
    {
        /// <summary>The value is HTML (RSS, Atom type="html").</summary>
        Html,

        /// <summary>The value is plain text (Atom type="text"): escaped so it reads as HTML.</summary>
        Text,

        /// <summary>The value is inline XHTML markup.</summary>
        Xhtml,

        /// <summary>Plain text kept as it is: ids, links, dates.</summary>
        Plain,

        /// <summary>Base64 of a document (Atom content of a non-text type): decoded, read as HTML.</summary>
        Base64,
    }

    private static readonly Dictionary<string, Vocabulary> Namespaces = WithVariants(new(StringComparer.OrdinalIgnoreCase)
    {
        [""] = Vocabulary.Core,
        ["http://www.w3.org/2005/Atom"] = Vocabulary.Core,
        ["http://purl.org/atom/ns#"] = Vocabulary.Core,
        ["http://purl.org/rss/1.0/"] = Vocabulary.Core,
        ["http://my.netscape.com/rdf/simple/0.9/"] = Vocabulary.Core,
        ["http://backend.userland.com/rss2"] = Vocabulary.Core,
        ["http://backend.userland.com/rss"] = Vocabulary.Core,
        ["http://blogs.law.harvard.edu/tech/rss"] = Vocabulary.Core,
        ["http://purl.org/net/rss1.1#"] = Vocabulary.Core,
        ["http://purl.org/dc/elements/1.1/"] = Vocabulary.DublinCore,
        ["http://purl.org/dc/elements/1.0/"] = Vocabulary.DublinCore,
        ["http://purl.org/dc/terms/"] = Vocabulary.DcTerms,
        ["http://purl.org/rss/1.0/modules/content/"] = Vocabulary.Content,
        ["http://www.w3.org/1999/02/22-rdf-syntax-ns#"] = Vocabulary.Rdf,
        ["http://www.w3.org/1999/xhtml"] = Vocabulary.Xhtml,
        ["http://www.itunes.com/dtds/podcast-1.0.dtd"] = Vocabulary.Itunes,
        ["http://search.yahoo.com/mrss/"] = Vocabulary.Media,
        ["http://rssnamespace.org/feedburner/ext/1.0"] = Vocabulary.FeedBurner,
    });

    /// <summary>
    /// Feeds write the same namespace with or without its trailing slash and over https ("…/modules/content"), and
    /// every reader treats them alike; matching only the exact spelling lost their content.
    /// </summary>
    private static Dictionary<string, Vocabulary> WithVariants(Dictionary<string, Vocabulary> namespaces)
    {
        foreach (var (uri, vocabulary) in namespaces.Where(n => n.Key.Length > 0).ToList())
        {
            var bare = uri.TrimEnd('/');
            string[] spellings = uri.EndsWith('#') ? [uri] : [bare, bare + "/"];
            foreach (var spelling in spellings)
            {
                namespaces.TryAdd(spelling, vocabulary);
                namespaces.TryAdd(spelling.Replace("http://", "https://", StringComparison.Ordinal), vocabulary);
            }
        }

        return namespaces;
    }

    /// <summary>What a prefix means when the document forgot to declare it.</summary>
    private static readonly Dictionary<string, Vocabulary> UsualPrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["atom"] = Vocabulary.Core,
        ["rss"] = Vocabulary.Core,
        ["dc"] = Vocabulary.DublinCore,
        ["dcterms"] = Vocabulary.DcTerms,
        ["content"] = Vocabulary.Content,
        ["rdf"] = Vocabulary.Rdf,
        ["xhtml"] = Vocabulary.Xhtml,
        ["itunes"] = Vocabulary.Itunes,
        ["media"] = Vocabulary.Media,
        ["feedburner"] = Vocabulary.FeedBurner,
    };

    private readonly XmlTextReader reader;
    private readonly FeedParseLimits limits;
    private readonly long started;
    private readonly Uri? documentUri;
    private readonly List<(string Prefix, string Uri)> scopes = [];
    private readonly List<string> bases = [];
    private readonly Dictionary<string, (string Prefix, string Local)> names = new(StringComparer.Ordinal);
    private readonly List<Entry> entries = [];
    private int nodes;
    private bool atom;
    private string? coreNamespace;
    private string? title;
    private string? dcTitle;
    private Link? feedLink;

    private XmlFeedReader(string text, Uri? documentUri, FeedParseLimits limits)
    {
        reader = new XmlTextReader(new StringReader(text))
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            Namespaces = false,
            Normalization = false,
            WhitespaceHandling = WhitespaceHandling.All,
        };
        this.limits = limits;
        this.documentUri = documentUri is { Scheme: "http" or "https" } ? documentUri : null;
        started = limits.Time.GetTimestamp();
    }

    /// <summary>Where a link stood: its text and the <c>xml:base</c> in force there (null: none).</summary>
    private readonly record struct Link(string Value, string? Base);

    private sealed class Entry
    {
        public string? Id;
        public bool GuidIsLink;
        public string? Title;
        public string? DcTitle;
        public Link? Link;
        public Link? AlternateLink;
        public Link? About;
        public string? OrigLink;
        public string? Summary;
        public string? Content;
        public string? Author;
        public string? Published;
        public string? DcDate;
        public string? Created;
        public string? Updated;
        public string? MediaTitle;
        public string? MediaDescription;
    }

    /// <summary>What one pass read: the feed so far, and the exception that stopped it (null when it read to the end).</summary>
    /// <param name="Nodes">How far the pass got: the nodes it read.</param>
    /// <param name="OpenElements">How many elements were open when it failed: 1 or fewer means only the document's end was broken.</param>
    public sealed record Outcome(string? Title, string? Link, string? Format, IReadOnlyList<FeedItem> Items, int RelativeLinks, Exception? Failure, int Nodes, int OpenElements);

    public static Outcome Read(string text, Uri? documentUri, FeedParseLimits limits)
    {
        var feed = new XmlFeedReader(text, documentUri, limits);
        string? format = null;
        Exception? failure = null;
        var open = 0;
        try
        {
            format = feed.ReadDocument();
        }
        catch (Exception e) when (e is XmlException or FeedLimitException or NotAFeedException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            failure = e;
            format ??= feed.formatSoFar;
            open = feed.reader.Depth;
        }
        finally
        {
            feed.reader.Dispose();
        }

        var (items, relative) = feed.Finish();
        return new Outcome(HtmlOrNull(feed.title ?? feed.dcTitle), feed.ResolvedFeedLink(), format, items, relative, failure, feed.nodes, open);
    }

    private string? formatSoFar;

    /// <summary>Reads to the root's end (not past it: junk after the document is not our business). Returns the format.</summary>
    private string ReadDocument()
    {
        while (Next() && reader.NodeType != XmlNodeType.Element)
        {
        }

        if (reader.NodeType != XmlNodeType.Element)
        {
            throw new XmlException("no root element");
        }

        var mark = Enter();
        var (vocabulary, local) = Resolve();

        // A feed root in a namespace we don't know (an old draft's, a typo) still names the format's own elements.
        if (vocabulary == Vocabulary.Other && (Is(local, "rss") || Is(local, "feed") || Is(local, "channel")))
        {
            coreNamespace = NamespaceOf(Prefix());
            vocabulary = Vocabulary.Core;
        }

        string format;
        var feedLevel = false;
        if (Is(local, "rss"))
        {
            var version = reader.GetAttribute("version")?.Trim();
            format = version is null or "" ? "RSS" : version.StartsWith("2.", StringComparison.Ordinal) ? "RSS 2.0" : $"RSS {version}";
        }
        else if (Is(local, "RDF"))
        {
            format = "RSS 1.0";
            channelNamespace = NamespaceOf("");
        }
        else if (Is(local, "feed"))
        {
            atom = true;
            feedLevel = true;
            var ns = NamespaceOf(Prefix());
            format = ns.Equals("http://purl.org/atom/ns#", StringComparison.OrdinalIgnoreCase) || reader.GetAttribute("version") == "0.3" ? "Atom 0.3"
                : ns.Equals("http://www.w3.org/2005/Atom", StringComparison.OrdinalIgnoreCase) ? "Atom 1.0" : "Atom";
        }
        else if (Is(local, "channel") && vocabulary == Vocabulary.Core)
        {
            // RSS without its <rss> wrapper, or CDF, whose channel has its address as an attribute.
            format = "RSS";
            feedLevel = true;
            if ((reader.GetAttribute("HREF") ?? reader.GetAttribute("href")) is { Length: > 0 } href)
            {
                feedLink = new Link(href.Trim(), CurrentBase);
            }
        }
        else if (Is(local, "entry") && vocabulary == Vocabulary.Core)
        {
            // An Atom entry document (RFC 4287, 4.1.2): one entry standing alone, as AtomPub servers publish them.
            atom = true;
            formatSoFar = "Atom entry";
            ReadEntry(mark);
            return formatSoFar;
        }
        else
        {
            throw new NotAFeedException(Is(local, "html") ? "not a feed: an HTML page" : $"not a feed: the root element is <{reader.Name}>, not rss, RDF, feed or entry");
        }

        formatSoFar = format;
        ReadChildren(feedLevel, mark);
        if (format == "RSS 1.0" && channelNamespace is { } channel && channel.Equals("http://my.netscape.com/rdf/simple/0.9/", StringComparison.OrdinalIgnoreCase))
        {
            format = "RSS 0.90";
        }

        return format;
    }

    private string? channelNamespace;

    /// <summary>
    /// The children of the current element (then its end): entries wherever they stand, the feed's own title and link
    /// when <paramref name="feedLevel"/> (the channel or the Atom feed), and a look inside anything else for entries.
    /// </summary>
    private void ReadChildren(bool feedLevel, (int Scopes, int Bases) mark)
    {
        if (reader.IsEmptyElement)
        {
            Leave(mark);
            return;
        }

        var depth = reader.Depth;
        while (NextInside(depth))
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            var child = Enter();
            var (vocabulary, local) = Resolve();
            if (vocabulary == Vocabulary.Core && (Is(local, "item") || Is(local, "entry")))
            {
                ReadEntry(child);
            }
            else if (vocabulary == Vocabulary.Core && Is(local, "channel"))
            {
                var ns = NamespaceOf(Prefix());
                channelNamespace = ns.Length > 0 ? ns : channelNamespace;
                ReadChildren(true, child);
            }
            else if (feedLevel && vocabulary == Vocabulary.Core && Is(local, "title"))
            {
                title ??= ReadTitle();
                Leave(child);
            }
            else if (feedLevel && vocabulary == Vocabulary.DublinCore && Is(local, "title"))
            {
                dcTitle ??= ReadText(TextKind.Html);
                Leave(child);
            }
            else if (feedLevel && vocabulary == Vocabulary.Core && Is(local, "link"))
            {
                if (ReadLinkOf(out _) is { } link)
                {
                    feedLink ??= link;
                }

                Leave(child);
            }
            else
            {
                ReadChildren(false, child);
            }
        }

        Leave(mark);
    }

    private void ReadEntry((int Scopes, int Bases) mark)
    {
        var entry = new Entry();
        if (reader.HasAttributes)
        {
            // RSS 1.0: the item's URI; CDF: its address.
            if ((reader.GetAttribute("rdf:about") ?? reader.GetAttribute("about") ?? reader.GetAttribute("HREF") ?? reader.GetAttribute("href")) is { Length: > 0 } about)
            {
                entry.About = new Link(about.Trim(), CurrentBase);
            }

            entry.Updated = reader.GetAttribute("LASTMOD") ?? reader.GetAttribute("lastmod");
        }

        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            while (NextInside(depth))
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    var child = Enter();
                    ReadEntryField(entry);
                    Leave(child);
                }
            }
        }

        Leave(mark);
        entries.Add(entry);
    }

    /// <summary>One child of an entry; consumes it whatever it is.</summary>
    private void ReadEntryField(Entry entry)
    {
        var (vocabulary, local) = Resolve();
        switch (vocabulary)
        {
            case Vocabulary.Core when Is(local, "title"):
                entry.Title ??= ReadTitle();
                return;
            case Vocabulary.Core when Is(local, "link"):
                var link = ReadLinkOf(out var alternate);
                if (alternate)
                {
                    entry.AlternateLink ??= link;
                }
                else
                {
                    entry.Link ??= link;
                }

                return;
            case Vocabulary.Core when Is(local, "guid"):
                var permaLink = reader.GetAttribute("isPermaLink");
                var guid = ReadText(TextKind.Plain);
                if (entry.Id is null && guid.Length > 0)
                {
                    entry.Id = guid;
                    entry.GuidIsLink = permaLink is null || permaLink.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
                }

                return;
            case Vocabulary.Core when Is(local, "id"):
                entry.Id ??= NullIfEmpty(ReadText(TextKind.Plain));
                return;
            case Vocabulary.Core when Is(local, "description") || Is(local, "summary") || Is(local, "abstract"):
                entry.Summary ??= NullIfEmpty(ReadText(TextKindOf()));
                return;
            case Vocabulary.Core when Is(local, "content"):
                if (reader.GetAttribute("src") is null)
                {
                    entry.Content ??= NullIfEmpty(ReadText(TextKindOf()));
                }
                else
                {
                    Skip();
                }

                return;
            case Vocabulary.Core when Is(local, "author"):
                entry.Author ??= ReadPerson();
                return;
            case Vocabulary.Core when Is(local, "pubDate") || Is(local, "published") || Is(local, "issued"):
                entry.Published = NullIfEmpty(ReadText(TextKind.Plain)) ?? entry.Published;
                return;
            case Vocabulary.Core when Is(local, "created"):
                entry.Created = NullIfEmpty(ReadText(TextKind.Plain)) ?? entry.Created;
                return;
            case Vocabulary.Core when Is(local, "updated") || Is(local, "modified"):
                entry.Updated = NullIfEmpty(ReadText(TextKind.Plain)) ?? entry.Updated;
                return;
            case Vocabulary.Core when Is(local, "body"):
                entry.Content ??= NullIfEmpty(ReadText(TextKind.Xhtml));
                return;
            case Vocabulary.Core when Is(local, "fullitem"):
                entry.Content ??= NullIfEmpty(ReadText(TextKind.Html));
                return;
            case Vocabulary.DublinCore when Is(local, "title"):
                entry.DcTitle ??= NullIfEmpty(ReadText(TextKind.Html));
                return;
            case Vocabulary.DublinCore when Is(local, "creator") || Is(local, "author"):
                entry.Author ??= NullIfEmpty(ReadText(TextKind.Plain));
                return;
            case Vocabulary.DublinCore when Is(local, "date"):
                entry.DcDate ??= NullIfEmpty(ReadText(TextKind.Plain));
                return;
            case Vocabulary.DublinCore or Vocabulary.Itunes when Is(local, "description") || Is(local, "summary"):
                entry.Summary ??= NullIfEmpty(ReadText(TextKind.Html));
                return;
            case Vocabulary.DcTerms when Is(local, "issued") || Is(local, "created") || Is(local, "available"):
                entry.DcDate ??= NullIfEmpty(ReadText(TextKind.Plain));
                return;
            case Vocabulary.DcTerms when Is(local, "modified"):
                entry.Updated ??= NullIfEmpty(ReadText(TextKind.Plain));
                return;
            case Vocabulary.Content when Is(local, "encoded"):
                entry.Content ??= NullIfEmpty(ReadText(TextKind.Html));
                return;
            case Vocabulary.Xhtml when Is(local, "body") || Is(local, "div"):
                entry.Content ??= NullIfEmpty(ReadText(TextKind.Xhtml));
                return;
            case Vocabulary.FeedBurner when Is(local, "origLink"):
                entry.OrigLink ??= NullIfEmpty(ReadText(TextKind.Plain));
                return;
            case Vocabulary.Itunes when Is(local, "author"):
                entry.Author ??= NullIfEmpty(ReadText(TextKind.Plain));
                return;
            case Vocabulary.Media when Is(local, "title"):
                entry.MediaTitle ??= NullIfEmpty(ReadText(TextKindOf()));
                return;
            case Vocabulary.Media when Is(local, "description"):
                entry.MediaDescription ??= NullIfEmpty(ReadText(reader.GetAttribute("type") is "html" ? TextKind.Html : TextKind.Text));
                return;
            case Vocabulary.Media when Is(local, "group") || Is(local, "content"):
                // YouTube and podcasts put an entry's title and description inside <media:group>.
                ReadMediaGroup(entry);
                return;
            default:
                Skip();
                return;
        }
    }

    private void ReadMediaGroup(Entry entry)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }

        var depth = reader.Depth;
        while (NextInside(depth))
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                var (vocabulary, local) = Resolve();
                if (vocabulary == Vocabulary.Media && (Is(local, "title") || Is(local, "description")))
                {
                    ReadEntryField(entry);
                }
                else
                {
                    Skip();
                }
            }
        }
    }

    /// <summary>
    /// A link element: with an href it is Atom's (only rel="alternate", or no rel, is the entry's page — not "replies",
    /// "enclosure" or "self"); without one its text is the address, as in RSS. Consumes the element.
    /// </summary>
    private Link? ReadLinkOf(out bool alternate)
    {
        alternate = false;
        var href = reader.GetAttribute("href");
        if (href is not null)
        {
            var rel = reader.GetAttribute("rel")?.Trim();
            var linkBase = CurrentBase;
            Skip();
            if (rel is null or "" || rel.Equals("alternate", StringComparison.OrdinalIgnoreCase))
            {
                alternate = true;
                return new Link(href.Trim(), linkBase);
            }

            return null;
        }

        var textBase = CurrentBase;
        var text = ReadText(TextKind.Plain);
        return text.Length > 0 ? new Link(text, textBase) : null;
    }

    /// <summary>An author: Atom's person construct (its name, else its email) or a plain name or address.</summary>
    private string? ReadPerson()
    {
        if (reader.IsEmptyElement)
        {
            return null;
        }

        var depth = reader.Depth;
        string? name = null;
        string? email = null;
        StringBuilder? text = null;
        while (NextInside(depth))
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var (_, local) = Resolve();
                    if (Is(local, "name"))
                    {
                        name ??= NullIfEmpty(ReadText(TextKind.Plain));
                    }
                    else if (Is(local, "email"))
                    {
                        email ??= NullIfEmpty(ReadText(TextKind.Plain));
                    }
                    else
                    {
                        Skip();
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    (text ??= new StringBuilder()).Append(reader.Value);
                    break;
            }
        }

        return name ?? NullIfEmpty(text?.ToString().Trim()) ?? email;
    }

    /// <summary>
    /// A title. RSS leaves a title's type open, and most are plain text that may name a tag ("the &lt;dialog&gt;
    /// element", "&lt;/body&gt;") or compare ("a &lt; b"). Much as feedparser does, such a title is HTML only when it
    /// closes an element it opened, holds an empty one ("&lt;br/&gt;") or an entity; otherwise its angle brackets are
    /// characters. Atom says which it is. Past <see cref="PlainTitleLimit"/> characters a title is taken as HTML unread.
    /// </summary>
    private string ReadTitle()
    {
        var kind = TextKindOf();
        var undeclared = !atom && reader.GetAttribute("type") is null && reader.GetAttribute("mode") is null;
        var text = ReadText(kind);
        // With no entity in it, a plain title needs only its "<" escaped to read back as itself.
        return undeclared && kind == TextKind.Html && text.Length <= PlainTitleLimit && text.Contains('<', StringComparison.Ordinal)
            && !HtmlLike().IsMatch(text)
            ? text.Replace("<", "&lt;", StringComparison.Ordinal)
            : text;
    }

    // The pattern below looks ahead for each opening tag's end, so its cost grows with the square of the length.
    private const int PlainTitleLimit = 1000;

    [GeneratedRegex("<([A-Za-z][A-Za-z0-9]*)\\b[^<>]*>.*?</\\1\\s*>|<[A-Za-z][^<>]*/>|&#?[A-Za-z0-9]+;", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlLike();

    /// <summary>How an element's content is to be read: Atom's type (and Atom 0.3's mode) attribute, else RSS's HTML.</summary>
    private TextKind TextKindOf()
    {
        var type = reader.GetAttribute("type")?.Trim();
        var mode = reader.GetAttribute("mode")?.Trim();
        if (mode is not null && mode.Equals("escaped", StringComparison.OrdinalIgnoreCase))
        {
            return TextKind.Html;
        }

        if (type is null or "")
        {
            return atom && mode is null ? TextKind.Text : atom ? TextKind.Xhtml : TextKind.Html;
        }

        if (type.Equals("html", StringComparison.OrdinalIgnoreCase) || type.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return TextKind.Html;
        }

        if (type.Equals("xhtml", StringComparison.OrdinalIgnoreCase) || type.Contains("xhtml", StringComparison.OrdinalIgnoreCase))
        {
            return TextKind.Xhtml;
        }

        if (type.Equals("text", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            return TextKind.Text;
        }

        // Atom 1.0: content of any other media type that is not XML is Base64.
        return atom && type.Contains('/', StringComparison.Ordinal) && !type.EndsWith("xml", StringComparison.OrdinalIgnoreCase) ? TextKind.Base64 : TextKind.Html;
    }

    /// <summary>
    /// An element's content as HTML (or as plain text for <see cref="TextKind.Plain"/>), consuming it. Markup inside the
    /// element (XHTML, or HTML a feed forgot to escape) is written back as tags, its text escaped. Base64 content
    /// (Atom 0.3 mode="base64") is decoded.
    /// </summary>
    private string ReadText(TextKind kind)
    {
        var base64 = kind == TextKind.Base64 || (reader.GetAttribute("mode") is { } mode && mode.Trim().Equals("base64", StringComparison.OrdinalIgnoreCase));
        kind = kind == TextKind.Base64 ? TextKind.Html : kind;
        if (reader.IsEmptyElement)
        {
            return "";
        }

        var depth = reader.Depth;
        string? first = null;
        StringBuilder? builder = null;
        var markup = kind == TextKind.Xhtml;
        var textBefore = false;
        while (NextInside(depth))
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    var value = reader.Value;
                    // Beside HTML a feed forgot to escape, a CDATA section is still HTML the feed did escape (an <img> left
                    // bare, then the story in CDATA); in XHTML it is text, as XML says.
                    var cdataHtml = kind == TextKind.Html && reader.NodeType == XmlNodeType.CDATA;
                    textBefore |= reader.NodeType == XmlNodeType.Text;
                    if (markup && !cdataHtml && kind != TextKind.Plain && kind != TextKind.Text)
                    {
                        Append(ref first, ref builder, Escape(value));
                    }
                    else
                    {
                        Append(ref first, ref builder, value);
                    }

                    break;
                case XmlNodeType.EntityReference:
                    // An entity nobody declared (&nbsp; and its like were made references before): kept as written.
                    var reference = "&" + reader.Name + ";";
                    Append(ref first, ref builder, kind == TextKind.Plain || (!markup && kind == TextKind.Html) ? reference : Escape(reference));
                    break;
                case XmlNodeType.Element when kind is TextKind.Html or TextKind.Xhtml:
                    if (!markup)
                    {
                        // HTML the feed did not escape: what came before was text, and is escaped like the rest, unless
                        // it was only CDATA sections (and white space), which hold HTML.
                        markup = true;
                        var before = builder?.ToString() ?? first ?? "";
                        (first, builder) = (null, null);
                        Append(ref first, ref builder, textBefore ? Escape(before) : before);
                    }

                    builder ??= new StringBuilder(first);
                    first = null;
                    builder.Append('<').Append(LocalName());
                    if (reader.HasAttributes)
                    {
                        while (reader.MoveToNextAttribute())
                        {
                            if (!reader.Name.StartsWith("xmlns", StringComparison.Ordinal))
                            {
                                builder.Append(' ').Append(LocalName()).Append("=\"").Append(Escape(reader.Value).Replace("\"", "&quot;", StringComparison.Ordinal)).Append('"');
                            }
                        }

                        reader.MoveToElement();
                    }

                    builder.Append(reader.IsEmptyElement ? " />" : ">");
                    break;
                case XmlNodeType.EndElement when kind is TextKind.Html or TextKind.Xhtml:
                    builder ??= new StringBuilder(first);
                    first = null;
                    builder.Append("</").Append(LocalName()).Append('>');
                    break;
            }
        }

        var text = builder?.ToString() ?? first ?? "";
        if (base64 && TryBase64(text) is { } decoded)
        {
            text = decoded;
        }

        return kind switch
        {
            TextKind.Plain => text.Trim(),
            TextKind.Text => Escape(text),
            _ => text,
        };
    }

    private static void Append(ref string? first, ref StringBuilder? builder, string value)
    {
        if (builder is not null)
        {
            builder.Append(value);
        }
        else if (first is null)
        {
            first = value;
        }
        else
        {
            builder = new StringBuilder(first.Length + value.Length + 16).Append(first).Append(value);
            first = null;
        }
    }

    private static string? TryBase64(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text.Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The characters that make text markup, escaped; the string itself when it has none.</summary>
    private static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny('<', '&', '>') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '&' => builder.Append("&amp;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private void Skip()
    {
        if (reader.IsEmptyElement)
        {
            return;
        }

        var depth = reader.Depth;
        while (NextInside(depth))
        {
        }
    }

    /// <summary>The next node, with the limits checked; false once the current element's end (at <paramref name="depth"/>) is reached.</summary>
    private bool NextInside(int depth)
    {
        if (!Next())
        {
            throw new XmlException("the document ends inside an element");
        }

        return !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth);
    }

    private bool Next()
    {
        if (!reader.Read())
        {
            return false;
        }

        if (reader.NodeType == XmlNodeType.Element && reader.Depth >= limits.MaxDepth)
        {
            throw new FeedLimitException(string.Create(CultureInfo.InvariantCulture, $"element nesting deeper than {limits.MaxDepth}"));
        }

        if ((++nodes & 1023) == 0 && limits.Time.GetElapsedTime(started) > limits.TimeBudget)
        {
            throw new FeedLimitException(string.Create(CultureInfo.InvariantCulture, $"parsing took longer than {limits.TimeBudget.TotalSeconds:0.#} s"));
        }

        return true;
    }

    /// <summary>Takes note of the namespaces and <c>xml:base</c> an element declares; <see cref="Leave"/> forgets them.</summary>
    private (int Scopes, int Bases) Enter()
    {
        var mark = (scopes.Count, bases.Count);
        if (!reader.HasAttributes)
        {
            return mark;
        }

        while (reader.MoveToNextAttribute())
        {
            var name = reader.Name;
            if (name.StartsWith("xmlns", StringComparison.Ordinal))
            {
                if (name.Length == 5)
                {
                    scopes.Add(("", reader.Value.Trim()));
                }
                else if (name[5] == ':')
                {
                    scopes.Add((name[6..], reader.Value.Trim()));
                }
            }
            else if (name == "xml:base")
            {
                bases.Add(Combine(CurrentBase, reader.Value.Trim()));
            }
        }

        reader.MoveToElement();
        return mark;
    }

    private void Leave((int Scopes, int Bases) mark)
    {
        scopes.RemoveRange(mark.Scopes, scopes.Count - mark.Scopes);
        bases.RemoveRange(mark.Bases, bases.Count - mark.Bases);
    }

    private string? CurrentBase => bases.Count > 0 ? bases[^1] : null;

    private (Vocabulary Vocabulary, string Local) Resolve()
    {
        var (prefix, local) = Split(reader.Name);
        for (var i = scopes.Count - 1; i >= 0; i--)
        {
            if (scopes[i].Prefix == prefix)
            {
                var uri = scopes[i].Uri;
                return (Namespaces.TryGetValue(uri, out var known) ? known : uri == coreNamespace ? Vocabulary.Core : Vocabulary.Other, local);
            }
        }

        return (prefix.Length == 0 ? Vocabulary.Core : UsualPrefixes.GetValueOrDefault(prefix, Vocabulary.Other), local);
    }

    private string NamespaceOf(string prefix)
    {
        for (var i = scopes.Count - 1; i >= 0; i--)
        {
            if (scopes[i].Prefix == prefix)
            {
                return scopes[i].Uri;
            }
        }

        return "";
    }

    private string Prefix() => Split(reader.Name).Prefix;

    private string LocalName() => Split(reader.Name).Local;

    /// <summary>Prefix and local name; names come atomized from the reader's name table, so each is split once.</summary>
    private (string Prefix, string Local) Split(string name)
    {
        if (names.TryGetValue(name, out var split))
        {
            return split;
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        split = colon < 0 ? ("", name) : (name[..colon], name[(colon + 1)..]);
        names[name] = split;
        return split;
    }

    private static bool Is(string local, string name) => string.Equals(local, name, StringComparison.OrdinalIgnoreCase);

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string? HtmlOrNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>An <c>xml:base</c> against the one in force: absolute when it can be, else kept as written.</summary>
    private string Combine(string? outer, string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute.AbsoluteUri;
        }

        var anchor = outer is not null && Uri.TryCreate(outer, UriKind.Absolute, out var o) ? o : documentUri;
        return anchor is not null && Uri.TryCreate(anchor, value, out var combined) ? combined.AbsoluteUri : value;
    }

    /// <summary>The feed's own link, absolute when it can be made so.</summary>
    private string? ResolvedFeedLink() => feedLink is { } link ? Resolve(link, xmlBaseAnchor: documentUri, plainAnchor: documentUri, out _) : null;

    /// <summary>
    /// A link made absolute: against its <c>xml:base</c> (itself resolved against the document's address or the feed's
    /// link), else against the feed's link, else against the document's address. Left as written when nothing applies.
    /// </summary>
    private static string Resolve(Link link, Uri? xmlBaseAnchor, Uri? plainAnchor, out bool resolved)
    {
        resolved = false;
        var value = link.Value;
        if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) && !(absolute.IsFile && value.StartsWith('/')))
        {
            return value;
        }

        Uri? anchor = null;
        if (link.Base is { } linkBase)
        {
            if (Uri.TryCreate(linkBase, UriKind.Absolute, out var b))
            {
                anchor = b;
            }
            else if (xmlBaseAnchor is not null && Uri.TryCreate(xmlBaseAnchor, linkBase, out var c))
            {
                anchor = c;
            }
        }

        anchor ??= plainAnchor;
        if (anchor is not null && Uri.TryCreate(anchor, value, out var result))
        {
            resolved = true;
            return result.AbsoluteUri;
        }

        return value;
    }

    private (IReadOnlyList<FeedItem> Items, int RelativeLinks) Finish()
    {
        var site = ResolvedFeedLink() is { } own && Uri.TryCreate(own, UriKind.Absolute, out var siteUri) && siteUri.Scheme is "http" or "https" ? siteUri : null;
        var xmlBaseAnchor = documentUri ?? site;
        var plainAnchor = site ?? documentUri;
        var relative = 0;
        var items = new List<FeedItem>(entries.Count);
        foreach (var entry in entries)
        {
            // FeedBurner puts its own redirect in <link> and the publisher's address in <feedburner:origLink>.
            var original = entry.OrigLink is { } orig && LooksLikeLink(orig) ? new Link(orig, null) : (Link?)null;
            var chosen = original ?? entry.Link ?? entry.AlternateLink ?? (entry.GuidIsLink && entry.Id is { } guid && LooksLikeLink(guid) ? new Link(guid, null) : entry.About);
            string? link = null;
            if (chosen is { } c)
            {
                link = Resolve(c, xmlBaseAnchor, plainAnchor, out var resolved);
                relative += resolved ? 1 : 0;
            }

            var published = FeedParser.ParseDate(entry.Published) ?? FeedParser.ParseDate(entry.DcDate) ?? FeedParser.ParseDate(entry.Created);
            var id = entry.Id ?? (entry.About is { } about && about.Value.Length > 0 ? Resolve(about, xmlBaseAnchor, plainAnchor, out _) : null);
            items.Add(new FeedItem(
                id, entry.Title ?? entry.DcTitle ?? entry.MediaTitle, link, entry.Summary ?? entry.MediaDescription, entry.Content, entry.Author, published, FeedParser.ParseDate(entry.Updated)));
        }

        return (items, relative);
    }

    private static bool LooksLikeLink(string text) => text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The document is well-formed enough, but not a feed (an HTML page, an OPML file…).</summary>
internal sealed class NotAFeedException(string message) : Exception(message);
