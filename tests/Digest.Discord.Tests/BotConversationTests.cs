using System.Globalization;
using System.Text.Json;
using Digest.Core.Delivery;
using Digest.Discord.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Discord.Tests;

/// <summary>
/// Conversations through the real bot host, over the fake gateway, answered by the command core. One host at a time:
/// Quartz keeps its schedulers in a process-wide registry.
/// </summary>
[Collection(nameof(DiscordBotHost))]
public sealed class BotConversationTests
{
    private const string Webhook = "https://discord.com/api/webhooks/500000000000000001/Hook-Token_1";

    [Fact]
    public async Task Member_LatestSearchStoryAndRefusal_GetEmbedsPagerAndEphemeralNo()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var bot = await DiscordBotHarness.StartAsync(fake, LakesideFeed(TimeProvider.System.GetUtcNow()));

        var latest = await bot.AskAsync("latest", new[] { new { name = "n", type = 4, value = 2 } });
        latest.CallbackType.ShouldBeOneOf(4, 5);
        latest.Content.ShouldStartWith("The 2 newest stories");
        latest.Embeds.Count.ShouldBe(2);
        latest.Embeds[0].GetProperty("footer").GetProperty("text").GetString()!.ShouldContain("#");
        latest.ButtonIds.ShouldBe(["pg|latest|1|2"]);
        latest.Ephemeral.ShouldBeFalse();

        var page2 = await bot.PressAsync(latest.ButtonIds[0]);
        page2.CallbackType.ShouldBeOneOf(7, 6);
        page2.Content.ShouldStartWith("Stories 3–4");
        page2.ButtonIds.ShouldBe(["pg|latest|0|2", "pg|latest|2|2"]);

        var search = await bot.AskAsync("search", new[] { new { name = "words", type = 3, value = "security guarantees" } });
        search.Content.ShouldStartWith("Results 1–");
        search.Embeds.ShouldNotBeEmpty();
        search.Embeds.ShouldAllBe(e => e.GetProperty("url").GetString()!.StartsWith("https://", StringComparison.Ordinal));

        var choices = await bot.AutocompleteAsync("story", new[] { new { name = "id", type = 3, value = "", focused = true } });
        choices.Count.ShouldBeInRange(1, 25);
        var (choiceName, storyId) = choices[0];
        choiceName.ShouldStartWith($"#{storyId} ");
        var story = await bot.AskAsync("story", new[] { new { name = "id", type = 3, value = storyId } });
        story.Content.ShouldStartWith($"Story #{storyId}:");
        story.Embeds[0].GetProperty("footer").GetProperty("text").GetString()!.ShouldEndWith($"#{storyId}");

        var refused = await bot.AskAsync("feeds", new[] { new { name = "add", type = 1, options = new object[] { new { name = "url", type = 3, value = "https://example.org/feed.xml" } } } });
        refused.Ephemeral.ShouldBeTrue();
        refused.Content.ShouldContain("Manage Server");
        (await bot.Store.GetFeedsAsync(TestContext.Current.CancellationToken)).ShouldNotContain(f => f.Url.Contains("example.org", StringComparison.Ordinal));

