using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Digest.Worker.Tests.TestSupport;

/// <summary>A real HTTP server on 127.0.0.1 serving files with ETags and Last-Modified, answering 304 to conditional requests.</summary>
public sealed class FeedServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (byte[] Body, string ContentType)> files = new();

    public ConcurrentQueue<(string Path, int Status)> Requests { get; } = new();

    private FeedServer(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<FeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FeedServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public string Serve(string path, byte[] body, string contentType)
    {
        files[path] = (body, contentType);
        return BaseUrl + path;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (!files.TryGetValue(path, out var file))
        {
            context.Response.StatusCode = 404;
            Requests.Enqueue((path, 404));
            return;
        }

        var etag = "\"" + Convert.ToHexString(SHA256.HashData(file.Body))[..16] + "\"";
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.StatusCode = 304;
            Requests.Enqueue((path, 304));
            return;
        }

        context.Response.Headers.ETag = etag;
        context.Response.Headers.LastModified = "Mon, 22 Dec 2025 12:00:00 GMT";
        context.Response.ContentType = file.ContentType;
        Requests.Enqueue((path, 200));
        await context.Response.Body.WriteAsync(file.Body);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
