using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Digest.Harness.Infrastructure;

/// <summary>
/// A loopback feed farm on Kestrel (127.0.0.1:0): <c>/feeds/{n}.xml</c> for n in [0, feeds), each an RSS 2.0 feed of its
/// latest items (unique guids and links, text from <see cref="TextPool"/>), with an ETag and a Last-Modified that change
/// only when items are added: a conditional GET of an unchanged feed gets 304. Counts what it served, per feed.
/// </summary>
internal sealed class FeedFarm : IAsyncDisposable
{
    private static readonly DateTimeOffset DefaultEpoch = new(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly WebApplication app;
    private readonly TextPool text;
    private readonly int window;
    private readonly int[] itemCount;
    private readonly int[] version;
    private readonly int[] fullResponses;
    private readonly int[] notModified;
    private readonly Func<int, int, (string Title, string Summary)>? writer;
    private readonly DateTimeOffset epoch;
    private readonly TimeSpan spacing;

    private FeedFarm(WebApplication app, int feeds, int itemsPerFeed, TextPool text, Func<int, int, (string, string)>? writer, DateTimeOffset? epoch, TimeSpan? spacing, int? window)
    {
        this.epoch = epoch ?? DefaultEpoch;
        this.spacing = spacing ?? TimeSpan.FromMinutes(7);
        this.app = app;
        this.text = text;
        this.writer = writer;
        this.window = window ?? itemsPerFeed;
        itemCount = Enumerable.Repeat(itemsPerFeed, feeds).ToArray();
        version = new int[feeds];
        fullResponses = new int[feeds];
        notModified = new int[feeds];
    }

    public string BaseUrl { get; private set; } = "";

    public int Feeds => itemCount.Length;

    /// <summary>Items the farm has published, all feeds together (what the bot should have stored once it read every version).</summary>
    public long ItemsPublished => itemCount.Sum(c => (long)c);

    public long FullResponses => fullResponses.Sum(c => (long)c);

    public long NotModifiedResponses => notModified.Sum(c => (long)c);

    /// <summary>Feeds asked at least <paramref name="times"/> times (200 or 304).</summary>
    public int FeedsRequestedAtLeast(int times) => Enumerable.Range(0, Feeds).Count(i => Volatile.Read(ref fullResponses[i]) + Volatile.Read(ref notModified[i]) >= times);

    /// <summary>When a feed was first asked for the n-th time (harness clock), per round.</summary>
    public Dictionary<int, TimeSpan> FirstRequestOfRound { get; } = [];

    public System.Diagnostics.Stopwatch Clock { get; } = System.Diagnostics.Stopwatch.StartNew();

    public string FeedUrl(int n) => string.Create(CultureInfo.InvariantCulture, $"{BaseUrl}/feeds/{n}.xml");

    /// <param name="writer">Item text by (feed, item index); default: the text pool.</param>
    /// <param name="epoch">When item 0 of each feed was published.</param>
    /// <param name="spacing">How far apart a feed's items were published (default 7 minutes).</param>
    /// <param name="window">How many of its latest items a feed shows (default <paramref name="itemsPerFeed"/>).</param>
    public static async Task<FeedFarm> StartAsync(int feeds, int itemsPerFeed, TextPool text, Func<int, int, (string Title, string Summary)>? writer = null, DateTimeOffset? epoch = null, TimeSpan? spacing = null, int? window = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        var app = builder.Build();
        var farm = new FeedFarm(app, feeds, itemsPerFeed, text, writer, epoch, spacing, window);
        app.MapGet("/feeds/{name}", farm.ServeAsync);
        await app.StartAsync();
        farm.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return farm;
    }

    /// <summary>Publishes <paramref name="count"/> new items in feed <paramref name="feed"/>: a new ETag and Last-Modified.</summary>
    public void AddItems(int feed, int count = 1)
    {
        lock (version)
        {
            itemCount[feed] += count;
            version[feed]++;
        }
    }

    private async Task ServeAsync(HttpContext context, string name)
    {
        if (!name.EndsWith(".xml", StringComparison.Ordinal) || !int.TryParse(name[..^4], NumberStyles.None, CultureInfo.InvariantCulture, out var feed) || feed >= Feeds)
        {
            context.Response.StatusCode = 404;
            return;
        }

        int count, current;
        lock (version)
        {
            count = itemCount[feed];
            current = version[feed];
        }

        var etag = string.Create(CultureInfo.InvariantCulture, $"\"f{feed}-v{current}\"");
        var modified = (DefaultEpoch + TimeSpan.FromMinutes(current)).ToString("r", CultureInfo.InvariantCulture);
        var asked = fullResponses[feed] + notModified[feed] + 1;
        lock (FirstRequestOfRound)
        {
            FirstRequestOfRound.TryAdd(asked, Clock.Elapsed);
        }

        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        var ifModifiedSince = context.Request.Headers.IfModifiedSince.ToString();
        if ((ifNoneMatch.Length > 0 && ifNoneMatch.Contains(etag, StringComparison.Ordinal)) || (ifNoneMatch.Length == 0 && ifModifiedSince == modified))
        {
            Interlocked.Increment(ref notModified[feed]);
            context.Response.StatusCode = 304;
            context.Response.Headers.ETag = etag;
            return;
        }

        context.Response.ContentType = "application/rss+xml; charset=utf-8";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.LastModified = modified;
        await context.Response.WriteAsync(Render(feed, count), context.RequestAborted);
        Interlocked.Increment(ref fullResponses[feed]);
    }

    /// <summary>The feed's latest items, newest first.</summary>
    private string Render(int feed, int count)
    {
        var xml = new StringBuilder(count * 900);
        xml.Append(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Farm feed {feed}</title><link>http://farm{feed}.example/</link><description>Loopback feed {feed}</description>\n");
        for (var j = count - 1; j >= Math.Max(0, count - window); j--)
        {
            var (title, summary) = writer is null ? text.Item((long)feed * 7_777 + j) : writer(feed, j);
            var published = (epoch + spacing * j + TimeSpan.FromMinutes(feed % 60)).ToString("r", CultureInfo.InvariantCulture);
            xml.Append(CultureInfo.InvariantCulture, $"<item><guid isPermaLink=\"false\">farm-{feed}-{j}</guid><title>{Escape(title)}</title><link>http://farm{feed}.example/items/{j}</link><description>{Escape(summary)}</description><pubDate>{published}</pubDate></item>\n");
        }

        xml.Append("</channel></rss>\n");
        return xml.ToString();
    }

    private static string Escape(string value) => System.Security.SecurityElement.Escape(value) ?? "";

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