        var bad = await bot.AskAsync("story", new[] { new { name = "id", type = 3, value = "999999" } });
        bad.Ephemeral.ShouldBeTrue();
        bad.Content.ShouldBe("There is no story #999999 in this chat's feeds.");
    }

    [Fact]
    public async Task FeedItemWithEveryone_ShownEscaped_AndNothingTheBotSendsPings()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var bot = await DiscordBotHarness.StartAsync(fake, LakesideFeed(TimeProvider.System.GetUtcNow()));

        var search = await bot.AskAsync("search", new[] { new { name = "words", type = 3, value = "Lakeside envoys" } });
        var title = search.Embeds.ShouldHaveSingleItem().GetProperty("title").GetString()!;
        title.ShouldStartWith(@"\@everyone Lakeside envoys");

        var help = await bot.AskAsync("help");
        help.Content.ShouldContain("/latest");
        help.Content.ShouldNotContain("/webhook");
        (await bot.AskAsync("help", permissions: DiscordBotHarness.Moderator)).Content.ShouldContain("/webhook bind");

        var sent = fake.Requests.Where(r => r.Method is "POST" or "PATCH" && r.Body is { } body && Message(body) is { } m && m.TryGetProperty("content", out _)).ToList();
        sent.Count.ShouldBeGreaterThanOrEqualTo(3);
        sent.ShouldAllBe(r => Message(r.Json)!.Value.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength() == 0);
    }

    [Fact]
    public async Task Moderator_SchedulesDigest_BindsWebhook_DeletedWebhookPausesAndStatusSaysSo()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var bot = await DiscordBotHarness.StartAsync(fake, LakesideFeed(TimeProvider.System.GetUtcNow()));
        var channelMessages = $"/channels/{TestInteractions.Channel}/messages";

        var daily = await bot.AskAsync("schedule", new[] { new { name = "expression", type = 3, value = "daily 08:00 Europe/Kyiv" } }, DiscordBotHarness.Moderator);
        daily.Ephemeral.ShouldBeTrue();
        daily.Content.ShouldContain("daily at 08:00 (Europe/Kyiv); next: ");
        daily.Content.ShouldContain("08:00 (Europe/Kyiv)");

        // A digest every second is refused, naming the setting; the digest is run here instead.
        var everySecond = await bot.AskAsync("schedule", new[] { new { name = "expression", type = 3, value = "* * * * * ? UTC" } }, DiscordBotHarness.Moderator);
        everySecond.Content.ShouldContain("Digest:MinScheduleInterval");
        var never = await bot.AskAsync("schedule", new[] { new { name = "expression", type = 3, value = "0 0 31 2 *" } }, DiscordBotHarness.Moderator);
        never.Content.ShouldBe("'0 0 31 2 \\*' never fires.");
        await DiscordBotHarness.FirstPollsDoneAsync(bot.Store);

        var delivery = bot.Services.GetRequiredService<DigestDelivery>();
        var channelId = (await bot.ChannelAsync()).Id;
        await delivery.RunChannelAsync(channelId, TestContext.Current.CancellationToken);
        var digest = await fake.WaitForAsync("POST", channelMessages, cancellationToken: TestContext.Current.CancellationToken);
        digest.Json.GetProperty("content").GetString()!.ShouldStartWith("**Digest — ");
        digest.Json.GetProperty("embeds").GetArrayLength().ShouldBeGreaterThan(0);
        digest.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength().ShouldBe(0);

        var notWebhook = await bot.AskAsync("webhook", new[] { new { name = "bind", type = 1, options = new object[] { new { name = "url", type = 3, value = "https://evil.example/api/webhooks/1/x" } } } }, DiscordBotHarness.Moderator);
        notWebhook.Content.ShouldStartWith("That is not a Discord webhook URL");

        // From now on a digest with nothing new says so in a line, so each run below posts.
        var quiet = await bot.AskAsync("digest", new[] { new { name = "action", type = 3, value = "quiet off" } }, DiscordBotHarness.Moderator);
        quiet.Content.ShouldContain("says so in one line");

        var bound = await bot.AskAsync("webhook", new[] { new { name = "bind", type = 1, options = new object[] { new { name = "url", type = 3, value = Webhook } } } }, DiscordBotHarness.Moderator);
        bound.Content.ShouldStartWith("Bound:");
        bound.Ephemeral.ShouldBeTrue();
        await delivery.RunChannelAsync(channelId, TestContext.Current.CancellationToken);
        var viaWebhook = await fake.WaitForAsync("POST", "/webhooks/500000000000000001/Hook-Token_1", cancellationToken: TestContext.Current.CancellationToken);
        viaWebhook.Authorization.ShouldBeNull();
        var botPostsBefore = fake.RequestsTo("POST", channelMessages).Count;

        // The webhook is deleted: a post is answered 404 (the fake may already be answering the one above).
        fake.Enqueue(new CannedResponse("POST", "/webhooks/500000000000000001/", 404, """{"message": "Unknown Webhook", "code": 10015}"""));
        await delivery.RunChannelAsync(channelId, TestContext.Current.CancellationToken);
        var channel = await WaitForPauseAsync(bot);
        channel.PausedReason.ShouldBe("webhook deleted; bind a new one with /webhook bind");

        var status = await bot.AskAsync("status");
        status.Content.ShouldContain("Paused: discord webhook at discord.com — webhook deleted; bind a new one with /webhook bind");
        status.Content.ShouldNotContain("Hook-Token_1");
        fake.RequestsTo("POST", channelMessages).Count.ShouldBe(botPostsBefore);

        var unbound = await bot.AskAsync("webhook", new[] { new { name = "unbind", type = 1 } }, DiscordBotHarness.Moderator);
        unbound.Content.ShouldStartWith("Unbound:");
        await delivery.RunChannelAsync(channelId, TestContext.Current.CancellationToken);
        await fake.WaitForAsync("POST", channelMessages, botPostsBefore + 1, TestContext.Current.CancellationToken);
        (await bot.ChannelAsync()).PausedReason.ShouldBeNull();
    }

    [Fact]
    public async Task Subscriber_GetsDigestInDirectMessage_AndExportIsCodeBlock()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var bot = await DiscordBotHarness.StartAsync(fake, LakesideFeed(TimeProvider.System.GetUtcNow()));

        var subscribed = await bot.AskAsync("subscribe");
        subscribed.Content.ShouldStartWith("Subscribed");
        var dm = await bot.Store.FindChannelAsync("discord", "dm:700000000000000001", TestContext.Current.CancellationToken);
        dm.ShouldNotBeNull();
        dm.CommunityId.ShouldBe($"discord:{TestInteractions.Guild}");

        await bot.Services.GetRequiredService<DigestDelivery>().RunChannelAsync(dm.Id, TestContext.Current.CancellationToken);
        var open = await fake.WaitForAsync("POST", "/users/@me/channels", cancellationToken: TestContext.Current.CancellationToken);
        open.Json.GetProperty("recipient_id").GetString().ShouldBe("700000000000000001");
        var message = await fake.WaitForAsync("POST", $"/channels/{FakeDiscord.DmChannelOf("700000000000000001")}/messages", cancellationToken: TestContext.Current.CancellationToken);
        message.Json.GetProperty("embeds").GetArrayLength().ShouldBeGreaterThan(0);

        var export = await bot.AskAsync("feeds", new[] { new { name = "export", type = 1 } }, DiscordBotHarness.Moderator);
        export.Ephemeral.ShouldBeTrue();
        var code = export.Embeds.ShouldHaveSingleItem().GetProperty("description").GetString()!;
        code.ShouldStartWith("```xml\n<");
        code.ShouldNotContain("Lakeside Courier"); // configured as a file on the server: its path is no address to share
    }

    [Fact]
    public async Task RegisteredOptions_TakeWhatTheCommandsAccept_LatestUpTo20ThresholdOffScheduleAlone()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var bot = await DiscordBotHarness.StartAsync(fake, LakesideFeed(TimeProvider.System.GetUtcNow()));
        var registered = await fake.WaitForAsync("PUT", "/commands", cancellationToken: TestContext.Current.CancellationToken);
        var commands = registered.Json.EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);

        // Discord lets a member pick any n up to the option's max_value: each one must be one /latest answers.
        var n = commands["latest"].GetProperty("options")[0];
        var max = n.GetProperty("max_value").GetInt32();
        max.ShouldBe(20);
        var latest = await bot.AskAsync("latest", new[] { new { name = "n", type = 4, value = max } });
        latest.Ephemeral.ShouldBeFalse();
        latest.Content.ShouldStartWith("The ");

        // "off" is one of the threshold's values, so the option takes text, not only a number.
        var threshold = commands["topic"].GetProperty("options").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "threshold").GetProperty("options")[0];
        threshold.GetProperty("type").GetInt32().ShouldBe(3);
        var set = await bot.AskAsync("topic", new[] { new { name = "threshold", type = 1, options = new object[] { new { name = "value", type = 3, value = "0.5" } } } }, DiscordBotHarness.Moderator);
        set.Content.ShouldEndWith("Threshold: 0.5");
        var off = await bot.AskAsync("topic", new[] { new { name = "threshold", type = 1, options = new object[] { new { name = "value", type = 3, value = "off" } } } }, DiscordBotHarness.Moderator);
        off.Content.ShouldEndWith("Threshold: off (every story the classifier keeps)");

        // As on Telegram, /schedule alone shows the channel's schedule.
        commands["schedule"].GetProperty("options")[0].TryGetProperty("required", out _).ShouldBeFalse();
        var schedule = await bot.AskAsync("schedule", permissions: DiscordBotHarness.Moderator);
        schedule.Content.ShouldStartWith("This chat's digest: daily at 08:00 (UTC); next: ");
    }

    [Fact]
    public async Task ForgedPagerButton_RunsNoOtherCommand_AndSaysTheListExpired()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var bot = await DiscordBotHarness.StartAsync(fake, LakesideFeed(TimeProvider.System.GetUtcNow()));

        foreach (var forged in new[] { "pg|alerts|0|add forged phrase", "pg|subscribe|0|", "pg|feeds|0|remove 1" })
        {
            var answer = await bot.PressAsync(forged, DiscordBotHarness.Moderator);
            answer.Ephemeral.ShouldBeTrue();
            answer.Content.ShouldBe("This list has expired; run the command again.");
        }

        (await bot.AskAsync("alerts", new[] { new { name = "list", type = 1 } })).Content.ShouldStartWith("You have no alerts.");
        (await bot.AskAsync("unsubscribe")).Content.ShouldBe("You are not subscribed to the digest here.");
        (await bot.AskAsync("feeds", new[] { new { name = "list", type = 1 } }, DiscordBotHarness.Moderator)).Content.ShouldBe("This community follows 5 feeds:");
    }

    [Fact]
    public async Task FeedsRemove_NameOfSeveralWordsNotFollowed_IsRefusedNamingIt()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var bot = await DiscordBotHarness.StartAsync(fake, LakesideFeed(TimeProvider.System.GetUtcNow()));

        var answer = await bot.AskAsync("feeds", new[] { new { name = "remove", type = 1, options = new object[] { new { name = "feed", type = 3, value = "Hillside Gazette" } } } }, DiscordBotHarness.Moderator);
        answer.Content.ShouldBe("This community doesn't follow a feed 'Hillside Gazette'. /feeds list shows the numbers.");
    }

    private static async Task<Digest.Core.Storage.ChannelRecord> WaitForPauseAsync(DiscordBotHarness bot)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var channel = await bot.Store.GetChannelAsync((await bot.Store.GetChannelsAsync(timeout.Token)).Single(c => c.Address == Webhook).Id, timeout.Token);
            if (channel!.PausedReason is not null)
            {
                return channel;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private static JsonElement? Message(JsonElement body) =>
        body.ValueKind != JsonValueKind.Object ? null
        : body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data
        : body;

    /// <summary>A fresh on-topic item whose title would ping everyone if the bot let it.</summary>
    private static string LakesideFeed(DateTimeOffset now) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0">
          <channel>
            <title>Lakeside Courier</title>
            <link>https://lakeside.example/</link>
            <description>Written for Digest's Discord tests.</description>
            <item>
              <title>@everyone Lakeside envoys: Witkoff and Umerov refine peace plan and security guarantees for Ukraine</title>
              <link>https://lakeside.example/news/envoys</link>
              <guid>lakeside-envoys</guid>
              <pubDate>{now.AddMinutes(-10).ToString("r", CultureInfo.InvariantCulture)}</pubDate>
              <description>Ukraine's negotiator Rustem Umerov and U.S. envoy Steve Witkoff met to refine the peace plan; the Kremlin said it would study the security guarantees, Peskov said.</description>
            </item>
          </channel>
        </rss>
        """;
}
