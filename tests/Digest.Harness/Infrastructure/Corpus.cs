using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Digest.Harness.Infrastructure;

/// <summary>
/// The third-party data the scenarios are made of, read in place from ../shared (never copied into the repository):
/// the real feeds (data/feeds/real) and the headlines (data/headlines). Generated corpora go to the workspace under /tmp.
/// </summary>
internal static partial class Corpus
{
    public static string RealFeeds => SharedData.PathOf("data/feeds/real");

    /// <summary>The real feeds that CodeHollow.FeedReader reads (one of the 49 does not parse), in name order.</summary>
    public static IReadOnlyList<string> RealFeedFiles() =>
        [.. Directory.GetFiles(RealFeeds, "*.xml").Order(StringComparer.Ordinal).Where(f => Parses(File.ReadAllBytes(f)))];

    /// <summary>
    /// Writes <paramref name="copies"/> copies of the real feeds under <paramref name="directory"/>, every item's guid/id
    /// and link made unique per copy (a suffix on the guid, a query parameter on the link), so every item is new to the bot.
    /// </summary>
    public static IReadOnlyList<string> WriteCopies(string directory, int copies)
    {
        var files = RealFeedFiles();
        var written = new List<string>();
        var latin1 = Encoding.Latin1; // byte-preserving: the documents' own encodings stay as they were
        foreach (var file in files)
        {
            var text = latin1.GetString(File.ReadAllBytes(file));
            for (var c = 0; c < copies; c++)
            {
                var copy = Uniquify(text, c);
                var path = Path.Combine(directory, $"c{c:00}", Path.GetFileName(file));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, latin1.GetBytes(copy));
                written.Add(path);
            }
        }

        return written;
    }

    private static string Uniquify(string xml, int copy)
    {
        var suffix = copy.ToString("00", CultureInfo.InvariantCulture);
        xml = GuidElement().Replace(xml, m => $"{m.Groups[1].Value}{m.Groups[2].Value.TrimEnd()}-copy{suffix}{m.Groups[3].Value}");
        xml = LinkElement().Replace(xml, m => m.Groups[1].Value + WithCopy(m.Groups[2].Value, suffix) + m.Groups[3].Value);
        xml = LinkHref().Replace(xml, m => m.Groups[1].Value + WithCopy(m.Groups[2].Value, suffix) + m.Groups[3].Value);
        return AboutAttribute().Replace(xml, m => m.Groups[1].Value + WithCopy(m.Groups[2].Value, suffix) + m.Groups[3].Value);
    }

    /// <summary>A query parameter before any fragment (the bot drops fragments and utm_* parameters, not others).</summary>
    private static string WithCopy(string url, string suffix)
    {
        var trimmed = url.Trim();
        if (!trimmed.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            return url;
        }

        var hash = trimmed.IndexOf('#', StringComparison.Ordinal);
        var (head, fragment) = hash >= 0 ? (trimmed[..hash], trimmed[hash..]) : (trimmed, "");
        return head + (head.Contains('?', StringComparison.Ordinal) ? "&amp;" : "?") + "harness-copy=" + suffix + fragment;
    }

    public static bool Parses(byte[] document)
    {
        try
        {
            CodeHollowReader.ReadFromByteArray(document);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"(<(?:guid|id|dc:identifier)\b[^>]*>)([^<]+)(</(?:guid|id|dc:identifier)>)", RegexOptions.IgnoreCase)]
    private static partial Regex GuidElement();

    [GeneratedRegex(@"(<link\b[^>/]*>)([^<]+)(</link>)", RegexOptions.IgnoreCase)]
    private static partial Regex LinkElement();

    [GeneratedRegex(@"(<link\b[^>]*?\bhref=[""'])([^""']+)([""'])", RegexOptions.IgnoreCase)]
    private static partial Regex LinkHref();

    [GeneratedRegex(@"(<item\b[^>]*?\brdf:about=[""'])([^""']+)([""'])", RegexOptions.IgnoreCase)]
    private static partial Regex AboutAttribute();
}

/// <summary>
/// Realistic item text for generated feeds and the search fill: real headlines (with their on-topic labels) as titles,
/// real feed item descriptions as summaries, combined deterministically so that item n always reads the same.
/// </summary>
internal sealed partial class TextPool
{
    private readonly string[] titles;
    private readonly string[] summaries;

    private TextPool(string[] titles, string[] summaries, string[] onTopic)
    {
        this.titles = titles;
        this.summaries = summaries;
        OnTopic = onTopic;
    }

    /// <summary>Headlines labelled T (about the talks): items built from these are likely on-topic.</summary>
    public IReadOnlyList<string> OnTopic { get; }

    public int Titles => titles.Length;

    public static TextPool Load()
    {
        var labels = File.ReadLines(SharedData.PathOf("data/headlines/labels-dev.tsv")).Skip(1)
            .Select(l => l.Split('\t')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        var titles = new List<string>();
        var onTopic = new List<string>();
        foreach (var line in File.ReadLines(SharedData.PathOf("data/headlines/headlines.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            var title = json.RootElement.GetProperty("title").GetString() ?? "";
            titles.Add(title);
            if (labels.GetValueOrDefault(json.RootElement.GetProperty("id").GetRawText()) == "T")
            {
                onTopic.Add(title);
            }
        }

        var summaries = new List<string>();
        foreach (var file in Corpus.RealFeedFiles())
        {
            foreach (var item in CodeHollowReader.ReadFromByteArray(File.ReadAllBytes(file)).Items)
            {
                var text = WebUtility.HtmlDecode(Tags().Replace(item.Description ?? item.Content ?? "", " "));
                text = Spaces().Replace(text, " ").Trim();
                if (text.Length >= 40)
                {
                    summaries.Add(text.Length > 600 ? text[..600] : text);
                }
            }
        }

        return new TextPool([.. titles], [.. summaries], [.. onTopic]);
    }

    /// <summary>Item n: a headline, and a summary drawn from elsewhere in the pool (so pairs rarely repeat).</summary>
    public (string Title, string Summary) Item(long n)
    {
        var title = titles[(int)(n % titles.Length)];
        var summary = summaries[(int)((n * 7919 + n / titles.Length) % summaries.Length)];
        return (title, summary);
    }

    public string Summary(long n) => summaries[(int)(n % summaries.Length)];

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
