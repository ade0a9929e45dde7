using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Digest.Discord.Tests.TestSupport;
using Digest.Harness.Infrastructure;
using Digest.Telegram.Tests.TestSupport;

namespace Digest.Harness.Scenarios;

/// <summary>
/// A Discord API that accepts connections and never answers (a TCP listener that reads nothing and writes nothing):
/// the bot's own start-up calls (bot token set) and a webhook-bound Discord channel's digests every 15 s go there, while
/// Telegram is on the fake Bot API and the console channel has a digest every 15 s, while a feed adds an on-topic item
/// every 5 s (its title carrying a code, as in the chaos scenario). Does <c>digest run</c> stay up,
/// and do the console and Telegram go on — do the console's digests keep showing new items? A calm set-up run against
/// the Discord fake binds the channel first.
/// </summary>
internal static partial class HangingScenario
{
    private const long Chat = 3003;
    private static readonly string[] FeedArguments = ["--Feeds:AllowPrivateAddresses=true", "--Summarization:FullText:Enabled=false"];

    public static async Task<Report> RunAsync(HarnessOptions options)
    {
        var duration = options.Seconds("--duration", 150, 75);
        var report = new Report($"hanging: a Discord API that never answers, for {duration.TotalSeconds:0} s");
        using var workspace = new Workspace("hanging", options.Keep);
        // Item j is published about when it appears (3 at the start, one every 5 s): a digest shows news of the last two
        // days only, so items dated long ago would be left out of every digest after the first.
        var every = TimeSpan.FromSeconds(5);
        await using var farm = await FeedFarm.StartAsync(1, 3, TextPool.Load(), (_, j) => ChaosScenario.Item(j), TimeProvider.System.GetUtcNow() - every * 3, every, window: 100);
        workspace.WriteConfig(settings => Workspace.SetFeeds(settings, [farm.FeedUrl(0)], TimeSpan.FromSeconds(10)));
        var storage = BotStorage.Sqlite(workspace.PathOf("digest.db"));
        await using var telegram = await FakeTelegramServer.StartAsync();
        using var hanging = new TcpListener(IPAddress.Loopback, 0);
        hanging.Start();
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = AcceptForeverAsync(hanging, held, stop.Token);
        var port = ((IPEndPoint)hanging.LocalEndpoint).Port;

        var discord = await FakeDiscord.StartAsync();
        try
        {
            Progress.Say("set-up run: a Discord channel bound to a webhook, digests every 15 s");
            await using var setup = DigestProcess.Start("run",
            [
                .. storage.Arguments, .. TelegramBot.Arguments(telegram.BaseUrl), .. FeedArguments,
                $"--Discord:BotToken={FakeDiscord.BotToken}", $"--Discord:ApiBaseUrl={discord.ApiUrl}", "--Discord:DefaultSchedule=0/15 * * * * ?",
            ], workspace.Environment, options.Echo);
            await DiscordBinding.BindWebhookAsync(discord, setup);
            await setup.TerminateAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await DiscordBinding.DisposeQuietlyAsync(discord);
        }

        // Two runs of half the duration each: the first meets the hanging API with nothing pending; the second starts
        // (after a kill -9, as a crash or an impatient operator would) with the Discord digests the first could not send.
        string[] hangingArgs =
        [
            .. storage.Arguments, .. TelegramBot.Arguments(telegram.BaseUrl), .. FeedArguments,
            "--Discord:BotToken=harness-token", $"--Discord:ApiBaseUrl=http://127.0.0.1:{port}/api/v10",
            "--Digest:ConsoleSchedule=0/15 * * * * ?",
            .. options.BotSettings(),
        ];
        using var stopAdding = new CancellationTokenSource();
        var adding = ChaosScenario.AddItemsAsync(farm, every, stopAdding.Token);
        foreach (var run in (string[])["first run", "after a restart"])
        {
            Progress.Say($"digest run ({run}) with the Discord API at a listener that never answers, for {duration.TotalSeconds / 2:0} s");
            await using var bot = DigestProcess.Start("run", hangingArgs, workspace.Environment, options.Echo);
            var half = duration / 2;
            var clock = Stopwatch.StartNew();
            var asked = 0;
            var latency = new Latency();
            while (clock.Elapsed < half && !bot.HasExited)
            {
                await Task.Delay(TimeSpan.FromSeconds(10));
                if (bot.HasExited)
                {
                    break;
                }

                asked++;
                if ((await TelegramBot.AskAsync(telegram, Chat, "/help", TimeSpan.FromSeconds(10))).Took is { } t)
                {
                    latency.Add(t);
                }
            }

            var up = !bot.HasExited;
            var digests = bot.Output.Where(l => l.Text.StartsWith("Digest — ", StringComparison.Ordinal)).ToList();
            var lateDigests = digests.Count(l => l.At >= half / 2);
            // Items are coded H0000…: the codes the console showed in the run's second half are items that went on
            // arriving while Discord hung.
            var lateCodes = bot.Output.Where(l => l.At >= half / 2).SelectMany(l => ItemCode().Matches(l.Text)).Select(m => m.Value).Distinct().Count();
            report.Add($"{run}: digest run still up after {half.TotalSeconds:0} s", up ? "yes" : $"no: exit {bot.ExitCode} after {bot.Elapsed.TotalSeconds:0} s", "yes", up);
            report.Add($"{run}: Telegram /help answered (every 10 s, 10 s limit)", $"{latency.Count} of {asked}" + (latency.Count > 0 ? $" ({latency.Summary()})" : ""), $"{asked} of {asked}", asked > 0 && latency.Count == asked);
            report.Add($"{run}: console digests printed (schedule every 15 s; new items every 5 s)", $"{digests.Count} ({lateDigests} in the second half)", "≥ 1 in the second half", lateDigests > 0);
            report.Add($"{run}: new items the console showed in the second half", lateCodes, "", "0");
            if (!up)
            {
                var crash = bot.Errors.Select(l => l.Text).FirstOrDefault(l => l.StartsWith("Unhandled exception", StringComparison.Ordinal));
                report.Note($"{run}: how it ended: " + (crash ?? bot.Tail(4).Replace('\n', ' ')));
            }

            await bot.KillAsync();
        }

        await stopAdding.CancelAsync();
        await adding;
        report.Add("connections the hanging Discord API accepted", held.Count, "", "0");
        await stop.CancelAsync();
        hanging.Stop();
        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        foreach (var client in held)
        {
            client.Dispose();
        }

        return report;
    }

    /// <summary>Accepts every connection and keeps it open without reading or writing a byte.</summary>
    private static async Task AcceptForeverAsync(TcpListener listener, List<TcpClient> held, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            lock (held)
            {
                held.Add(client);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bH\d{4}\b")]
    private static partial System.Text.RegularExpressions.Regex ItemCode();
}
