using Digest.Core;
using Digest.Core.Delivery;
using Digest.Core.Telemetry;
using Digest.Discord.Interactions;
using Digest.Telegram;
using Digest.Web.Auth;
using Digest.Web.Health;
using Digest.Web.Public;
using Digest.Web.Telemetry;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Digest.Web;

/// <summary>
/// The bot's one web host, inside <c>digest run</c>: health and readiness, Prometheus metrics, the Discord interactions
/// endpoint, the Telegram webhook, the public pages and feeds, and the moderators' panel. Kestrel listens on
/// <c>Web:Urls</c>.
/// </summary>
internal static partial class WebSetup
{
    /// <summary>Kestrel on <c>Web:Urls</c> and the web services. The host must also register the command core and the chat adapters.</summary>
    public static WebApplicationBuilder AddDigestWeb(this WebApplicationBuilder builder)
    {
        var urls = builder.Configuration[$"{WebOptions.SectionName}:{nameof(WebOptions.Urls)}"] is { Length: > 0 } configured ? configured : WebOptions.DefaultUrls;
        builder.WebHost.UseKestrelCore().UseUrls(WebOptions.SplitUrls(urls).ToArray());
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

        var services = builder.Services;
        services.AddValidatedOptions<WebOptions>(WebOptions.SectionName);
        services.AddRoutingCore();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<ChatConnectionsHealthCheck>("chat", tags: [HealthEndpoints.ReadyTag]);

        var otlp = builder.Configuration[$"{WebOptions.SectionName}:{nameof(WebOptions.OtlpEndpoint)}"];
        var telemetry = services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(DigestMetrics.MeterName).AddAspNetCoreInstrumentation().AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(otlp) && Uri.TryCreate(otlp, UriKind.Absolute, out var endpoint))
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddOtlpExporter(o => o.Endpoint = endpoint));
        }

        services.AddHostedService<QueueDepthSampler>();

        // Moderators' sessions: an HttpOnly cookie, SameSite=Lax (the logins come back from telegram.org and discord.com as
        // top-level navigations), Secure whenever the request is https; its keys are shared through Web:KeysDirectory.
        var sessionLifetime = builder.Configuration.GetValue<TimeSpan?>($"{WebOptions.SectionName}:{nameof(WebOptions.SessionLifetime)}") ?? TimeSpan.FromHours(8);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "digest_session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = sessionLifetime;
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
        });
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "digest_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        var protection = services.AddDataProtection().SetApplicationName("digest");
        if (builder.Configuration[$"{WebOptions.SectionName}:{nameof(WebOptions.KeysDirectory)}"] is { Length: > 0 } keys)
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        services.AddHttpClient(DiscordOAuth.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<DiscordOAuth>();
        services.AddSingleton<ModeratorAccess>();

        // Server-rendered pages (Razor Pages, compiled into this assembly): readable without JavaScript, nothing from another host.
        services.AddRazorPages(o => o.Conventions.AuthorizeFolder("/Admin")).ConfigureApplicationPartManager(parts =>
        {
            if (!parts.ApplicationParts.Any(p => p.Name == typeof(WebSetup).Assembly.GetName().Name))
            {
                parts.ApplicationParts.Add(new CompiledRazorAssemblyPart(typeof(WebSetup).Assembly));
                parts.ApplicationParts.Add(new AssemblyPart(typeof(WebSetup).Assembly));
            }
        });
        services.AddSingleton<LatestStories>();
        return builder;
    }

    private const string NotFoundPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not found — Digest</title></head>
        <body style="font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem">
        <h1>404 — nothing here</h1>
        <p>There is no such page or story. A story merged into another leads there; one that never was, nowhere.</p>
        <p><a href="/">The latest stories</a></p>
        </body>
        </html>

        """;

    /// <summary>Maps every endpoint of the web host; call on the built application.</summary>
    public static WebApplication UseDigestWeb(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebSetup).FullName!);

        // A database that cannot be read for now (PostgreSQL down, the SQLite file gone) makes the service unavailable, not
        // the page broken: 503 with Retry-After, as a proxy or a feed reader expects, and one log line instead of a 500's trace.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && DatabaseFault(e) is { } fault)
            {
                LogDatabaseUnavailable(logger, context.Request.Path, fault.Message.Split('\n', 2)[0]);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "15";
                await context.Response.WriteAsync("The database is unavailable for now; try again in a moment.\n", context.RequestAborted);
            }
        });
        // A page that is not there says so, in a page a reader can go on from; other empty error answers (an API's 401 or
        // 400) stay as they are.
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.StatusCode == StatusCodes.Status404NotFound && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
            {
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync(NotFoundPage, http.RequestAborted);
            }
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDigestHealth();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapDiscordInteractions();
        app.MapTelegramWebhook();
        app.MapPublicFeeds();
        app.MapDigestAuth();
        app.MapRazorPages();

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            app.Services.GetRequiredService<DigestMetrics>().Announce(app.Services.GetServices<IChannelPublisher>().Select(p => p.Platform));
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            LogListening(logger, addresses);
        });
        return app;
    }

    /// <summary>Where the host listens, once it does (with <c>:0</c> in Web:Urls, the port it was given).</summary>
    public static IReadOnlyList<string> Addresses(this IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static System.Data.Common.DbException? DatabaseFault(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException db)
            {
                return db;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} answered 503: the database is unavailable ({Fault})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string path, string fault);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web host listening on {Addresses} (/healthz, /readyz, /metrics, /, /admin)")]
    private static partial void LogListening(ILogger logger, IEnumerable<string> addresses);
}
