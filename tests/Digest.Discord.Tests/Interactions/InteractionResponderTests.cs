using Digest.Discord.Interactions;
using Digest.Discord.Rest;
using Digest.Discord.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Discord.Tests.Interactions;

public sealed class InteractionResponderTests
{
    [Fact]
    public async Task SlowHandler_DeferredBeforeThreeSeconds_ThenOriginalEdited()
    {
        await using var slow = await SlowHandler.StartAsync();
        var (fake, received) = (slow.Fake, slow.Time.GetUtcNow());

        var responding = slow.RespondAsync(TestInteractions.Command("900000000000000010", "digest"));
        await slow.AdvanceToDeferralAsync(received);

        var deferral = fake.RequestsTo("POST", "/callback").ShouldHaveSingleItem();
        deferral.Json.GetProperty("type").GetInt32().ShouldBe(5);
        (deferral.At - received).ShouldBeLessThan(TimeSpan.FromSeconds(3));
        slow.Release.SetResult(new DiscordReply("Here is the digest"));
        await responding;

        var edit = fake.RequestsTo("PATCH", "/messages/@original").ShouldHaveSingleItem();
        edit.Path.ShouldBe($"/webhooks/{FakeDiscord.ApplicationId}/interaction-token-900000000000000010/messages/@original");
        edit.Json.GetProperty("content").GetString().ShouldBe("Here is the digest");
    }

    [Fact]
    public async Task SlowRefusal_OfAPublicCommand_PlaceholderDeletedAndRefusalSentOnlyToTheMember()
    {
        await using var slow = await SlowHandler.StartAsync();
        var fake = slow.Fake;

        var responding = slow.RespondAsync(TestInteractions.Command("900000000000000016", "story", new[] { new { name = "id", type = 4, value = 99 } }));
        await slow.AdvanceToDeferralAsync(slow.Time.GetUtcNow());
        var deferral = fake.RequestsTo("POST", "/callback").ShouldHaveSingleItem().Json;
        (deferral.TryGetProperty("data", out var data) && data.TryGetProperty("flags", out _)).ShouldBeFalse("/story is answered in the channel");
        slow.Release.SetResult(new DiscordReply("There is no story #99.", Ephemeral: true));
        await responding;

        fake.RequestsTo("PATCH", "/messages/@original").ShouldBeEmpty();
        fake.RequestsTo("DELETE", "/interaction-token-900000000000000016/messages/@original").ShouldHaveSingleItem();
        var followUp = fake.RequestsTo("POST", $"/webhooks/{FakeDiscord.ApplicationId}/interaction-token-900000000000000016").ShouldHaveSingleItem().Json;
        followUp.GetProperty("flags").GetInt32().ShouldBe(64);
        followUp.GetProperty("content").GetString().ShouldBe("There is no story #99.");
    }

    [Fact]
    public async Task SlowRefusal_OfAButtonPress_LeavesThePressedMessageAndAnswersOnlyTheMember()
    {
        await using var slow = await SlowHandler.StartAsync();
        var fake = slow.Fake;

        var responding = slow.RespondAsync(TestInteractions.Button("900000000000000017", "p|latest|2|"));
        await slow.AdvanceToDeferralAsync(slow.Time.GetUtcNow());
        fake.RequestsTo("POST", "/callback").ShouldHaveSingleItem().Json.GetProperty("type").GetInt32().ShouldBe(6);
        slow.Release.SetResult(new DiscordReply("This list has expired; run the command again.", Ephemeral: true));
        await responding;

        fake.RequestsTo("PATCH", "/messages/@original").ShouldBeEmpty();
        fake.RequestsTo("DELETE", "/messages/@original").ShouldBeEmpty();
        fake.RequestsTo("POST", $"/webhooks/{FakeDiscord.ApplicationId}/interaction-token-900000000000000017").ShouldHaveSingleItem().Json.GetProperty("flags").GetInt32().ShouldBe(64);
    }

    [Fact]
    public async Task FastHandler_RepliesDirectlyWithTypedOptions()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var handler = services.GetRequiredService<ScriptedHandler>();

        await Respond(services, TestInteractions.Command("900000000000000011", "latest", new[] { new { name = "n", type = 4, value = 5 } }), TestContext.Current.CancellationToken);

