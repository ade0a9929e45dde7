using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Digest.Core.Feeds;
using Digest.Core.Items;

namespace Digest.Core.Tests.Feeds;

/// <summary>
/// The Universal Feed Parser's test feeds (shared/data/feeds/feedparser), read in place: every <c>Expect:</c> that
/// applies to what Digest keeps is evaluated (<see cref="FeedparserExpectation"/>), and every document, whatever it is,
/// must give a feed or a reason — never an exception. Set DIGEST_FEED_REPORT to a file to get the per-folder table and
/// each failure.
/// </summary>
public sealed partial class FeedConformanceTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// node rss-parser 3.13 on the same files (each read as UTF-8 and given to parseString; feeds from which it returned
    /// at least one item): see the README's "Feeds" section for the script.
    /// </summary>
    private const int RssParserFeedparserFeeds = 1130;

    private const int RssParserRealFeeds = 48;

    /// <summary>
    /// Where Digest reads a test differently on purpose. Each is counted apart ("differ") and listed in the report; any
    /// other failed expectation fails the test.
    /// </summary>
    private static readonly (string Pattern, string Reason)[] Differences =
    [
        (@"^encoding/http_text_.*(default|encoding|bogus_charset|bogus_param|qs)\.xml$",
            "RFC 3023 made text/* without a charset us-ascii; RFC 7303, which replaced it, reads the BOM and the declaration, as Digest does"),
        (@"^illformed/chardet/", "nothing declares the encoding and feedparser guesses it statistically (chardet); Digest reads UTF-8, or windows-1252 when that is not valid, and says so"),
        (@"^wellformed/base/http_entry_id_base_", "an entry id is a name, not a link: Digest keeps it as written"),
        (@"^encoding/demoronize-3\.xml$", "a character reference escaped as text (&amp;#146;) stays text"),
        (@"^wellformed/rss/item_(description_and_summary|summary_and_description)\.xml$", "with both an RSS description and a summary, Digest takes the longer text, not feedparser's pick"),
        (@"^wellformed/sanitize/.*(crazy|iframe|nested_cdata|not_a_doctype|unexpected_character|malicious_comment)", "sanitizer output: Digest turns HTML into the text a browser shows (iframe and script content are not text; comments end only at -->), feedparser keeps more"),
        (@"^wellformed/rss/item_description_not_a_doctype\.xml$", "sanitizer output, as above"),
    ];

    [Fact]
    public void Feedparser_ExpectationsDigestKeeps_Hold()
    {
        var root = SharedData.PathOf("data/feeds/feedparser");
        var tally = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        var failures = new List<string>();
        var differences = new List<string>();
        var crashes = new List<string>();
        foreach (var file in Files(root))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var folder = relative.Contains('/', StringComparison.Ordinal) ? relative[..relative.LastIndexOf('/')] : "(top)";
            var counts = tally.TryGetValue(folder, out var c) ? c : tally[folder] = new int[4];
            var body = File.ReadAllBytes(file);
            var header = Header(body);
            ParsedFeed parsed;
            try
            {
                parsed = FeedParser.Parse(body, header.Charset, DocumentUri(relative, header.ContentLocation), null);
                _ = FeedIngest.Read(body, header.Charset, DocumentUri(relative, header.ContentLocation), Now);
            }
            catch (Exception e)
            {
                crashes.Add($"{relative}: {e.GetType().Name}: {e.Message}");
                counts[(int)Verdict.Fail]++;
                continue;
            }

            var (verdict, detail) = header.Expect is { } expect ? FeedparserExpectation.Evaluate(expect, parsed) : (Verdict.Skip, null);
            if (verdict == Verdict.Fail && Differences.FirstOrDefault(d => Regex.IsMatch(relative, d.Pattern)) is { Reason: { } reason })
            {
                counts[3]++;
                differences.Add($"{relative}: {detail} — {reason}");
                continue;
            }

            counts[(int)verdict]++;
            if (verdict == Verdict.Fail)
            {
                failures.Add($"{relative}: {detail}{(parsed.Error is { } error ? $" [error: {error}]" : "")}");
            }
        }

        var report = new StringBuilder();
        report.AppendLine("| folder | pass | fail | differ | skip |").AppendLine("|---|---|---|---|---|");
        foreach (var (folder, counts) in tally)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {folder} | {counts[0]} | {counts[1]} | {counts[3]} | {counts[2]} |");
        }

        var total = tally.Values.Aggregate(new int[4], (sum, c) => [sum[0] + c[0], sum[1] + c[1], sum[2] + c[2], sum[3] + c[3]]);
        report.AppendLine(CultureInfo.InvariantCulture, $"| total | {total[0]} | {total[1]} | {total[3]} | {total[2]} |");
        report.AppendLine().AppendLine("failures:");
        failures.ForEach(f => report.AppendLine(f));
        report.AppendLine().AppendLine("deliberate differences:");
        differences.ForEach(f => report.AppendLine(f));
        Write("conformance", report.ToString());

        crashes.ShouldBeEmpty();
        failures.ShouldBeEmpty();
        total[0].ShouldBeGreaterThan(1000);
    }

    [Theory]
    [InlineData("data/feeds/feedparser", RssParserFeedparserFeeds)]
    [InlineData("data/feeds/real", RssParserRealFeeds)]
    public void Corpus_ItemsReadFromAtLeastAsManyFeedsAsRssParser(string corpus, int rssParser)
    {
        var root = SharedData.PathOf(corpus);
        var withEntries = 0;
        var withItems = 0;
        var report = new StringBuilder();
        foreach (var file in Files(root))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var body = File.ReadAllBytes(file);
            var header = Header(body);
            var documentUri = DocumentUri(relative, header.ContentLocation);
            var parsed = FeedParser.Parse(body, header.Charset, documentUri, null);
            var items = FeedIngest.Read(body, header.Charset, documentUri, Now);
            withEntries += parsed.Items.Count > 0 ? 1 : 0;
            withItems += items.Items.Count > 0 ? 1 : 0;
            report.AppendLine(CultureInfo.InvariantCulture, $"{relative}\t{parsed.Items.Count}\t{items.Items.Count}\t{parsed.Error}");
        }

        // Entries read is what rss-parser counts (it returns an item for every <item>, even one with nothing in it);
        // items are what Digest then keeps: an entry with no title, no text and no link has nothing to show.
        Write(Path.GetFileName(corpus), report.Insert(0, $"{withEntries} feeds with entries read, {withItems} with items kept (rss-parser: {rssParser})\n").ToString());
        withEntries.ShouldBeGreaterThanOrEqualTo(rssParser);
    }

    private static IEnumerable<string> Files(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories)
        .Where(f => !Path.GetFileName(f).Equals("LICENSE", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    /// <summary>The address feedparser's own test server gives each file (the base its expected links were written against).</summary>
    private static Uri DocumentUri(string relative, string? contentLocation)
    {
        var served = new Uri($"http://127.0.0.1:8097/tests/{relative}");
        return contentLocation is not null && Uri.TryCreate(served, contentLocation, out var location) && location.Scheme is "http" or "https" ? location : served;
    }

    private sealed record TestHeader(string? Expect, string? Charset, string? ContentLocation);

    /// <summary>The test's leading comment: Expect:, and the HTTP headers it assumes (Header: Content-type: …; charset=…).</summary>
    private static TestHeader Header(byte[] body)
    {
        var head = DecodeHead(body);
        string? Value(Regex regex) => regex.Match(head) is { Success: true } m ? m.Groups[1].Value.Trim() : null;
        return new TestHeader(Value(ExpectLine()), Value(HeaderCharset()), Value(ContentLocation()));
    }

    private static string DecodeHead(byte[] body)
    {
        var length = Math.Min(body.Length, 2000);
        if (length >= 2 && ((body[0] == 0 && body[1] != 0) || (body[0] == 0xFE && body[1] == 0xFF)))
        {
            return Encoding.BigEndianUnicode.GetString(body, 0, length & ~1);
        }

        if (length >= 4 && body[1] == 0 && body[2] == 0 && body[3] == 0)
        {
            return Encoding.UTF32.GetString(body, 0, length & ~3);
        }

        if (length >= 4 && body[0] == 0 && body[1] == 0)
        {
            return new UTF32Encoding(true, false).GetString(body, 0, length & ~3);
        }

        return length >= 2 && (body[1] == 0 || (body[0] == 0xFF && body[1] == 0xFE))
            ? Encoding.Unicode.GetString(body, 0, length & ~1)
            : Encoding.Latin1.GetString(body, 0, length);
    }

    private static void Write(string name, string text)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(text.Length > 4000 ? text[..4000] : text);
        if (Environment.GetEnvironmentVariable("DIGEST_FEED_REPORT") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, name + ".txt"), text);
        }
    }

    [GeneratedRegex(@"Expect:\s*(.+?)\s*(?:\r?\n|-->)")]
    private static partial Regex ExpectLine();

    [GeneratedRegex(@"Header:\s*Content-type:[^\r\n]*charset\s*=\s*['""]?([A-Za-z0-9._-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderCharset();

    [GeneratedRegex(@"Header:\s*Content-Location:\s*(\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex ContentLocation();
}
