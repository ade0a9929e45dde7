using System.Diagnostics;
using System.Text.Json.Nodes;
using Digest.Discord.Tests.TestSupport;

namespace Digest.Harness.Infrastructure;

/// <summary>
/// Binds a Discord channel to a webhook the way a moderator does: <c>/webhook bind url:…</c>, an interaction sent over
/// the fake gateway to a <c>digest run</c> that has a bot token. The binding is stored, so later runs post the channel's
/// digests through the webhook even without a bot token.
/// </summary>
internal static class DiscordBinding
{
    public const string WebhookId = "900000000000000001";
    public const string WebhookToken = "harness_webhook-token";

    /// <summary>Answers the bot's gateway connection (hello, identify, ready), sends the interaction, waits for "Bound".</summary>
    public static async Task BindWebhookAsync(FakeDiscord discord, DigestProcess bot)
    {
        using var gatewayWait = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var peer = await discord.Connections.Reader.ReadAsync(gatewayWait.Token);
        await peer.HelloAsync(41_250);
        await peer.ExpectAsync(2);
        await peer.ReadyAsync(1, "harness-session", discord.ResumeUrl);
        await peer.DispatchAsync(2, "INTERACTION_CREATE", BindInteraction());
        var bound = Stopwatch.StartNew();
        while (!discord.RequestsTo("POST", "/callback").Any(r => r.Body?.GetRawText().Contains("Bound", StringComparison.Ordinal) == true))
        {
            if (bound.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException("set-up: /webhook bind got no 'Bound' answer:\n"
                    + string.Join('\n', discord.Requests.Select(r => $"{r.Method} {r.Path} {r.Body}")) + "\n" + bot.Tail());
            }

            await Task.Delay(100);
        }
    }

    private static JsonObject BindInteraction() => new()
    {
        ["id"] = "910000000000000001",
        ["application_id"] = FakeDiscord.ApplicationId,
        ["type"] = 2,
        ["token"] = "interaction-token-bind",
        ["version"] = 1,
        ["guild_id"] = "600000000000000001",
        ["channel_id"] = "400000000000000001",
        ["member"] = new JsonObject
        {
            ["user"] = new JsonObject { ["id"] = "700000000000000001", ["username"] = "moderator" },
            ["permissions"] = "32",
        },
        ["data"] = new JsonObject
        {
            ["id"] = "800000000000000001",
            ["name"] = "webhook",
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject
            {
                ["name"] = "bind",
                ["type"] = 1,
                ["options"] = new JsonArray(new JsonObject { ["name"] = "url", ["type"] = 3, ["value"] = $"https://discord.com/api/webhooks/{WebhookId}/{WebhookToken}" }),
            }),
        },
    };

    /// <summary>Waits out a fake whose dispose fails when it saw invalid requests: the harness reports them instead.</summary>
    public static async Task DisposeQuietlyAsync(FakeDiscord discord)
    {
        try
        {
            await discord.DisposeAsync();
        }
        catch (Exception e) when (e.GetType().Name.Contains("Should", StringComparison.Ordinal))
        {
        }
    }
}
