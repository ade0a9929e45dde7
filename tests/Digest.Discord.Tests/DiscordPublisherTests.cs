using System.Text.Json;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Digest.Discord.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Discord.Tests;

public sealed class DiscordPublisherTests
{
    private const string Webhook = "https://discord.com/api/webhooks/500000000000000001/Tok-en_123";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Publish_DigestPastEveryLimit_SplitAtStoryBoundariesAndAccepted()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var stories = Enumerable.Range(1, 30).Select(i => Story(i, title: new string('T', 400), lineLength: 700, lines: 8, sources: 40)).ToList();

        var result = await Publisher(services).PublishAsync(Channel(Interactions()), OutboxPayload.ForDigest(new DigestModel(Now, stories, null)), TestContext.Current.CancellationToken);

        result.ShouldBe(PublishResult.Ok);
        var messages = fake.RequestsTo("POST", "/messages");
        messages.Count.ShouldBeGreaterThan(1);
        var footers = messages.SelectMany(m => m.Json.TryGetProperty("embeds", out var e) ? e.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(e => e.GetProperty("footer").GetProperty("text").GetString()).ToList();
        footers.ShouldBe([.. Enumerable.Range(1, 30).Select(i => $"#{i} · diplomacy")]);
        messages[0].Json.GetProperty("content").GetString()!.ShouldContain("30 stories");
    }

    [Fact]
    public async Task Publish_ShortStories_TenEmbedsPerMessage()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var stories = Enumerable.Range(1, 25).Select(i => Story(i)).ToList();

        await Publisher(services).PublishAsync(Channel(Interactions()), OutboxPayload.ForDigest(new DigestModel(Now, stories, null)), TestContext.Current.CancellationToken);

