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
/// Telegram is on the fake Bot API and the console channel has a digest every 15 s. Does <c>digest run</c> stay up,
/// and do the console and Telegram go on? A calm set-up run against the Discord fake binds the channel first.
/// </summary>
internal static class HangingScenario
{
    private const long Chat = 3003;

    public static async Task<Report> RunAsync(HarnessOptions options)
    {
        var duration = options.Seconds("--duration", 150, 75);
        var report = new Report($"hanging: a Discord API that never answers, for {duration.TotalSeconds:0} s");
        using var workspace = new Workspace("hanging", options.Keep);
        workspace.WriteConfig(settings => Workspace.SetFeeds(settings, []));
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
                .. storage.Arguments, .. TelegramBot.Arguments(telegram.BaseUrl),
                $"--Discord:BotToken={FakeDiscord.BotToken}", $"--Discord:ApiBaseUrl={discord.ApiUrl}", "--Discord:DefaultSchedule=0/15 * * * * ?",
            ], workspace.Environment, options.Echo);
            await DiscordBinding.BindWebhookAsync(discord, setup);
            await setup.TerminateAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await DiscordBinding.DisposeQuietlyAsync(discord);
        }

        Progress.Say($"digest run with the Discord API at a listener that never answers, for {duration.TotalSeconds:0} s");
        await using var bot = DigestProcess.Start("run",
        [
            .. storage.Arguments, .. TelegramBot.Arguments(telegram.BaseUrl),
            "--Discord:BotToken=harness-token", $"--Discord:ApiBaseUrl=http://127.0.0.1:{port}/api/v10",
            "--Digest:ConsoleSchedule=0/15 * * * * ?",
        ], workspace.Environment, options.Echo);

        var clock = Stopwatch.StartNew();
        var asked = 0;
        var answered = 0;
        var latency = new Latency();
        var answeredLate = 0;
        while (clock.Elapsed < duration && !bot.HasExited)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            if (bot.HasExited)
            {
                break;
            }

            asked++;
            var (took, _) = await TelegramBot.AskAsync(telegram, Chat, "/help", TimeSpan.FromSeconds(10));
            if (took is { } t)
            {
                answered++;
                latency.Add(t);
                answeredLate += clock.Elapsed > duration / 2 ? 1 : 0;
            }
        }

        var up = !bot.HasExited;
        var consoleDigests = bot.Output.Count(l => l.Text.StartsWith("Digest — ", StringComparison.Ordinal));
        var lateDigests = bot.Output.Count(l => l.Text.StartsWith("Digest — ", StringComparison.Ordinal) && l.At > duration / 2);
        report.Add("digest run still up at the end", up ? "yes" : $"no: exit {bot.ExitCode} after {bot.Elapsed.TotalSeconds:0} s", "yes", up);
        report.Add("connections the hanging Discord API accepted", held.Count, "", "0");
        report.Add("Telegram /help answered (every 10 s, 10 s limit)", $"{answered} of {asked} ({latency.Summary()})", $"{asked} of {asked}", asked > 0 && answered == asked);
        report.Add("Telegram /help answered in the second half", answeredLate, "", "0");
        report.Add("console digests printed (schedule every 15 s)", $"{consoleDigests} ({lateDigests} in the second half)", "every 15 s", lateDigests > 0);
        if (!up)
        {
            var crash = bot.Errors.Select(l => l.Text).FirstOrDefault(l => l.StartsWith("Unhandled exception", StringComparison.Ordinal));
            report.Note("How it ended: " + (crash ?? bot.Tail(4).Replace('\n', ' ')));
        }

        await bot.TerminateAsync(TimeSpan.FromSeconds(30));
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
}
