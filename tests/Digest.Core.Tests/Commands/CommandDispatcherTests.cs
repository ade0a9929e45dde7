using System.Globalization;
using Digest.Core.Commands;
using Digest.Core.Items;
using Digest.Core.Storage;
using Digest.Core.Tests.TestSupport;
using Digest.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Core.Tests.Commands;

/// <summary>The command core over a real SQLite store: what each command says, and that refused ones change nothing.</summary>
public sealed class CommandDispatcherTests : IAsyncLifetime
{
    private const string Community = "test:community";
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingScheduling scheduling = new();
    private ServiceProvider services = null!;
    private IDigestStore store = null!;
    private ChannelRecord channel = null!;

    public async ValueTask InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"digest-commands-{Guid.NewGuid():N}.db")}",
            ["Digest:ConsoleSchedule"] = "0 0 7 * * ?", // the test's cron evaluator knows daily schedules only
        }).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddSingleton<TimeProvider>(time);
        collection.AddSingleton(new Digest.Core.Delivery.ConsoleOutput(TextWriter.Null, "text"));
        collection.AddSingleton<ICron, DailyCron>();
        collection.AddDigestCore(Path.Combine(SharedData.RepositoryRoot(), "config"));
        collection.AddDigestStorage();
        collection.AddDigestCommands();
        collection.AddSingleton<IDigestScheduling>(scheduling);
        services = collection.BuildServiceProvider();
        store = services.GetRequiredService<IDigestStore>();
        await store.MigrateAsync(CancellationToken.None);
        channel = await store.EnsureChannelAsync("test", "chat-1", Community, "0 0 8 * * ?", "UTC", CancellationToken.None);
    }

    public async ValueTask DisposeAsync() => await services.DisposeAsync();

    private async Task<CommandReply> AskAsync(string text, CallerRights rights = CallerRights.Moderator)
    {
        var parsed = CommandParser.Parse(text, null).ShouldNotBeNull();
        var request = new CommandRequest(parsed.Name, parsed.Arguments, new CommandCaller("u1", "Alice", "private-u1"), Community, channel, rights, new ChannelDefaults("0 0 9 * * ?", "UTC"));
        return await services.GetRequiredService<CommandDispatcher>().HandleAsync(request, CancellationToken.None);
    }

    [Theory]
    [InlineData("/latest abc", "/latest takes one number from 1 to 20 (how many stories), not 'abc'.")]
    [InlineData("/latest 21", "/latest takes one number from 1 to 20 (how many stories), not '21'.")]
    [InlineData("/latest 2 3", "/latest takes one number from 1 to 20 (how many stories), not '2 3'.")]
    [InlineData("/story x", "/story takes a story number such as /story 42 (the #number in digests), not 'x'.")]
    [InlineData("/story 999", "There is no story #999 in this chat's feeds.")]
    [InlineData("/search", "/search needs words to look for, for example: /search security guarantees")]
    [InlineData("/schedule daily 25:00", "'25:00' is not a time of day. Write it as HH:MM, for example: /schedule daily 08:00 Europe/Kyiv")]
    [InlineData("/schedule daily 08:00 Mars/Olympus", "'Mars/Olympus' is not a time zone I know. Use an IANA id such as UTC, Europe/Kyiv or America/New_York.")]
    [InlineData("/topic threshold 2", "/topic threshold takes one number from 0 to 1 (such as 0.6), or off; not '2'.")]
    [InlineData("/topic include", "/topic include needs a phrase, for example: /topic include \"security guarantees\"")]
    [InlineData("/topic shout", "'shout' is not a /topic action. Use /topic show, include <phrase>, exclude <phrase>, remove <phrase> or threshold <0..1|off>.")]
    [InlineData("/feedback 1 maybe", "Say good or bad, not 'maybe': /feedback 1 good")]
    [InlineData("/feedback good", "/feedback takes a story number and good or bad, for example: /feedback 42 bad")]
    [InlineData("/feeds add ftp://example.org/feed", "'ftp://example.org/feed' is not a web address. Give an http:// or https:// URL.")]
    [InlineData("/feeds add samples/harbor-wire.xml", "'samples/harbor-wire.xml' is not a web address. Give an http:// or https:// URL.")]
    [InlineData("/feeds add http://localhost:8080/feed", "Refused: localhost is this machine; feeds may not reach the host's own network.")]
    [InlineData("/feeds add http://10.1.2.3/rss", "Refused: 10.1.2.3 is a private address; feeds may not reach the host's own network.")]
    [InlineData("/feeds add http://[::1]/rss", "Refused: ::1 is a loopback address; feeds may not reach the host's own network.")]
    [InlineData("/feeds remove 999", "This community doesn't follow a feed '999'. /feeds list shows the numbers.")]
    [InlineData("/feeds frobnicate", "'frobnicate' is not a /feeds action. Use /feeds add <url> [name], /feeds remove <id>, /feeds mute <id>, /feeds unmute <id>, /feeds list, /feeds import <OPML url> (or attach an OPML file), /feeds export.")]
    [InlineData("/feeds import", "/feeds import needs an OPML file: attach it to the command, or give its URL: /feeds import https://example.org/feeds.opml")]
    [InlineData("/alerts add", "/alerts add needs a phrase, for example: /alerts add \"security guarantees\"")]
    [InlineData("/alerts add a", "“a” would match almost every story: a phrase needs at least two letters or digits.")]
    [InlineData("/topic exclude \"- !\"", "“- !” would match almost every story: a phrase needs at least two letters or digits.")]
    [InlineData("/alerts remove ceasefire", "You have no alert for “ceasefire”. /alerts list shows yours.")]
    [InlineData("/unsubscribe", "You are not subscribed to the digest here.")]
    [InlineData("/teleport", "I don't know /teleport. /help lists what I can do.")]
    public async Task BadInput_SaysExactlyWhatIsWrong_AndChangesNothing(string command, string reply)
    {
        var answer = await AskAsync(command);

        answer.Refused.ShouldBeTrue();
        answer.Text.ShouldBe(reply);
        (await store.GetChannelAsync(channel.Id, CancellationToken.None)).ShouldBe(channel);
        (await store.GetTopicSettingsAsync(Community, CancellationToken.None)).ShouldBe(TopicSettings.Default);
        (await store.GetFeedsAsync(CancellationToken.None)).ShouldBeEmpty();
        (await store.GetSubscriptionAsync("test", "u1", Community, CancellationToken.None)).ShouldBeNull();
        (await store.GetChannelsAsync(CancellationToken.None)).Count.ShouldBe(1);
        scheduling.Calls.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/latest {0}", "/latest takes one number from 1 to 20 (how many stories), not '{0}'.")]
    [InlineData("/story {0}", "/story takes a story number such as /story 42 (the #number in digests), not '{0}'.")]
    [InlineData("/alerts {0}", "'{0}' is not an /alerts action. Use /alerts add <phrase>, /alerts remove <phrase> or /alerts list.")]
    [InlineData("/topic threshold {0}", "/topic threshold takes one number from 0 to 1 (such as 0.6), or off; not '{0}'.")]
    [InlineData("/schedule daily {0}", "'{0}' is not a time of day. Write it as HH:MM, for example: /schedule daily 08:00 Europe/Kyiv")]
    [InlineData("/feeds remove {0}", "This community doesn't follow a feed '{0}'. /feeds list shows the numbers.")]
    public async Task BadInput_PastedPage_IsQuotedByItsStartOnly(string command, string reply)
    {
        var pasted = string.Concat(Enumerable.Repeat("ceasefire", 560));

        var answer = await AskAsync(string.Format(CultureInfo.InvariantCulture, command, pasted));

        answer.Refused.ShouldBeTrue();
        answer.Text.ShouldBe(string.Format(CultureInfo.InvariantCulture, reply, pasted[..(CommandParser.ShownMax - 1)] + "…"));
    }

    [Fact]
    public async Task FeedsAdd_NameOverTheLimit_IsRefusedBeforeFetching()
    {
        var answer = await AskAsync("/feeds add https://example.invalid/rss " + new string('n', FeedCommands.NameMax + 1));

        answer.Refused.ShouldBeTrue();
        answer.Text.ShouldBe("A feed's name is at most 100 characters; that one has 101.");
        (await store.GetFeedsAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task FeedsAdd_UnreadableAddressWithLongCredentials_QuotesItWithoutThem()
    {
        var secret = new string('s', 80);

        var answer = await AskAsync($"/feeds add https://reader:{secret}@example.invalid/feed");

        answer.Refused.ShouldBeTrue();
        answer.Text.ShouldStartWith("https://***@example.invalid/feed is not a feed I can read: ");
        answer.Text.ShouldNotContain("sss");
    }

    [Fact]
    public async Task FeedsListAndUnmute_OneFeedNotMuted_SayItInPlainWords()
    {
        var link = await store.AddCommunityFeedAsync(Community, "https://example.org/rss", "Example", TimeSpan.FromMinutes(15), "u1", CancellationToken.None);

        (await AskAsync("/feeds list")).Text.ShouldBe("This community follows 1 feed:");
        var unmute = await AskAsync($"/feeds unmute {link.Feed.Id}");
        unmute.Refused.ShouldBeTrue();
        unmute.Text.ShouldBe($"Example (feed #{link.Feed.Id}) is not muted.");
        (await AskAsync($"/feeds mute {link.Feed.Id}")).Refused.ShouldBeFalse();
        (await AskAsync($"/feeds mute {link.Feed.Id}")).Text.ShouldBe($"Example (feed #{link.Feed.Id}) is muted already.");
    }

    [Theory]
    [InlineData("/feeds list")]
    [InlineData("/topic include ceasefire")]
    [InlineData("/schedule daily 09:00")]
    [InlineData("/feedback 1 good")]
    public async Task ModeratorCommand_FromMember_IsRefusedPolitely(string command)
    {
        var answer = await AskAsync(command, CallerRights.Member);

        answer.Refused.ShouldBeTrue();
        answer.Text.ShouldEndWith("is for this chat's moderators (its owner and administrators).");
        (await store.GetChannelAsync(channel.Id, CancellationToken.None)).ShouldBe(channel);
    }

    [Fact]
    public async Task Schedule_DailyInKyiv_IsStoredRescheduledAndRepliesWithTheNextRun()
    {
        var answer = await AskAsync("/schedule daily 08:00 Europe/Kyiv");

        answer.Text.ShouldBe("Done. This chat's digest: daily at 08:00 (Europe/Kyiv); next: Sun 11 Jan 2026 08:00 (Europe/Kyiv).");
        var stored = await store.GetChannelAsync(channel.Id, CancellationToken.None);
        (stored!.Schedule, stored.TimeZone).ShouldBe(("0 0 8 * * ?", "Europe/Kyiv"));
        scheduling.Calls.ShouldBe([$"channel {channel.Id} 0 0 8 * * ? Europe/Kyiv"]);
    }

    [Fact]
    public async Task Topic_IncludeExcludeThreshold_AreKeptPerCommunity()
    {
        await AskAsync("/topic include \"prisoner exchange\"");
        await AskAsync("/topic exclude Gaza");
        var answer = await AskAsync("/topic threshold 0.6");

        answer.Text.ShouldBe("Always kept: “prisoner exchange”\nDropped: “Gaza”\nThreshold: 0.6");
        (await store.GetTopicSettingsAsync(Community, CancellationToken.None)).ShouldBe(new TopicSettings(["prisoner exchange"], ["Gaza"], 0.6), new TopicSettingsComparer());
        (await store.GetTopicSettingsAsync("other:community", CancellationToken.None)).ShouldBe(TopicSettings.Default);
        (await AskAsync("/topic threshold -0")).Text.ShouldEndWith("\nThreshold: 0");
    }

    [Fact]
    public async Task Feedback_OnAStory_IsStoredWithItsCommunityAndTitlesReachable()
    {
        var feed = await store.UpsertFeedAsync("https://example.org/rss", "Example", "Example", TimeSpan.FromMinutes(15), CancellationToken.None);
        var items = await store.AddItemsAsync(feed.Id, [new Item("k1", "Envoys meet in Geneva on the peace plan", "https://example.org/1", "", null, time.GetUtcNow())], false, time.GetUtcNow(), CancellationToken.None);
        var storyId = await StorySeeds.StoryAsync(store, items, time.GetUtcNow(), CancellationToken.None);

        var answer = await AskAsync($"/feedback {storyId} bad");

        answer.Text.ShouldBe("Thanks — noted that “Envoys meet in Geneva on the peace plan” is off topic. The classifier learns from this when it is retrained.");
        var feedback = (await store.GetFeedbackAsync(CancellationToken.None)).ShouldHaveSingleItem();
        feedback.ShouldBe(new FeedbackRecord(storyId, "bad", Community, "u1", time.GetUtcNow()));
        (await store.GetStoryItemsAsync(feedback.StoryId, CancellationToken.None)).Single().Item.Title.ShouldBe("Envoys meet in Geneva on the peace plan");
    }

    [Fact]
    public async Task Story_OfAStoryMergedIntoAnother_ShowsTheStoryItWasMergedInto()
    {
        var now = time.GetUtcNow();
        var feed = await store.UpsertFeedAsync("https://example.org/rss", "Example", "Example", TimeSpan.FromMinutes(15), CancellationToken.None);
        var items = await store.AddItemsAsync(feed.Id,
        [
            new Item("k1", "Envoys open a round of talks in Geneva", "https://example.org/1", "", null, now),
            new Item("k2", "Geneva round opens with both delegations present", "https://example.org/2", "", null, now.AddMinutes(5)),
        ], false, now, CancellationToken.None);
        var kept = await StorySeeds.StoryAsync(store, [items[0]], now, CancellationToken.None);
        var merged = await StorySeeds.StoryAsync(store, [items[1]], now, CancellationToken.None);
        await store.CommitProcessedAsync(new ProcessedBatch([], [], [], [new StoryMerge(merged, kept)]), now.AddHours(1), CancellationToken.None);
        await StorySeeds.RefreshAllAsync(store, now.AddHours(1), CancellationToken.None);

        var answer = await AskAsync($"/story {merged}");
        var feedback = await AskAsync($"/feedback {merged} good");

        answer.Text.ShouldBe($"Story #{kept}: 2 articles from 1 outlet (#{merged} was merged into it: the same event)");
        answer.Entries.Skip(1).Select(e => e.Title).ShouldBe(["Envoys open a round of talks in Geneva", "Geneva round opens with both delegations present"]);
        feedback.Text.ShouldBe("Thanks — noted that “Envoys open a round of talks in Geneva” is on topic. The classifier learns from this when it is retrained.");
        (await store.GetFeedbackAsync(CancellationToken.None)).ShouldHaveSingleItem().StoryId.ShouldBe(kept);
    }

    [Fact]
    public async Task Story_ToldOnlyByAnotherCommunitysOwnFeed_IsNotThisChatsToSeeOrJudge()
    {
        var now = time.GetUtcNow();
        var theirs = await store.AddCommunityFeedAsync("other:community", "https://example.org/theirs.xml", "Their Wire", TimeSpan.FromMinutes(15), "u2", CancellationToken.None);
        var items = await store.AddItemsAsync(theirs.Feed.Id, [new Item("t1", "Harbour board approves the new pier", "https://example.org/t1", "", null, now)], false, now, CancellationToken.None);
        var storyId = await StorySeeds.StoryAsync(store, items, now, CancellationToken.None);

        var story = await AskAsync($"/story {storyId}");
        var feedback = await AskAsync($"/feedback {storyId} bad");
        await store.AddCommunityFeedAsync(Community, "https://example.org/theirs.xml", "Their Wire", TimeSpan.FromMinutes(15), "u1", CancellationToken.None);
        var followed = await AskAsync($"/story {storyId}");

        story.Text.ShouldBe($"There is no story #{storyId} in this chat's feeds.");
        feedback.Text.ShouldBe($"There is no story #{storyId} in this chat's feeds.");
        (await store.GetFeedbackAsync(CancellationToken.None)).ShouldBeEmpty();
        followed.Text.ShouldBe($"Story #{storyId}: 1 article from 1 outlet");
    }

    [Fact]
    public async Task Story_SplitInTwo_EachSaysWhereTheOtherIs()
    {
        var now = time.GetUtcNow();
        var feed = await store.UpsertFeedAsync("https://example.org/rss", "Example", "Example", TimeSpan.FromMinutes(15), CancellationToken.None);
        var items = await store.AddItemsAsync(feed.Id,
        [
            new Item("k1", "Ferry service to the islands suspended for the storm", "https://example.org/1", "", null, now),
            new Item("k2", "Island council elects a new mayor", "https://example.org/2", "", null, now.AddMinutes(5)),
        ], false, now, CancellationToken.None);
        var kept = await StorySeeds.StoryAsync(store, items, now, CancellationToken.None);
        var split = await store.ReserveStoryIdAsync(CancellationToken.None);
        await store.CommitProcessedAsync(new ProcessedBatch([], [new NewStory(split, "Island council elects a new mayor", "https://example.org/2", 0.8)], [new StoryPlacement(items[1].Id, split, null)], []), now.AddHours(1), CancellationToken.None);

        var old = await AskAsync($"/story {kept}");
        var off = await AskAsync($"/story #{split}");

        old.Text.ShouldBe($"Story #{kept}: 1 article from 1 outlet (#{split} split off from it: a separate event)");
        off.Text.ShouldBe($"Story #{split}: 1 article from 1 outlet (split off from #{kept}: a separate event)");
        off.Entries.Skip(1).Select(e => e.Title).ShouldBe(["Island council elects a new mayor"]);
    }

    [Fact]
    public async Task Alerts_AddListRemove_LiveInThePrivateChannelOfTheCaller()
    {
        (await AskAsync("/alerts add “security guarantees”")).Text.ShouldStartWith("Alert added: I'll tell you privately when a new story mentions “security guarantees”.");
        (await AskAsync("/alerts add SECURITY GUARANTEES")).Text.ShouldBe("You have an alert for “SECURITY GUARANTEES” already.");
        (await AskAsync("/alerts list")).Text.ShouldBe("Your alerts: “security guarantees”");

        var mine = (await store.GetChannelsAsync(CancellationToken.None)).Single(c => c.Address == "private-u1");
        (mine.Schedule, mine.CommunityId).ShouldBe((Schedules.Off, Community));
        (await AskAsync("/alerts remove \"security guarantees\"")).Text.ShouldBe("Alert for “security guarantees” removed.");
        (await AskAsync("/alerts list")).Text.ShouldBe("You have no alerts. Add one: /alerts add \"security guarantees\"");
    }

    [Fact]
    public async Task Subscribe_TurnsOnThePrivateDigest_UnsubscribeTurnsItOff()
    {
        (await AskAsync("/subscribe")).Text.ShouldStartWith("Subscribed: you'll get the digest privately, next at Sun 11 Jan 2026 09:00 (UTC).");
        var mine = (await store.GetChannelsAsync(CancellationToken.None)).Single(c => c.Address == "private-u1");
        mine.Schedule.ShouldBe("0 0 9 * * ?");
        (await AskAsync("/subscribe")).Refused.ShouldBeTrue();

        (await AskAsync("/unsubscribe")).Text.ShouldBe("Unsubscribed from the digest.");
        (await store.GetChannelAsync(mine.Id, CancellationToken.None))!.Schedule.ShouldBe(Schedules.Off);
        scheduling.Calls.ShouldBe([$"channel {mine.Id} 0 0 9 * * ? UTC", $"channel {mine.Id} off UTC"]);
    }

    [Fact]
    public async Task FeedsRemove_LastCommunity_PausesTheFeedAndFollowingAgainResumesIt()
    {
        var link = await store.AddCommunityFeedAsync(Community, "https://example.org/rss", "Example", TimeSpan.FromMinutes(15), "u1", CancellationToken.None);
        await store.AddCommunityFeedAsync("other:community", "https://example.org/rss", "Example", TimeSpan.FromMinutes(15), "u2", CancellationToken.None);

        (await AskAsync($"/feeds remove {link.Feed.Id}")).Text.ShouldBe($"Removed Example (feed #{link.Feed.Id}).");
        (await store.GetFeedAsync(link.Feed.Id, CancellationToken.None))!.IsPaused.ShouldBeFalse();
        (await store.GetCommunityFeedsAsync(Community, CancellationToken.None)).ShouldBeEmpty();

        (await store.RemoveCommunityFeedAsync("other:community", link.Feed.Id, CancellationToken.None)).ShouldBe(FeedUnlinkResult.Orphaned);
        (await store.GetFeedAsync(link.Feed.Id, CancellationToken.None))!.PausedReason.ShouldBe(ICommunityStore.OrphanedFeedReason);

        var again = await store.AddCommunityFeedAsync(Community, "https://example.org/rss", "Example", TimeSpan.FromMinutes(15), "u1", CancellationToken.None);
        again.State.ShouldBe(CommunityFeedState.Linked);
        again.Feed.IsPaused.ShouldBeFalse();
    }

    [Fact]
    public async Task Help_ForMember_HidesModeratorCommands()
    {
        var member = await AskAsync("/help", CallerRights.Member);
        var moderator = await AskAsync("/help");

        member.Text.ShouldNotContain("/feeds add");
        member.Text.ShouldContain("/alerts add|remove <phrase>");
        moderator.Text.ShouldContain("/feeds add <url> [name]");
    }

    private sealed class RecordingScheduling : IDigestScheduling
    {
        public List<string> Calls { get; } = [];

        public Task ScheduleFeedAsync(FeedRecord feed, CancellationToken cancellationToken)
        {
            Calls.Add($"feed {feed.Id}");
            return Task.CompletedTask;
        }

        public Task UnscheduleFeedAsync(long feedId, CancellationToken cancellationToken)
        {
            Calls.Add($"unschedule feed {feedId}");
            return Task.CompletedTask;
        }

        public Task ScheduleChannelAsync(ChannelRecord channel, CancellationToken cancellationToken)
        {
            Calls.Add($"channel {channel.Id} {channel.Schedule} {channel.TimeZone}");
            return Task.CompletedTask;
        }
    }

    private sealed class TopicSettingsComparer : IEqualityComparer<TopicSettings>
    {
        public bool Equals(TopicSettings? x, TopicSettings? y) =>
            x is not null && y is not null && x.Include.SequenceEqual(y.Include) && x.Exclude.SequenceEqual(y.Exclude) && x.Threshold == y.Threshold;

        public int GetHashCode(TopicSettings obj) => 0;
    }
}