        fake.RequestsTo("POST", "/messages").Select(m => m.Json.GetProperty("embeds").GetArrayLength()).ShouldBe([10, 10, 5]);
    }

    [Fact]
    public async Task Publish_FeedTextWithEveryone_PingsNobodyAndShowsAsText()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var story = Story(1) with { Title = "@everyone **talks** in [Geneva](https://evil.example)", KeyLines = [new KeyLine("Ping <@&123> @here now", "@everyone")] };

        await Publisher(services).PublishAsync(Channel(Interactions()), OutboxPayload.ForDigest(new DigestModel(Now, [story], null)), TestContext.Current.CancellationToken);

        var body = fake.RequestsTo("POST", "/messages").ShouldHaveSingleItem().Json;
        body.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength().ShouldBe(0);
        var embed = body.GetProperty("embeds")[0];
        embed.GetProperty("title").GetString().ShouldBe(@"\@everyone \*\*talks\*\* in \[Geneva\](https://evil.example)");
        embed.GetProperty("description").GetString()!.ShouldStartWith(@"• Ping \<\@&123> \@here now — *\@everyone*");
    }

    [Fact]
    public async Task Publish_Text_EscapedAndNoMentions()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);

        await Publisher(services).PublishAsync(Channel(Interactions()), OutboxPayload.ForText("Alert: @everyone " + new string('x', 2500)), TestContext.Current.CancellationToken);

        var messages = fake.RequestsTo("POST", "/messages");
        messages.Count.ShouldBe(2);
        messages[0].Json.GetProperty("content").GetString()!.ShouldStartWith(@"Alert: \@everyone");
        messages.ShouldAllBe(m => m.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength() == 0);
    }

    [Fact]
    public async Task Publish_WebhookAddress_ExecutesWebhookOnApiWithoutBotToken()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);

        var result = await Publisher(services).PublishAsync(Channel(Webhook), OutboxPayload.ForDigest(new DigestModel(Now, [Story(1)], null)), TestContext.Current.CancellationToken);

        result.Delivered.ShouldBeTrue();
        var request = fake.RequestsTo("POST", "/webhooks/").ShouldHaveSingleItem();
        request.Path.ShouldBe("/webhooks/500000000000000001/Tok-en_123");
        request.Authorization.ShouldBeNull();
    }

    [Fact]
    public async Task Publish_WebhookDeleted_PermanentWithReason()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        fake.Enqueue(new CannedResponse("POST", "/webhooks/", 404, """{"message":"Unknown Webhook","code":10015}"""));

        var result = await Publisher(services).PublishAsync(Channel(Webhook), OutboxPayload.ForText("hello"), TestContext.Current.CancellationToken);

        result.ShouldBe(new PublishResult(false, "webhook deleted; bind a new one with /webhook bind", Permanent: true));
    }

    [Theory]
    [InlineData(403, """{"message":"Missing Access","code":50001}""", "give it View Channels")]
    [InlineData(404, """{"message":"Unknown Channel","code":10003}""", "channel not found")]
    public async Task Publish_ChannelUnreachable_Permanent(int status, string body, string reason)
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        fake.Enqueue(new CannedResponse("POST", "/messages", status, body));

        var result = await Publisher(services).PublishAsync(Channel(Interactions()), OutboxPayload.ForText("hello"), TestContext.Current.CancellationToken);

        result.Permanent.ShouldBeTrue();
        result.Error!.ShouldContain(reason);
    }

    [Fact]
    public async Task Publish_LongRateLimit_HandedBackForLater()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        fake.Enqueue(new CannedResponse("POST", "/messages", 429, """{"message":"The resource is being rate limited.","retry_after":1336.57,"global":false}""",
            new Dictionary<string, string> { ["X-RateLimit-Scope"] = "shared" }));

        var result = await Publisher(services).PublishAsync(Channel(Interactions()), OutboxPayload.ForText("hello"), TestContext.Current.CancellationToken);

        result.Permanent.ShouldBeFalse();
        result.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1336.57));
    }

    [Theory]
    [InlineData("https://canary.discord.com/api/v10/webhooks/1/abc", true)]
    [InlineData("https://discordapp.com/api/webhooks/1/abc", true)]
    [InlineData("https://evil.example/api/webhooks/1/abc", false)]
    [InlineData("http://discord.com/api/webhooks/1/abc", false)]
    public void ParseWebhook_OnlyDiscordHosts(string address, bool isWebhook)
    {
        (DiscordPublisher.ParseWebhook(address) is not null).ShouldBe(isWebhook);
    }

    [Fact]
    public async Task Publish_NotAnAddress_Permanent()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);

        var result = await Publisher(services).PublishAsync(Channel("https://evil.example/hook"), OutboxPayload.ForText("hello"), TestContext.Current.CancellationToken);

        result.Permanent.ShouldBeTrue();
        fake.Requests.ShouldBeEmpty();
    }

    private static string Interactions() => TestInteractions.Channel;

    [Fact]
    public async Task Publish_AnswerLostAfterDiscordCreatedTheMessage_RetryCarriesTheSameNonceAndOneMessageShows()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time);
        fake.Enqueue(CannedResponse.ServerError("POST", "/messages") with { AfterCreating = true });

        var result = await time.AdvanceUntilDone(
            Publisher(services).PublishAsync(Channel(Interactions()), new OutboundMessage(42, OutboxPayload.ForText("Talks resume in Geneva")), TestContext.Current.CancellationToken),
            TimeSpan.FromMilliseconds(250));

        result.Delivered.ShouldBeTrue();
        var posts = fake.RequestsTo("POST", "/messages");
        posts.Count.ShouldBe(2);
        posts.ShouldAllBe(p => p.Json.GetProperty("nonce").GetString() == "o42.0" && p.Json.GetProperty("enforce_nonce").GetBoolean());
        fake.Created.ShouldHaveSingleItem()["content"]!.GetValue<string>().ShouldBe("Talks resume in Geneva");
    }

    [Fact]
    public async Task Publish_DigestWhosePartsOneAndTwoWereAcknowledged_SendsOnlyTheRestEachWithItsOwnNonce()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var acknowledged = new List<int>();
        var message = new OutboundMessage(7, OutboxPayload.ForDigest(new DigestModel(Now, [.. Enumerable.Range(1, 25).Select(i => Story(i))], null)), 2, parts =>
        {
            acknowledged.Add(parts);
            return Task.CompletedTask;
        });

        var result = await Publisher(services).PublishAsync(Channel(Interactions()), message, TestContext.Current.CancellationToken);

        result.Delivered.ShouldBeTrue();
        var post = fake.RequestsTo("POST", "/messages").ShouldHaveSingleItem();
        post.Json.GetProperty("nonce").GetString().ShouldBe("o7.2");
        post.Json.GetProperty("embeds").GetArrayLength().ShouldBe(5);
        acknowledged.ShouldBe([3]);
    }

    [Fact]
    public async Task Publish_WebhookAddress_SendsNoNonceWebhooksDoNotTakeOne()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);

        await Publisher(services).PublishAsync(Channel(Webhook), OutboxPayload.ForText("hello"), TestContext.Current.CancellationToken);

        fake.RequestsTo("POST", "/webhooks/").ShouldHaveSingleItem().Json.TryGetProperty("nonce", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(true, 1)] // the post got through and its answer was lost: the retry finds it and posts nothing
    [InlineData(false, 1)] // nothing got through: the retry posts it
    public async Task Publish_WebhookRetriedWithABotToken_LooksInTheChannelFirstSoThePostShowsOnce(bool firstGotThrough, int shown)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time);
        var payload = OutboxPayload.ForDigest(new DigestModel(Now, [Story(1), Story(2)], null));
        fake.Enqueue(CannedResponse.ServerError("POST", "/webhooks/") with { AfterCreating = firstGotThrough });

        var first = await Publisher(services).PublishAsync(Channel(Webhook), new OutboundMessage(9, payload), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(2));
        var acknowledged = new List<int>();
        var retry = new OutboundMessage(9, payload, 0, parts =>
        {
            acknowledged.Add(parts);
            return Task.CompletedTask;
        }, triedSince: Now);
        var second = await Publisher(services).PublishAsync(Channel(Webhook), retry, TestContext.Current.CancellationToken);

        first.Delivered.ShouldBeFalse();
        fake.RequestsTo("POST", "/webhooks/").Count.ShouldBe(firstGotThrough ? 1 : 2); // a 500 is not retried at once: the post takes no nonce
        second.ShouldBe(PublishResult.Ok);
        acknowledged.ShouldBe([1]);
        fake.Created.Count.ShouldBe(shown);
        var look = fake.RequestsTo("GET", "/channels/500000000000000001/messages").ShouldHaveSingleItem();
        look.Authorization.ShouldBe($"Bot {FakeDiscord.BotToken}");
    }

    [Fact]
    public async Task Publish_WebhookFirstAttempt_PostsWithoutLooking()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);

        await Publisher(services).PublishAsync(Channel(Webhook), OutboxPayload.ForText("hello"), TestContext.Current.CancellationToken);

        fake.Requests.Where(r => r.Method == "GET").ShouldBeEmpty();
        fake.Created.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Publish_WebhookRetriedWithoutABotToken_PostedAgainAsTheReadmeSays()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time, settings: new Dictionary<string, string?> { ["Discord:BotToken"] = "" });
        fake.Enqueue(CannedResponse.ServerError("POST", "/webhooks/") with { AfterCreating = true });

        await Publisher(services).PublishAsync(Channel(Webhook), new OutboundMessage(9, OutboxPayload.ForText("hello")), TestContext.Current.CancellationToken);
        var second = await Publisher(services).PublishAsync(Channel(Webhook), new OutboundMessage(9, OutboxPayload.ForText("hello"), triedSince: Now), TestContext.Current.CancellationToken);

        second.Delivered.ShouldBeTrue();
        fake.Requests.Where(r => r.Method == "GET").ShouldBeEmpty();
        fake.Created.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Publish_BodyDiscordRefuses_RejectedSoItIsSetAsideNotRetried()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        fake.Enqueue(new CannedResponse("POST", "/messages", 400, """{"message":"Invalid Form Body","code":50035}"""));

        var result = await Publisher(services).PublishAsync(Channel(Interactions()), OutboxPayload.ForText("hello"), TestContext.Current.CancellationToken);

        result.Rejected.ShouldBeTrue();
        result.Permanent.ShouldBeFalse();
    }

    private static IChannelPublisher Publisher(IServiceProvider services) =>
        services.GetServices<IChannelPublisher>().Single(p => p.Platform == "discord");

    private static ChannelRecord Channel(string address) => new(1, "discord", address, TestInteractions.Guild, "daily 08:00", "UTC", null, null);

    private static DigestStory Story(int id, string? title = null, int lineLength = 80, int lines = 2, int sources = 2) => new(
        id,
        title ?? $"Story {id}: envoys meet in Geneva",
        $"https://news.example/story/{id}",
        [.. Enumerable.Range(1, sources).Select(s => new StorySource($"Outlet {s}", $"https://outlet{s}.example/a/{id}"))],
        [.. Enumerable.Range(1, lines).Select(l => new KeyLine($"Line {l} " + new string('w', lineLength), l % 2 == 0 ? "A spokesperson" : null))],
        1.0 - (id / 100.0),
        ["diplomacy"],
        Now.AddHours(-id),
        Now.AddHours(-id));
}

internal static class PublisherCalls
{
    /// <summary>A one-off send of <paramref name="payload"/>, as outbox message 1 with nothing sent yet.</summary>
    public static Task<PublishResult> PublishAsync(this IChannelPublisher publisher, ChannelRecord channel, OutboxPayload payload, CancellationToken cancellationToken) =>
        publisher.PublishAsync(channel, new OutboundMessage(1, payload), cancellationToken);
}
