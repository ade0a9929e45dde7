using System.Globalization;
using System.Security;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Digest.Telegram.Tests.TestSupport;

/// <summary>An article in the local feed.</summary>
internal sealed record FeedEntry(string Title, string Summary, DateTimeOffset Published, string Slug);

/// <summary>
/// A news site on 127.0.0.1: an HTML front page that advertises its RSS feed with &lt;link rel="alternate"&gt;, and the
/// feed itself, whose items a test adds as the story develops. <see cref="Hold"/> makes the feed answer only once
/// released: a site that is slow to answer.
/// </summary>
internal sealed class FeedServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly List<FeedEntry> entries = [];
    private TaskCompletionSource? held;
    private TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FeedServer(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public string PageUrl => BaseUrl + "/";

    public string FeedUrl => BaseUrl + "/feed.xml";

    public static async Task<FeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FeedServer(app);
        app.MapGet("/", () => Results.Content(
            """<!doctype html><html><head><title>Lakeside Courier</title><link rel="alternate" type="application/rss+xml" title="Lakeside Courier" href="/feed.xml"></head><body>News</body></html>""",
            "text/html; charset=utf-8"));
        app.MapGet("/feed.xml", async (HttpContext context) =>
        {
            TaskCompletionSource? hold;
            lock (server.gate)
            {
                hold = server.held;
                server.reached.TrySetResult();
            }

            if (hold is not null)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }

            return Results.Content(server.Rss(), "application/rss+xml; charset=utf-8");
        });
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public void Add(FeedEntry entry)
    {
        lock (gate)
        {
            entries.Add(entry);
        }
    }

    /// <summary>From now on the feed is answered only after <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (gate)
        {
            held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Completes once the feed has been asked for since the last <see cref="Hold"/>.</summary>
    public Task FeedRequestedAsync()
    {
        lock (gate)
        {
            return reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Answers the requests held and every one after.</summary>
    public void Release()
    {
        lock (gate)
        {
            held?.TrySetResult();
            held = null;
        }
    }

    private string Rss()
    {
        var builder = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Lakeside Courier</title><link>""");
        builder.Append(BaseUrl).Append("/</link><description>Local news</description>");
        lock (gate)
        {
            foreach (var entry in entries)
            {
                builder.Append("<item><title>").Append(SecurityElement.Escape(entry.Title)).Append("</title>")
                    .Append("<link>").Append(BaseUrl).Append("/news/").Append(entry.Slug).Append("</link>")
                    .Append("<guid>").Append(BaseUrl).Append("/news/").Append(entry.Slug).Append("</guid>")
                    .Append("<description>").Append(SecurityElement.Escape(entry.Summary)).Append("</description>")
                    .Append("<pubDate>").Append(entry.Published.ToString("R", CultureInfo.InvariantCulture)).Append("</pubDate></item>");
            }
        }

        return builder.Append("</channel></rss>").ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
