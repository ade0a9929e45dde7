using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Digest.Core.Storage;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Discord.Tests.TestSupport;

/// <summary>What the bot answered to one interaction: the callback type, and the message it ended up showing.</summary>
internal sealed record BotAnswer(int CallbackType, JsonElement Message)
{
    public string Content => Message.TryGetProperty("content", out var content) ? content.GetString() ?? "" : "";

    public bool Ephemeral => Message.TryGetProperty("flags", out var flags) && flags.ValueKind == JsonValueKind.Number && (flags.GetInt32() & 64) != 0;

    public IReadOnlyList<JsonElement> Embeds => Message.TryGetProperty("embeds", out var embeds) && embeds.ValueKind == JsonValueKind.Array ? [.. embeds.EnumerateArray()] : [];

    public IReadOnlyList<string> ButtonIds => Message.TryGetProperty("components", out var rows) && rows.ValueKind == JsonValueKind.Array
        ? [.. rows.EnumerateArray().SelectMany(r => r.GetProperty("components").EnumerateArray()).Select(b => b.GetProperty("custom_id").GetString()!)]
        : [];
}

/// <summary>
/// The real bot host (<c>digest run</c>) with Discord pointed at the fake (REST and gateway), a temp SQLite file, the
/// bundled sample feeds plus one written here, and Telegram off. Interactions go in over the gateway.
/// </summary>
internal sealed class DiscordBotHarness : IAsyncDisposable
{
    public const string Moderator = TestInteractions.ManageServer;
    public const string Member = TestInteractions.Member;

    private readonly IHost host;
    private readonly string directory;
    private GatewayPeer? gateway;
    private long sequence = 1;
    private long interactionId = 910000000000000000;

    private DiscordBotHarness(IHost host, FakeDiscord fake, string directory)
    {
        this.host = host;
        this.directory = directory;
        Fake = fake;
    }

    public FakeDiscord Fake { get; }

    public IServiceProvider Services => host.Services;

    public IDigestStore Store => host.Services.GetRequiredService<IDigestStore>();

    /// <summary>Starts the host, completes the gateway handshake, and waits for the first polls to be processed.</summary>
    public static async Task<DiscordBotHarness> StartAsync(FakeDiscord fake, string extraFeedRss)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"digest-discord-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var feed = Path.Combine(directory, "lakeside.xml");
        await File.WriteAllTextAsync(feed, extraFeedRss);
        string[] configuration =
        [
            $"--Discord:BotToken={FakeDiscord.BotToken}",
            $"--Discord:ApiBaseUrl={fake.ApiUrl}",
            $"--Discord:GatewayUrl={fake.GatewayUrl}",
            $"--Storage:ConnectionString=Data Source={Path.Combine(directory, "digest.db")}",
            "--Feeds:AllowPrivateAddresses=true",
            $"--Feeds:Sources:4:Url={feed}",
            "--Feeds:Sources:4:Name=Lakeside Courier",
            "--Logging:LogLevel:Default=Warning",
        ];
        var host = DigestHost.Build(HostMode.Bot, configuration, TextWriter.Null, "text");
        await host.StartAsync();
        var harness = new DiscordBotHarness(host, fake, directory);
        await harness.ConnectAsync();
        await FirstPollsDoneAsync(harness.Store);
        return harness;
    }

    /// <summary>A slash command as a member (or moderator) sends it in the test guild's channel; returns what the bot showed.</summary>
    public Task<BotAnswer> AskAsync(string name, object? options = null, string permissions = Member) =>
        SendAsync(id => TestInteractions.Command(id, name, options, permissions));

    public Task<BotAnswer> PressAsync(string customId, string permissions = Member) =>
        SendAsync(id => TestInteractions.Button(id, customId, permissions));

    /// <summary>An autocomplete request for the focused option; returns the choices' values.</summary>
    public async Task<IReadOnlyList<(string Name, string Value)>> AutocompleteAsync(string name, object options, string permissions = Member)
    {
        var answer = await SendAsync(id => TestInteractions.Command(id, name, options, permissions, type: 4));
        answer.CallbackType.ShouldBe(8);
        return [.. answer.Message.GetProperty("choices").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("value").GetString()!))];
    }

    public async Task<ChannelRecord> ChannelAsync() =>
        await Store.FindChannelAsync("discord", TestInteractions.Channel, TestContext.Current.CancellationToken)
        ?? throw new InvalidOperationException("no channel yet");

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; the temp folder is cleaned by the OS.
        }
    }

    private async Task ConnectAsync()
    {
        gateway = await Fake.NextConnectionAsync();
        await gateway.HelloAsync(heartbeatIntervalMs: 30_000);
        await gateway.ExpectAsync(2);
        await gateway.ReadyAsync(sequence++, "session-1", Fake.ResumeUrl);
    }

    private async Task<BotAnswer> SendAsync(Func<string, JsonObject> build)
    {
        var id = Interlocked.Increment(ref interactionId).ToString(CultureInfo.InvariantCulture);
        await gateway!.DispatchAsync(Interlocked.Increment(ref sequence), "INTERACTION_CREATE", build(id));
        var callback = await Fake.WaitForAsync("POST", $"/interactions/{id}/");
        var type = callback.Json.GetProperty("type").GetInt32();
        if (type is 5 or 6)
        {
            // Deferred: the answer comes as an edit of the original response.
            var edit = await Fake.WaitForAsync("PATCH", $"/interaction-token-{id}/messages/@original");
            return new BotAnswer(type, edit.Json);
        }

        return new BotAnswer(type, callback.Json.GetProperty("data"));
    }

    /// <summary>
    /// Waits until every feed has been polled once and the stages have processed and refreshed what they brought; with a
    /// <paramref name="clock"/>, the bot's time moves on 250 ms per look (its sweeps run on it).
    /// </summary>
    internal static async Task FirstPollsDoneAsync(IDigestStore store, FakeTimeProvider? clock = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var feeds = await store.GetFeedsAsync(timeout.Token);
            if (feeds.Count > 0 && feeds.All(f => f.LastPolledAt is not null) && (await store.GetBacklogAsync(timeout.Token)).IsEmpty)
            {
                return;
            }

            clock?.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }
}

[CollectionDefinition(nameof(DiscordBotHost), DisableParallelization = true)]
public sealed class DiscordBotHost;