        var call = handler.Calls.ShouldHaveSingleItem();
        call.GetInteger("n").ShouldBe(5);
        call.GuildId.ShouldBe(TestInteractions.Guild);
        call.IsModerator.ShouldBeFalse();
        fake.RequestsTo("POST", "/callback").ShouldHaveSingleItem().Json.GetProperty("type").GetInt32().ShouldBe(4);
    }

    [Fact]
    public async Task ModeratorCommand_FromMember_RefusedEphemerallyWithoutCallingHandler()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var handler = services.GetRequiredService<ScriptedHandler>();
        var options = new[] { new { name = "list", type = 1, options = Array.Empty<object>() } };

        await Respond(services, TestInteractions.Command("900000000000000012", "feeds", options, TestInteractions.Member), TestContext.Current.CancellationToken);

        handler.Calls.ShouldBeEmpty();
        var data = fake.RequestsTo("POST", "/callback").ShouldHaveSingleItem().Json.GetProperty("data");
        data.GetProperty("flags").GetInt32().ShouldBe(64);
        data.GetProperty("content").GetString()!.ShouldContain("Manage Server");
    }

    [Theory]
    [InlineData(TestInteractions.ManageServer)]
    [InlineData(TestInteractions.Admin)]
    public async Task ModeratorCommand_FromModerator_HandledAndEphemeral(string permissions)
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var handler = services.GetRequiredService<ScriptedHandler>();
        var options = new[] { new { name = "add", type = 1, options = new object[] { new { name = "url", type = 3, value = "https://example.org/feed.xml" } } } };

        await Respond(services, TestInteractions.Command("900000000000000013", "feeds", options, permissions), TestContext.Current.CancellationToken);

        var call = handler.Calls.ShouldHaveSingleItem();
        (call.Command, call.Subcommand, call.GetString("url")).ShouldBe(("feeds", "add", "https://example.org/feed.xml"));
        call.IsModerator.ShouldBeTrue();
        fake.RequestsTo("POST", "/callback").ShouldHaveSingleItem().Json.GetProperty("data").GetProperty("flags").GetInt32().ShouldBe(64);
    }

    [Fact]
    public async Task Autocomplete_AnswersChoicesForFocusedOption()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var handler = services.GetRequiredService<ScriptedHandler>();
        handler.Choices = [.. Enumerable.Range(1, 30).Select(i => new DiscordChoice($"Feed {i} " + new string('x', 120), $"feed-{i}"))];
        var options = new[] { new { name = "remove", type = 1, options = new object[] { new { name = "feed", type = 3, value = "Kyiv", focused = true } } } };

        await Respond(services, TestInteractions.Command("900000000000000014", "feeds", options, TestInteractions.ManageServer, type: 4), TestContext.Current.CancellationToken);

        handler.Calls.ShouldHaveSingleItem().FocusedOption.ShouldBe("feed");
        var body = fake.RequestsTo("POST", "/callback").ShouldHaveSingleItem().Json;
        body.GetProperty("type").GetInt32().ShouldBe(8);
        body.GetProperty("data").GetProperty("choices").GetArrayLength().ShouldBe(25);
    }

    [Fact]
    public async Task LongReply_SplitIntoFollowUps()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        services.GetRequiredService<ScriptedHandler>().Reply = (_, _) => Task.FromResult(new DiscordReply(string.Join("\n", Enumerable.Repeat(new string('a', 99), 50))));

        await Respond(services, TestInteractions.Command("900000000000000015", "search", new[] { new { name = "words", type = 3, value = "talks" } }), TestContext.Current.CancellationToken);

        fake.RequestsTo("POST", "/callback").Count.ShouldBe(1);
        fake.RequestsTo("POST", $"/webhooks/{FakeDiscord.ApplicationId}/interaction-token-900000000000000015").Count.ShouldBe(2);
    }

    [Fact]
    public async Task Callback_DiscordAnswers500_RetriedWithinThreeSecondsAndAnsweredOnce()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time);
        var rest = services.GetRequiredService<DiscordRestClient>();
        fake.Enqueue(CannedResponse.ServerError("POST", "/callback"));
        var deadline = time.GetUtcNow() + InteractionResponder.AnswerWithin;

        await time.AdvanceUntilDone(
            rest.CreateInteractionResponseAsync("900000000000000031", "interaction-token-900000000000000031", new InteractionCallback(InteractionCallback.Message, new Digest.Discord.Messages.DiscordMessage("ok")), deadline, TestContext.Current.CancellationToken),
            TimeSpan.FromMilliseconds(50));

        var callbacks = fake.RequestsTo("POST", "/callback");
        callbacks.Count.ShouldBe(2);
        (callbacks[1].At - callbacks[0].At).ShouldBeLessThan(InteractionResponder.AnswerWithin);
    }

    [Fact]
    public async Task Callback_ConnectionResetAfterDiscordTookIt_RetryFindsItAnsweredAndThatCounts()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time);
        var rest = services.GetRequiredService<DiscordRestClient>();
        fake.Enqueue(CannedResponse.ResetConnection("POST", "/callback") with { AfterCreating = true });

        await time.AdvanceUntilDone(
            rest.CreateInteractionResponseAsync("900000000000000032", "interaction-token-900000000000000032", new InteractionCallback(InteractionCallback.Message, new Digest.Discord.Messages.DiscordMessage("ok")), time.GetUtcNow() + InteractionResponder.AnswerWithin, TestContext.Current.CancellationToken),
            TimeSpan.FromMilliseconds(50));

        fake.RequestsTo("POST", "/callback").Count.ShouldBe(2);
    }

    [Fact]
    public async Task Callback_DiscordDownPastTheThreeSeconds_GivesUpWithAFailureNotACancellation()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeDiscord.StartAsync(time);
        await using var services = TestServices.Create(fake, time);
        var rest = services.GetRequiredService<DiscordRestClient>();
        for (var i = 0; i < 20; i++)
        {
            fake.Enqueue(CannedResponse.ServerError("POST", "/callback"));
        }

        var answering = rest.CreateInteractionResponseAsync("900000000000000033", "interaction-token-900000000000000033", new InteractionCallback(InteractionCallback.Message, new Digest.Discord.Messages.DiscordMessage("ok")), time.GetUtcNow() + InteractionResponder.AnswerWithin, TestContext.Current.CancellationToken);

        var failure = await Should.ThrowAsync<DiscordApiException>(time.AdvanceUntilDone(answering, TimeSpan.FromMilliseconds(50)));
        failure.Status.ShouldBe(500);
        var callbacks = fake.RequestsTo("POST", "/callback");
        (callbacks[^1].At - callbacks[0].At).ShouldBeLessThan(InteractionResponder.AnswerWithin);
    }

    [Fact]
    public void IsModerator_ReadsPermissionBitsFromString()
    {
        TestInteractions.Parse(TestInteractions.Command("1", "help", permissions: "2147483647")).IsModerator.ShouldBeTrue();
        TestInteractions.Parse(TestInteractions.Command("1", "help", permissions: "1071698660929")).IsModerator.ShouldBeFalse();
        TestInteractions.Parse(TestInteractions.Command("1", "help", permissions: "not a number")).IsModerator.ShouldBeFalse();
    }

    /// <summary>A handler that answers only when the test releases it, on a fake clock and a fake Discord.</summary>
    private sealed class SlowHandler : IAsyncDisposable
    {
        private SlowHandler(FakeTimeProvider time, FakeDiscord fake, ServiceProvider services) => (Time, Fake, Services) = (time, fake, services);

        public FakeTimeProvider Time { get; }

        public FakeDiscord Fake { get; }

        public ServiceProvider Services { get; }

        public TaskCompletionSource<DiscordReply> Release { get; } = new();

        public static async Task<SlowHandler> StartAsync()
        {
            var time = new FakeTimeProvider();
            var fake = await FakeDiscord.StartAsync(time);
            var slow = new SlowHandler(time, fake, TestServices.Create(fake, time));
            slow.Services.GetRequiredService<ScriptedHandler>().Reply = (_, _) => slow.Release.Task;
            return slow;
        }

        public Task RespondAsync(System.Text.Json.Nodes.JsonObject interaction) => Respond(Services, interaction, TestContext.Current.CancellationToken);

        /// <summary>
        /// Moves the clock in steps up to the deferral's moment, then waits in real time for the request to arrive: moving
        /// it on while the deferral is on the wire would count the machine's slowness as the bot's.
        /// </summary>
        public async Task AdvanceToDeferralAsync(DateTimeOffset received)
        {
            var ct = TestContext.Current.CancellationToken;
            var step = TimeSpan.FromMilliseconds(250);
            while (Fake.RequestsTo("POST", "/callback").Count == 0)
            {
                if (Time.GetUtcNow() - received >= InteractionResponder.DeferAfter)
                {
                    await Task.WhenAny(Fake.WaitForAsync("POST", "/callback", cancellationToken: ct), Task.Delay(TimeSpan.FromSeconds(5), ct));
                    if (Fake.RequestsTo("POST", "/callback").Count > 0)
                    {
                        return;
                    }
                }

                Time.Advance(step);
                await Task.WhenAny(Fake.WaitForAsync("POST", "/callback", cancellationToken: ct), Task.Delay(20, ct));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Fake.DisposeAsync();
        }
    }

    private static Task Respond(ServiceProvider services, System.Text.Json.Nodes.JsonObject json, CancellationToken cancellationToken)
    {
        var interaction = TestInteractions.Parse(json);
        var rest = services.GetRequiredService<DiscordRestClient>();
        return services.GetRequiredService<InteractionResponder>().RespondAsync(
            interaction, (callback, ct) => rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, callback, DateTimeOffset.MaxValue, ct), cancellationToken);
    }
}
