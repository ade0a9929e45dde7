using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Digest.Harness.Infrastructure;

/// <summary>
/// A pass-through proxy (Kestrel on 127.0.0.1:0) between the bot and a fake platform, for kills aimed at sends in
/// flight: it knows which sends are in flight, and when armed it forwards a send to the fake (so the platform has it)
/// but holds the answer back, so the harness can kill the bot before it hears that the send went through.
/// </summary>
internal sealed class HoldingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive" };
    private readonly WebApplication app;
    private readonly string target;
    private readonly Func<HttpRequest, bool> isSend;
    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, PooledConnectionLifetime = TimeSpan.FromMinutes(1) });
    private readonly Lock gate = new();
    private TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool armed;
    private int inFlight;

    private HoldingProxy(WebApplication app, string target, Func<HttpRequest, bool> isSend)
    {
        this.app = app;
        this.target = target.TrimEnd('/');
        this.isSend = isSend;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Sends forwarded and not yet answered to the bot.</summary>
    public int SendsInFlight => Volatile.Read(ref inFlight);

    public static async Task<HoldingProxy> StartAsync(string target, Func<HttpRequest, bool> isSend)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new HoldingProxy(app, target, isSend);
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        proxy.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return proxy;
    }

    /// <summary>From now on, the next sends reach the fake but their answers are held; completes when one is held.</summary>
    public Task ArmAsync()
    {
        lock (gate)
        {
            armed = true;
            held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return held.Task;
        }
    }

    /// <summary>Stops holding, and lets held answers go (to a bot that is usually dead by then).</summary>
    public void Release()
    {
        lock (gate)
        {
            armed = false;
            release.TrySetResult();
            release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var send = isSend(request);
        if (send)
        {
            Interlocked.Increment(ref inFlight);
        }

        try
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            using var forward = new HttpRequestMessage(new HttpMethod(request.Method), target + request.Path + request.QueryString);
            if (body.Length > 0 || request.ContentType is not null)
            {
                forward.Content = new ByteArrayContent(body.ToArray());
            }

            foreach (var (name, values) in request.Headers)
            {
                if (HopHeaders.Contains(name))
                {
                    continue;
                }

                if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                {
                    forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }

            // Forwarded whatever happens to the bot: once the fake has it, the platform has it.
            using var response = await client.SendAsync(forward, CancellationToken.None);
            var payload = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            Task? hold = null;
            if (send)
            {
                lock (gate)
                {
                    if (armed)
                    {
                        hold = release.Task;
                        held.TrySetResult();
                    }
                }
            }

            if (hold is not null)
            {
                await Task.WhenAny(hold, Task.Delay(Timeout.Infinite, context.RequestAborted));
                if (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
            }

            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopHeaders.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await context.Response.Body.WriteAsync(payload, context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The bot went away mid-request (killed); the fake has what it was sent.
        }
        finally
        {
            if (send)
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await app.StopAsync();
        await app.DisposeAsync();
        client.Dispose();
    }
}
