using System.IO.Compression;
using System.Text;
using Digest.Core.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Digest.Core.Tests.Feeds;

/// <summary>One local server with a good feed and every hostile one the fetcher must survive.</summary>
public sealed class FeedServerFixture : IAsyncLifetime
{
    public const long HugeBodyBytes = 50L * 1024 * 1024;
    public const string ETag = "\"harbour-v1\"";
    public static readonly DateTimeOffset LastModified = new(2025, 3, 4, 10, 0, 0, TimeSpan.Zero);

    private static readonly byte[] Good = Encoding.UTF8.GetBytes(SampleFeeds.GoodRss);
    private static readonly Lazy<byte[]> GzipBomb = new(MakeGzipBomb);
    private readonly TaskCompletionSource<long> hugeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int guardedHits;
    private LocalServer? server;

    public LocalServer Server => server ?? throw new InvalidOperationException("not started");

    /// <summary>How many bytes of the 50 MB body the server got out before the client hung up.</summary>
    public Task<long> HugeBodySent => hugeSent.Task;

    /// <summary>Requests that reached <c>/guarded</c>, which the address guard must stop before they are sent.</summary>
    public int GuardedHits => Volatile.Read(ref guardedHits);

    public string? LastUserAgent { get; private set; }

    public string? LastIfNoneMatch { get; private set; }

    public string? LastIfModifiedSince { get; private set; }

    /// <summary>The gzip bomb as sent: small on the wire, 64 MB once inflated.</summary>
    public static int GzipBombCompressedLength => GzipBomb.Value.Length;

    public async ValueTask InitializeAsync() => server = await LocalServer.StartAsync(app =>
    {
        app.MapGet("/good.xml", (HttpContext context) =>
        {
            LastUserAgent = context.Request.Headers.UserAgent;
            return Results.Bytes(Good, "application/rss+xml");
        });
        app.MapGet("/billion-laughs.xml", () => Results.Text(SampleFeeds.BillionLaughs, "application/rss+xml"));
        app.MapGet("/external-entity.xml", () => Results.Text(SampleFeeds.ExternalEntity, "application/rss+xml"));
        app.MapGet("/malformed.xml", () => Results.Text(SampleFeeds.Malformed, "application/rss+xml"));
        app.MapGet("/huge.xml", StreamHugeAsync);
        app.MapGet("/bomb.xml", (HttpContext context) =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            return Results.Bytes(GzipBomb.Value, "application/rss+xml");
        });
        app.MapGet("/stall.xml", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(SampleFeeds.FeedStart, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        });
        app.MapGet("/loop", () => Results.Redirect("/loop"));
        app.MapGet("/hops/{n:int}", (int n) => n == 0 ? Results.Redirect("/good.xml") : Results.Redirect($"/hops/{n - 1}"));
        app.MapGet("/conditional.xml", (HttpContext context) =>
        {
            LastIfNoneMatch = context.Request.Headers.IfNoneMatch;
            LastIfModifiedSince = context.Request.Headers.IfModifiedSince;
            context.Response.Headers.ETag = ETag;
            context.Response.Headers.LastModified = LastModified.ToString("R");
            return LastIfNoneMatch == ETag ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Bytes(Good, "application/rss+xml");
        });
        app.MapGet("/compressed/{encoding}", (string encoding, HttpContext context) =>
        {
            context.Response.Headers.ContentEncoding = encoding;
            return Results.Bytes(Compress(Good, encoding), "application/rss+xml");
        });
        app.MapGet("/guarded", () =>
        {
            Interlocked.Increment(ref guardedHits);
            return Results.Bytes(Good, "application/rss+xml");
        });
    });

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Fifty megabytes of items, written as fast as the client reads, counting what got out.</summary>
    private async Task StreamHugeAsync(HttpContext context)
    {
        long sent = 0;
        try
        {
            context.Response.ContentType = "application/rss+xml";
            var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<item><title>More of the same</title></item>\n", 1400)));
            await context.Response.Body.WriteAsync("<rss version=\"2.0\"><channel><title>Endless</title>\n"u8.ToArray(), context.RequestAborted);
            while (sent < HugeBodyBytes)
            {
                // Kestrel drops writes to a closed connection silently and signals RequestAborted from the thread pool:
                // yield so that signal is seen before the next chunk, or the loop would "send" the rest into the void.
                var flush = await context.Response.BodyWriter.WriteAsync(chunk, context.RequestAborted);
                await Task.Yield();
                if (flush.IsCompleted || context.RequestAborted.IsCancellationRequested)
                {
                    break;
                }

                sent += chunk.Length;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client hung up: that is the point.
        }
        finally
        {
            hugeSent.TrySetResult(sent);
        }
    }

    private static byte[] MakeGzipBomb()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write("<rss version=\"2.0\"><channel><title>Bomb</title><description>"u8);
            var spaces = new byte[1024 * 1024];
            spaces.AsSpan().Fill((byte)' ');
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(spaces);
            }

            gzip.Write("</description></channel></rss>"u8);
        }

        return output.ToArray();
    }

    private static byte[] Compress(byte[] body, string encoding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Optimal),
            "deflate" => new ZLibStream(output, CompressionLevel.Optimal),
            "br" => new BrotliStream(output, CompressionLevel.Optimal),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown content coding"),
        })
        {
            compressor.Write(body);
        }

        return output.ToArray();
    }
}
