using Digest.Core;
using Digest.Core.Commands;
using Digest.Core.Delivery;
using Digest.Core.Pipeline;
using Digest.Discord;
using Digest.Embeddings;
using Digest.Storage;
using Digest.Telegram;
using Digest.Web;
using Digest.Worker.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Quartz;

namespace Digest.Worker.Hosting;

/// <summary>What a verb needs from the host: the long-running scheduler, or only the pipeline.</summary>
internal enum HostMode
{
    /// <summary>The pipeline and store, no scheduler: <c>once</c>, <c>status</c>.</summary>
    Tool,

    /// <summary>Everything: Quartz, chat adapters, the console channel.</summary>
    Bot,
}

/// <summary>The one composition root: configuration, logging, and every project's <c>AddDigestXxx</c>.</summary>
internal static class DigestHost
{
    /// <summary>
    /// How long a stop (SIGTERM, Ctrl-C) may take in all: every service's StopAsync shares it. Work in flight gets
    /// <see cref="ShutdownGrace.Grace"/> of it to finish, then is released.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The config folder: <c>DIGEST_CONFIG_DIR</c>, else <c>config/</c> next to the executable.</summary>
    public static string ConfigDirectory() =>
        Environment.GetEnvironmentVariable("DIGEST_CONFIG_DIR") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "config");

    public static IHost Build(HostMode mode, IReadOnlyList<string> configurationArgs, TextWriter stdout, string consoleFormat, bool verbose = false, string? configDirectory = null, Action<IServiceCollection>? overrides = null)
    {
        configDirectory ??= ConfigDirectory();
        if (!File.Exists(Path.Combine(configDirectory, "appsettings.json")))
        {
            throw new InvalidDataException($"no appsettings.json in the config folder {Path.GetFullPath(configDirectory)} (DIGEST_CONFIG_DIR names another; the repository's config/ is copied next to the program)");
        }

        var environment = Environment.GetEnvironmentVariable("DIGEST_ENVIRONMENT") ?? Environments.Production;

        // The bot is one web host (health, metrics, chat endpoints, pages: Digest.Web); the tools need no server.
        var web = mode == HostMode.Bot
            ? WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = environment })
            : null;
        IHostApplicationBuilder builder = web is not null
            ? web
            : Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = environment });

        builder.Configuration
            .AddJsonFile(Path.Combine(configDirectory, "appsettings.json"), optional: false, reloadOnChange: false)
            .AddJsonFile(Path.Combine(configDirectory, $"appsettings.{builder.Environment.EnvironmentName}.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("DIGEST_")
            .AddCommandLine([.. configurationArgs]);

        // Standard output carries the digest; logs go to standard error.
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        // A failed start is reported by the CLI in one line that names the key; the host's own stack trace is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        if (mode == HostMode.Tool && !verbose)
        {
            builder.Logging.AddFilter((category, level) => level >= LogLevel.Warning);

            // `once` says each failed feed itself, in one line (README: one line per feed); the poller's warning would be a second.
            builder.Logging.AddFilter(typeof(FeedPoller).FullName, LogLevel.Error);
        }

        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        // Signals are the CLI's (Program.cs): its token stops the host, and a second Ctrl-C still ends the process.
        services.AddSingleton<IHostLifetime, CliLifetime>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WorkerExit>();
        services.AddSingleton(new ConsoleOutput(stdout, consoleFormat));
        services.AddSingleton<ICron, QuartzCron>();
        services.AddChatModel();
        services.AddDigestCore(configDirectory);
        services.AddDigestStorage();
        services.AddDigestEmbeddings(() => GlibcMalloc.Trim());
        services.AddHostedService<NativeHeapTrimmer>();

        if (mode == HostMode.Bot)
        {
            // Delivery first: it stops last, so what the jobs and the chat adapters queue while stopping is still sent.
            services.AddDigestDelivery();
            services.AddDigestJobs(builder.Configuration);
            services.AddDigestCommands();
            services.AddDigestTelegram(builder.Configuration);
            services.AddDigestDiscord(builder.Configuration).AddDigestDiscordCommands();
            services.AddHostedService<DatabaseWatchdog>();
            web!.AddDigestWeb();
        }

        overrides?.Invoke(services);
        return web is not null ? web.Build().UseDigestWeb() : ((HostApplicationBuilder)builder).Build();
    }
}

/// <summary>The host's lifetime without signal handlers of its own: the CLI's cancellation token stops it.</summary>
internal sealed class CliLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
