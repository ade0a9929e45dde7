using Digest.Discord.Messages;
using Digest.Discord.Rest;
using Digest.Discord.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Discord.Tests.Rest;

public sealed class DiscordRestClientTests
{
    private const string Channel = "400000000000000001";

    private static readonly Dictionary<string, string> Exhausted = new()
    {
        ["X-RateLimit-Bucket"] = "abcd1234",
        ["X-RateLimit-Limit"] = "5",
        ["X-RateLimit-Remaining"] = "0",
        ["X-RateLimit-Reset-After"] = "2.5",
    };

    [Fact]
    public async Task CreateMessage_SendsBotTokenUserAgentAndNoMentions()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var client = services.GetRequiredService<DiscordRestClient>();

        await client.CreateMessageAsync(Channel, new DiscordMessage("hello @everyone"), TestContext.Current.CancellationToken);

        var request = fake.RequestsTo("POST", "/messages").ShouldHaveSingleItem();
        request.Authorization.ShouldBe("Bot " + FakeDiscord.BotToken);
        request.UserAgent.ShouldBe("DiscordBot (https://github.com/digest-bot/digest, 1.0)");
        request.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task CreateMessage_BucketExhausted_WaitsForResetBeforeNextRequest()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time);
        var client = services.GetRequiredService<DiscordRestClient>();
        fake.Enqueue(new CannedResponse("POST", "/messages", 200, """{"id":"1","channel_id":"400000000000000001"}""", Exhausted));
        var ct = TestContext.Current.CancellationToken;

        await client.CreateMessageAsync(Channel, new DiscordMessage("one"), ct);
        await time.AdvanceUntilDone(client.CreateMessageAsync(Channel, new DiscordMessage("two"), ct), TimeSpan.FromMilliseconds(100));

        var sent = fake.RequestsTo("POST", "/messages");
        sent.Count.ShouldBe(2);
        (sent[1].At - sent[0].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task CreateMessage_BucketExhaustedOnOneChannel_OtherChannelGoesAtOnce()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time);
        var client = services.GetRequiredService<DiscordRestClient>();
        fake.Enqueue(new CannedResponse("POST", "/messages", 200, """{"id":"1","channel_id":"400000000000000001"}""", Exhausted));
        var ct = TestContext.Current.CancellationToken;

        await client.CreateMessageAsync(Channel, new DiscordMessage("one"), ct);
        await client.CreateMessageAsync("400000000000000002", new DiscordMessage("other channel"), ct);

        fake.RequestsTo("POST", "/messages").Count.ShouldBe(2);
    }

    [Fact]
    public async Task CreateMessage_429_RetriesAfterRetryAfterAndDeliversOnce()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time);
        var client = services.GetRequiredService<DiscordRestClient>();
        fake.Enqueue(new CannedResponse("POST", "/messages", 429, """{"message":"You are being rate limited.","retry_after":1.5,"global":false}""",
            new Dictionary<string, string> { ["X-RateLimit-Scope"] = "user", ["Retry-After"] = "2", ["X-RateLimit-Bucket"] = "abcd1234", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset-After"] = "1.5" }));

        await time.AdvanceUntilDone(client.CreateMessageAsync(Channel, new DiscordMessage("story"), TestContext.Current.CancellationToken), TimeSpan.FromMilliseconds(100));

        var sent = fake.RequestsTo("POST", "/messages");
        sent.Count.ShouldBe(2);
        (sent[1].At - sent[0].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Global429_PausesEveryRoute()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time, s => s.AddFakeLogging());
        var client = services.GetRequiredService<DiscordRestClient>();
        var logs = services.GetFakeLogCollector();
        fake.Enqueue(new CannedResponse("POST", "/messages", 429, """{"message":"You are being rate limited.","retry_after":3,"global":true}""",
            new Dictionary<string, string> { ["X-RateLimit-Scope"] = "global", ["X-RateLimit-Global"] = "true" }));
        var ct = TestContext.Current.CancellationToken;

        var first = client.CreateMessageAsync(Channel, new DiscordMessage("one"), ct);
        while (!logs.GetSnapshot().Any(r => r.Message.StartsWith("Discord answered 429", StringComparison.Ordinal)))
        {
            await Task.WhenAny(first, Task.Delay(5, ct));
        }

        var other = client.CreateMessageAsync("400000000000000002", new DiscordMessage("two"), ct);
        await time.AdvanceUntilDone(Task.WhenAll(first, other), TimeSpan.FromMilliseconds(100));

        var sent = fake.RequestsTo("POST", "/messages");
        sent.Count.ShouldBe(3);
        sent.Skip(1).ShouldAllBe(r => r.At - sent[0].At >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task CreateMessage_ServerErrors_RetriedWithBackoff()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time);
        var client = services.GetRequiredService<DiscordRestClient>();
        fake.Enqueue(new CannedResponse("POST", "/messages", 502, """{"message":"Bad Gateway"}"""));
        fake.Enqueue(new CannedResponse("POST", "/messages", 500, """{"message":"Internal"}"""));

        await time.AdvanceUntilDone(client.CreateMessageAsync(Channel, new DiscordMessage("story"), TestContext.Current.CancellationToken), TimeSpan.FromMilliseconds(200));

        var sent = fake.RequestsTo("POST", "/messages");
        sent.Count.ShouldBe(3);
        (sent[2].At - sent[0].At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Unauthorized_StopsFurtherAuthenticatedRequests()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var client = services.GetRequiredService<DiscordRestClient>();
        fake.Enqueue(new CannedResponse("POST", "/messages", 401, """{"message":"401: Unauthorized","code":0}"""));
        var ct = TestContext.Current.CancellationToken;

        (await Should.ThrowAsync<DiscordApiException>(() => client.CreateMessageAsync(Channel, new DiscordMessage("a"), ct))).Status.ShouldBe(401);
        var again = await Should.ThrowAsync<DiscordApiException>(() => client.CreateMessageAsync(Channel, new DiscordMessage("b"), ct));

        again.Message.ShouldContain("Discord:BotToken");
        fake.RequestsTo("POST", "/messages").Count.ShouldBe(1);
    }

    [Fact]
    public async Task InvalidRequestGuard_RefusesAfterBudgetUntilWindowPasses()
    {
        var time = new FakeTimeProvider();
        var limiter = new DiscordRateLimiter(time, NullLogger<DiscordRateLimiter>.Instance);
        var route = DiscordRoute.CreateMessage(Channel);
        for (var i = 0; i < DiscordRateLimiter.InvalidRequestBudget; i++)
        {
            limiter.RecordInvalid(403, null);
        }

        var refused = await Should.ThrowAsync<DiscordApiException>(() => limiter.AcquireAsync(route, TestContext.Current.CancellationToken));
        refused.Message.ShouldContain("invalid");
        limiter.RecordInvalid(429, "shared");

        time.Advance(DiscordRateLimiter.InvalidRequestWindow);
        await limiter.AcquireAsync(route, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Route_TokenInPathIsNotLogged_AndNonSnowflakeIdRejected()
    {
        var route = DiscordRoute.ExecuteWebhook("500000000000000001", "secret-token");

        route.Template.ShouldNotContain("secret");
        Should.Throw<ArgumentException>(() => DiscordRoute.CreateMessage("../../users/@me"));
    }
}
