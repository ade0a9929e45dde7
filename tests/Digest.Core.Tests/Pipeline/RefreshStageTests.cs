using Digest.Core.Delivery;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Digest.Core.Summarization;
using static Digest.Core.Tests.Pipeline.PipelineWorkers;

namespace Digest.Core.Tests.Pipeline;

/// <summary>The refresh stage: stories shown once refreshed, one commit per version, alerts committed with the refresh.</summary>
public sealed class RefreshStageTests : IAsyncDisposable
{
    private const string Community = "telegram:-100";

    private readonly PipelineWorkers workers = new();

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => workers.DisposeAsync();

    private async Task<(long FeedId, long AlertChannel)> SetUpAsync(string phrase = "security guarantees")
    {
        await workers.Store.MigrateAsync(Ct);
        var feed = await workers.FeedAsync("Harbor Wire");
        var channel = await workers.Store.EnsureChannelAsync("telegram", "7", Community, "off", "UTC", Ct);
        var subscription = await workers.Store.EnsureSubscriptionAsync("telegram", "7", Community, channel.Id, T0, Ct);
        await workers.Store.AddAlertAsync(subscription.Id, phrase, T0, Ct);
        return (feed, channel.Id);
    }

    private static OutboxMessage[] Alerts(IReadOnlyList<OutboxMessage> pending) => [.. pending.Where(m => m.Kind == OutboxPayload.AlertKind)];

    [Fact]
    public async Task Run_StoryProcessedByAWorkerThatDied_RefreshedByAnotherAndThenShown()
    {
        var (feed, _) = await SetUpAsync();
        await workers.PollAsync(feed, false, NewItem("a1", "Envoys open talks in Geneva", 0, "Negotiators spent the day on security guarantees for Ukraine. Both sides said the talks were useful."));
        await workers.Process().DrainAsync(Ct);
        var shownBeforeRefresh = await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct);

        await workers.Refresh().RunAsync(Task.CompletedTask, Ct);

        shownBeforeRefresh.ShouldBeEmpty();
        var story = (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem();
        story.Title.ShouldBe("Envoys open talks in Geneva");
        story.KeyLines.ShouldNotBeEmpty();
        (await workers.Store.GetBacklogAsync(Ct)).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public async Task Run_MatchingFreshItem_AlertCommittedWithTheRefreshedStory()
    {
        var (feed, channel) = await SetUpAsync();
        await workers.PollAsync(feed, false, NewItem("a1", "Envoys open talks in Geneva", 0, "Negotiators spent the day on security guarantees for Ukraine. Both sides said the talks were useful."));
        await workers.Process().DrainAsync(Ct);

        await workers.Refresh().RunAsync(Task.CompletedTask, Ct);

        var alert = Alerts(await workers.Store.GetPendingAsync(channel, 10, Ct)).ShouldHaveSingleItem();
        var payload = OutboxPayload.Deserialize(alert.Payload);
        payload.Text.ShouldBe("security guarantees");
        var shown = payload.Digest!.Stories.ShouldHaveSingleItem();
        shown.Title.ShouldBe("Envoys open talks in Geneva");
        shown.KeyLines.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Run_OneArticleInTwoFeedsUnderALiveLabel_AlertShowsTheEventFromOneSource()
    {
        var (feed, channel) = await SetUpAsync();
        var frontPage = await workers.FeedAsync("Harbor Wire front page");
        const string Summary = "Negotiators spent the day on security guarantees for Ukraine. Both sides said the talks were useful.";
        await workers.PollAsync(feed, false, NewItem("a1", "LIVE: Envoys open talks in Geneva", 0, Summary));
        await workers.PollAsync(frontPage, false, NewItem("a1", "LIVE: Envoys open talks in Geneva", 0, Summary));
        await workers.Process().DrainAsync(Ct);

        await workers.Refresh().RunAsync(Task.CompletedTask, Ct);

        var shown = OutboxPayload.Deserialize(Alerts(await workers.Store.GetPendingAsync(channel, 10, Ct)).ShouldHaveSingleItem().Payload).Digest!.Stories.ShouldHaveSingleItem();
        shown.Title.ShouldBe("Envoys open talks in Geneva");
        shown.Sources.Select(s => s.Name).ShouldBe(["Harbor Wire"]);
        var story = (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem();
        (story.Title, story.ItemCount).ShouldBe(("Envoys open talks in Geneva", 1));
    }

    [Fact]
    public async Task Run_BacklogOnly_NoAlert()
    {
        var (feed, channel) = await SetUpAsync();
        await workers.PollAsync(feed, true, NewItem("a1", "Envoys open talks in Geneva", 0, "Negotiators spent the day on security guarantees for Ukraine."));
        await workers.Process().DrainAsync(Ct);

        await workers.Refresh().RunAsync(Task.CompletedTask, Ct);

        Alerts(await workers.Store.GetPendingAsync(channel, 10, Ct)).ShouldBeEmpty();
        (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Run_StoryGrowsAfterItsAlert_RefreshedAgainWithoutASecondAlert()
    {
        var (feed, channel) = await SetUpAsync();
        var process = workers.Process();
        var refresh = workers.Refresh();
        await workers.PollAsync(feed, false, NewItem("a1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", 0, "Security guarantees were on the table."));
        await process.DrainAsync(Ct);
        await refresh.RunAsync(Task.CompletedTask, Ct);
        await workers.PollAsync(feed, false, NewItem("a2", "Ukraine, US officials sit down in Geneva to discuss Trump peace plan", 2, "Security guarantees again."));
        await process.DrainAsync(Ct);

        await refresh.RunAsync(Task.CompletedTask, Ct);

        (await workers.StoryOfAsync("a2")).ShouldBe(await workers.StoryOfAsync("a1"));
        (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).Single().ItemCount.ShouldBe(2);
        Alerts(await workers.Store.GetPendingAsync(channel, 10, Ct)).Length.ShouldBe(1);
        (await workers.Store.GetBacklogAsync(Ct)).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public async Task Refresh_TwoWorkersOnOneVersion_OnlyOneCommitsAndOneAlertIsRecorded()
    {
        var (feed, channel) = await SetUpAsync();
        await workers.PollAsync(feed, false, NewItem("a1", "Envoys open talks in Geneva", 0, "Negotiators spent the day on security guarantees for Ukraine."));
        await workers.Process().DrainAsync(Ct);
        var slow = workers.Refresh();

        // A worker claims the story and stalls past its claim; another takes the story over and commits first.
        var stalled = await workers.Store.ClaimRefreshAsync("slow-worker", RefreshStage.ClaimTtl, workers.Time.GetUtcNow(), Ct);
        workers.Time.Advance(RefreshStage.ClaimTtl);
        await workers.Refresh().RunAsync(Task.CompletedTask, Ct);
        var afterFirst = await workers.Store.GetStoryAsync(stalled!.StoryId, Ct);
        await slow.RefreshAsync(stalled, Ct);

        Alerts(await workers.Store.GetPendingAsync(channel, 10, Ct)).ShouldHaveSingleItem();
        (await workers.Store.GetStoryAsync(stalled.StoryId, Ct))!.LastSeen.ShouldBe(afterFirst!.LastSeen);
        (await workers.Store.GetBacklogAsync(Ct)).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public async Task Run_KeyLinesFailOnce_StoryStaysDueAndItsAlertComesWithTheRetry()
    {
        var (feed, channel) = await SetUpAsync();
        await workers.PollAsync(feed, false, NewItem("a1", "Envoys open talks in Geneva", 0, "Negotiators spent the day on security guarantees for Ukraine."));
        await workers.Process().DrainAsync(Ct);
        var flaky = new FailingOnce(new ExtractiveKeyLines());

        await workers.Refresh(flaky).RunAsync(Task.CompletedTask, Ct);

        flaky.Calls.ShouldBe(2);
        Alerts(await workers.Store.GetPendingAsync(channel, 10, Ct)).ShouldHaveSingleItem();
        (await workers.Store.GetBacklogAsync(Ct)).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public async Task Run_KeyLinesFailEveryTime_StoryTriedTwiceThenOncePerClaimWhileTheOthersAreRefreshed()
    {
        var (feed, _) = await SetUpAsync();
        await workers.PollAsync(feed, false, NewItem("a1", "Envoys open talks in Geneva", 0, "Negotiators spent the day on security guarantees for Ukraine."));
        await workers.Process().DrainAsync(Ct);
        await workers.PollAsync(feed, false, NewItem("b1", "Grain corridor reopens in the Black Sea", 0, "The first ships left Odesa under the new arrangement."));
        await workers.Process().DrainAsync(Ct);
        var broken = new FailingFor("Geneva", new ExtractiveKeyLines());
        var refresh = workers.Refresh(broken);

        await refresh.RunAsync(Task.CompletedTask, Ct);

        broken.Failures.ShouldBe(2, "one retry at once, then the claim is kept: a pass ends instead of looping");
        (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem().Title.ShouldBe("Grain corridor reopens in the Black Sea");
        await refresh.RunAsync(Task.CompletedTask, Ct);
        broken.Failures.ShouldBe(2, "the claim has not expired");
        workers.Time.Advance(RefreshStage.ClaimTtl);
        await refresh.RunAsync(Task.CompletedTask, Ct);
        broken.Failures.ShouldBe(3);
    }

    [Fact]
    public async Task Run_StoriesAnEarlierBuildRefreshed_GetThisBuildsKeyLinesWithoutAnAlertOrComingBackIntoDigests()
    {
        var (feed, channel) = await SetUpAsync();
        await workers.PollAsync(feed, false, NewItem("a1", "Envoys open talks in Geneva", 0, "Negotiators spent the day on security guarantees for Ukraine. Both sides said the talks were useful."));
        await workers.Process().DrainAsync(Ct);
        // An earlier build refreshed the story (here: without key lines) and recorded no key-line revision.
        await StorySeeds.RefreshAllAsync(workers.Store, workers.Time.GetUtcNow(), Ct);
        var before = (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem();

        await workers.Refresh().RunAsync(Task.CompletedTask, Ct);
        var afterFirstStart = (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem();
        await workers.Refresh().RunAsync(Task.CompletedTask, Ct);

        before.KeyLines.ShouldBeEmpty();
        afterFirstStart.KeyLines.ShouldNotBeEmpty();
        afterFirstStart.FreshAt.ShouldBe(before.FreshAt);
        afterFirstStart.LastSeen.ShouldBe(before.LastSeen);
        Alerts(await workers.Store.GetPendingAsync(channel, 10, Ct)).ShouldBeEmpty();
        (await workers.Store.GetBacklogAsync(Ct)).IsEmpty.ShouldBeTrue();
    }

    private sealed class FailingFor(string word, IKeyLineExtractor inner) : IKeyLineExtractor
    {
        public int Failures { get; private set; }

        public ValueTask<IReadOnlyList<KeyLine>> ExtractAsync(IReadOnlyList<SourceText> sources, int maxLines, CancellationToken cancellationToken)
        {
            if (sources.Any(s => s.Title.Contains(word, StringComparison.Ordinal)))
            {
                Failures++;
                throw new InvalidOperationException("this story's article cannot be read");
            }

            return inner.ExtractAsync(sources, maxLines, cancellationToken);
        }
    }

    private sealed class FailingOnce(IKeyLineExtractor inner) : IKeyLineExtractor
    {
        public int Calls { get; private set; }

        public ValueTask<IReadOnlyList<KeyLine>> ExtractAsync(IReadOnlyList<SourceText> sources, int maxLines, CancellationToken cancellationToken) =>
            ++Calls == 1 ? throw new InvalidOperationException("the chat model went away") : inner.ExtractAsync(sources, maxLines, cancellationToken);
    }
}
