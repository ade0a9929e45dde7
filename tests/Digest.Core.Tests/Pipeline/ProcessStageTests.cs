using Digest.Core.Digests;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Digest.Core.Stories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static Digest.Core.Tests.Pipeline.PipelineWorkers;

namespace Digest.Core.Tests.Pipeline;

/// <summary>The process stage: what it picks up, how workers share the clustering, and what a crash leaves for whom.</summary>
public sealed class ProcessStageTests : IAsyncDisposable
{
    private readonly PipelineWorkers workers = new();

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => workers.DisposeAsync();

    [Fact]
    public async Task Drain_ItemsStoredByAWorkerThatDied_ProcessedByAnother()
    {
        await workers.Store.MigrateAsync(Ct);
        var wire = await workers.FeedAsync("Harbor Wire");

        // The worker that stored the items died before its process stage ran: nobody was told, the store has them.
        await workers.PollAsync(wire, backlog: false, NewItem("a1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", 0));
        var processed = await workers.Process().DrainAsync(Ct);

        processed.ShouldBe(1);
        (await workers.Store.GetBacklogAsync(Ct)).ShouldBe(new PipelineBacklog(0, 1));
        (await workers.StoryOfAsync("a1")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Drain_AnItemTheClassifierFailsOn_SetAsideWithTheReasonAndTheOthersGoOn()
    {
        await workers.Store.MigrateAsync(Ct);
        var wire = await workers.FeedAsync("Harbor Wire");
        await workers.PollAsync(
            wire,
            backlog: false,
            NewItem("a1", "Envoys open talks in Geneva on the peace plan", 0),
            NewItem("bad", "A headline that trips the classifier", 1),
            NewItem("a2", "Envoys close the Geneva talks with a joint statement", 2));
        var logger = new FakeLogger<ProcessStage>();

        var processed = await workers.Process(new FailingOn("trips"), logger: logger).DrainAsync(Ct);

        processed.ShouldBe(3);
        (await workers.Store.GetBacklogAsync(Ct)).UnprocessedItems.ShouldBe(0);
        (await workers.StoryOfAsync("a1")).ShouldNotBeNull();
        (await workers.StoryOfAsync("a2")).ShouldNotBeNull();
        (await workers.StoryOfAsync("bad")).ShouldBeNull();
        var error = logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Error).ShouldHaveSingleItem();
        error.Message.ShouldContain("A headline that trips the classifier");
        error.Message.ShouldContain("Harbor Wire");
    }

    [Fact]
    public async Task Drain_AnotherWorkerStartedTheStory_JoinsItInsteadOfStartingAnother()
    {
        await workers.Store.MigrateAsync(Ct);
        var workerA = workers.Process();
        var workerB = workers.Process();
        var wire = await workers.FeedAsync("Harbor Wire");
        var post = await workers.FeedAsync("Evening Post");

        await workers.PollAsync(wire, false, NewItem("a1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", 0));
        await workerA.DrainAsync(Ct);
        await workers.PollAsync(post, false, NewItem("b1", "Ukraine, US officials sit down in Geneva to discuss Trump peace plan", 2));
        await workerB.DrainAsync(Ct);

        (await workers.StoryOfAsync("b1")).ShouldBe(await workers.StoryOfAsync("a1"));
    }

    [Fact]
    public async Task Drain_StoryAnotherWorkerStartedSinceThisOnesLastPass_Joined()
    {
        await workers.Store.MigrateAsync(Ct);
        var workerA = workers.Process();
        var workerB = workers.Process();
        var wire = await workers.FeedAsync("Harbor Wire");
        var post = await workers.FeedAsync("Evening Post");

        // A clusters first, B later adds a Moscow story, then A gets another Moscow report: A must know B's story.
        await workers.PollAsync(wire, false, NewItem("a1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", 0));
        await workerA.DrainAsync(Ct);
        await workers.PollAsync(post, false, NewItem("b1", "Witkoff and Kushner meet Putin in Moscow on the peace plan", 1));
        await workerB.DrainAsync(Ct);
        await workers.PollAsync(wire, false, NewItem("a2", "Putin receives Witkoff and Kushner in Moscow to discuss the peace plan", 2));
        await workerA.DrainAsync(Ct);

        (await workers.StoryOfAsync("a2")).ShouldBe(await workers.StoryOfAsync("b1"));
        (await workers.StoryOfAsync("a2")).ShouldNotBe(await workers.StoryOfAsync("a1"));
    }

    [Fact]
    public async Task Drain_SameItemsStoredInAnotherOrder_SameStories()
    {
        var titles = new[]
        {
            ("g1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", 0),
            ("m1", "Witkoff and Kushner meet Putin in Moscow on the peace plan", 5),
            ("g2", "Ukraine, US officials sit down in Geneva to discuss Trump peace plan", 1),
            ("m2", "Putin receives Witkoff and Kushner in Moscow to discuss the peace plan", 6),
            ("g3", "Geneva talks on the peace plan end with a joint statement", 2),
        };

        async Task<IReadOnlyList<string>> GroupsAsync(IEnumerable<(string Key, string Title, int Hours)> order)
        {
            await using var run = new PipelineWorkers();
            await run.Store.MigrateAsync(Ct);
            var feed = await run.FeedAsync("Harbor Wire");
            foreach (var (key, title, hours) in order)
            {
                await run.PollAsync(feed, false, NewItem(key, title, hours));
            }

            await run.Process().DrainAsync(Ct);
            var items = await run.Store.GetItemsSinceAsync(DateTimeOffset.MinValue, Ct);
            return items.GroupBy(i => i.StoryId).Select(g => string.Join(',', g.Select(i => i.Item.Key).Order())).Order().ToList();
        }

        var forward = await GroupsAsync(titles);
        var backward = await GroupsAsync(titles.Reverse());

        backward.ShouldBe(forward);
        forward.ShouldContain("m1,m2");
        forward.Count.ShouldBeLessThan(titles.Length);
    }

    [Fact]
    public async Task Drain_ModeratorIncludePhrase_MakesARejectedItemAStoryOnlyThatCommunityIsShown()
    {
        await workers.Store.MigrateAsync(Ct);
        await workers.Store.SetTopicSettingsAsync("telegram:-1", new TopicSettings(["grain corridor"], [], null), Ct);
        var wire = await workers.FeedAsync("Harbor Wire");
        await workers.PollAsync(wire, false, NewItem("g1", "Ships resume sailings through the Black Sea grain corridor", 0));

        await workers.Process(new NoneRelevant()).DrainAsync(Ct);
        await workers.Refresh().RunAsync(Task.CompletedTask, Ct);

        var story = (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem();
        (await workers.Store.GetStoryItemsAsync(story.Id, Ct)).Single().Relevance!.Reasons.ShouldContain("included by a moderator: grain corridor");
        new CommunityScope(null, new TopicSettings(["grain corridor"], [], null), workers.Profile.Threshold).Admits(story).ShouldBeTrue();
        new CommunityScope(null, TopicSettings.Default, workers.Profile.Threshold).Admits(story).ShouldBeFalse();
    }

    [Fact]
    public async Task Drain_BorderlineItemJoiningARelevantStory_IsRelevantAndInTheDigestUnlessAModeratorExcludedIt()
    {
        await workers.Store.MigrateAsync(Ct);
        await workers.Store.SetTopicSettingsAsync("telegram:-1", new TopicSettings([], ["casino"], null), Ct);
        var (harbor, quay, dock, alps) = (await workers.FeedAsync("Harbor Wire"), await workers.FeedAsync("Quay Post"), await workers.FeedAsync("Dock Daily"), await workers.FeedAsync("Alps Herald"));
        await workers.PollAsync(harbor, false, NewItem("r1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", 0));
        await workers.PollAsync(quay, false, NewItem("b1", "US and Ukrainian delegations in Geneva break for the night on Trump's plan", 3));
        await workers.PollAsync(dock, false, NewItem("b2", "US and Ukrainian delegations in Geneva dine at a lakeside casino on Trump's plan", 4));
        await workers.PollAsync(alps, false, NewItem("b3", "Avalanche warning raised across the Alps after heavy snow", 2));

        await workers.Process(new TalksOrBorderline()).DrainAsync(Ct);
        await workers.Refresh().RunAsync(Task.CompletedTask, Ct);

        var story = (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem();
        var members = await workers.Store.GetStoryItemsAsync(story.Id, Ct);
        members.Select(m => m.Item.Key).Order().ShouldBe(["b1", "r1"]);
        members.Single(m => m.Item.Key == "b1").Relevance!.Reasons
            .ShouldContain($"joins story {story.Id}: US and Ukrainian delegations open talks in Geneva on Trump's peace plan");
        var all = await workers.Store.GetItemsSinceAsync(DateTimeOffset.MinValue, Ct);
        all.Single(i => i.Item.Key == "b2").Relevance!.Relevant.ShouldBeFalse();
        all.Single(i => i.Item.Key == "b3").Relevance!.Relevant.ShouldBeFalse();
        (await workers.StoryOfAsync("b3")).ShouldBeNull();

        var digest = await new DigestComposer(workers.Store, workers.Store, Microsoft.Extensions.Options.Options.Create(new DigestOptions()), workers.Time).ComposeLatestAsync(Ct);
        digest.Stories.ShouldHaveSingleItem().Sources.Select(s => s.Name).Order().ShouldBe(["Harbor Wire", "Quay Post"]);
    }

    /// <summary>Talks are relevant; anything else about Geneva or the Alps is borderline (left to its story).</summary>
    private sealed class TalksOrBorderline : Digest.Core.Classification.IRelevanceClassifier
    {
        public Digest.Core.Classification.Relevance Classify(Digest.Core.Classification.ClassifierInput input) =>
            input.Title.Contains("talks", StringComparison.Ordinal)
                ? new(true, 0.9, [], ["matched: talks"])
                : new(false, 0.25, [], ["borderline: relevant if it joins a relevant story"]) { Borderline = true };
    }

    [Fact]
    public async Task Drain_PipelineLeaseHeldByAnotherWorker_WaitsForItsRelease()
    {
        await workers.Store.MigrateAsync(Ct);
        var worker = workers.Process();
        var wire = await workers.FeedAsync("Harbor Wire");
        await workers.PollAsync(wire, false, NewItem("a1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", 0));
        (await workers.Store.TryAcquireLeaseAsync(ProcessStage.LockName, "other-worker", ProcessStage.LockTtl, workers.Time.GetUtcNow(), Ct)).ShouldBeTrue();

        var pass = worker.DrainAsync(Ct);
        var backlogWhileHeld = await workers.Store.GetBacklogAsync(Ct);
        await workers.Store.ReleaseLeaseAsync(ProcessStage.LockName, "other-worker", Ct);
        workers.Time.Advance(ProcessStage.LockRetry);
        await pass;

        backlogWhileHeld.UnprocessedItems.ShouldBe(1);
        (await workers.Store.GetBacklogAsync(Ct)).UnprocessedItems.ShouldBe(0);
    }

    [Fact]
    public async Task Drain_WorkerDiedHoldingTheLease_AnotherProcessesOnceItExpires()
    {
        await workers.Store.MigrateAsync(Ct);
        var wire = await workers.FeedAsync("Harbor Wire");
        await workers.PollAsync(wire, false, NewItem("a1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", 0));
        (await workers.Store.TryAcquireLeaseAsync(ProcessStage.LockName, "dead-worker", ProcessStage.LockTtl, workers.Time.GetUtcNow(), Ct)).ShouldBeTrue();

        workers.Time.Advance(ProcessStage.LockTtl);
        var processed = await workers.Process().DrainAsync(Ct);

        processed.ShouldBe(1);
    }

    [Fact]
    public async Task Drain_SentenceModelCannotLoad_StoriesFormOnWordsAndOneWarningIsLogged()
    {
        await workers.Store.MigrateAsync(Ct);
        var wire = await workers.FeedAsync("Harbor Wire");
        var post = await workers.FeedAsync("Evening Post");
        var logger = new FakeLogger<ProcessStage>();
        var embedder = new BrokenEmbedder();
        var worker = workers.Process(embedder: embedder, logger: logger);

        await workers.PollAsync(wire, false, NewItem("a1", "US and Ukrainian delegations open talks in Geneva on Trump's peace plan", 0));
        await worker.DrainAsync(Ct);
        await workers.PollAsync(post, false, NewItem("b1", "Ukraine, US officials sit down in Geneva to discuss Trump peace plan", 2));
        await worker.DrainAsync(Ct);

        (await workers.StoryOfAsync("b1")).ShouldNotBeNull();
        (await workers.StoryOfAsync("b1")).ShouldBe(await workers.StoryOfAsync("a1"));
        embedder.Calls.ShouldBe(2); // each pass tries the model again
        logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message)
            .ShouldHaveSingleItem().ShouldContain("Sentence embeddings are unavailable (DllNotFoundException: onnxruntime)");
    }

    [Fact]
    public async Task Drain_SameDevelopmentInOtherWords_JoinsTheStoryWhenTheModelSaysTheyMeanTheSame()
    {
        await workers.Store.MigrateAsync(Ct);
        var wire = await workers.FeedAsync("Harbor Wire");
        var post = await workers.FeedAsync("Evening Post");
        var embedder = new GroupEmbedder(["rejects", "turns down"]);

        await workers.PollAsync(wire, false, NewItem("k1", "Kremlin rejects Europe's counter-proposal to the US peace plan", 0));
        await workers.Process(embedder: embedder).DrainAsync(Ct);
        await workers.PollAsync(post, false,
            NewItem("k2", "Moscow turns down the European alternative to the American peace proposal", 1),
            NewItem("u1", "Ukraine's parliament passes budget with record defence spending", 1));
        await workers.Process(embedder: embedder).DrainAsync(Ct);

        (await workers.StoryOfAsync("k2")).ShouldBe(await workers.StoryOfAsync("k1"));
        (await workers.StoryOfAsync("u1")).ShouldNotBe(await workers.StoryOfAsync("k1"));
    }

    [Fact]
    public async Task Drain_ALaterReportShowsTwoStoriesToBeOneEvent_TheyBecomeOneUnderTheFirstsIdAndAreRefreshedOnce()
    {
        await workers.Store.MigrateAsync(Ct);
        var wire = await workers.FeedAsync("Harbor Wire");
        var post = await workers.FeedAsync("Evening Post");
        // What the headlines mean: the first two half alike (not one event on their own), the third close to both.
        var embedder = new VectorEmbedder(new()
        {
            ["framework for a ceasefire"] = [1f, 0f],
            ["territorial questions"] = [0.5f, 0.866f],
            ["on the table"] = [0.866f, 0.5f],
        });
        var refresh = workers.Refresh();

        await workers.PollAsync(wire, false, NewItem("x1", "Negotiators draft a revised framework for a ceasefire", 0));
        await workers.Process(embedder: embedder).DrainAsync(Ct);
        await workers.PollAsync(post, false, NewItem("x2", "Delegations trade proposals over territorial questions", 1));
        await workers.Process(embedder: embedder).DrainAsync(Ct);
        var first = (await workers.StoryOfAsync("x1")).ShouldNotBeNull();
        var second = (await workers.StoryOfAsync("x2")).ShouldNotBeNull();
        second.ShouldNotBe(first);
        await refresh.RunAsync(Task.CompletedTask, Ct);

        await workers.PollAsync(wire, false, NewItem("x3", "Ceasefire framework and territorial proposals on the table", 2));
        await workers.Process(embedder: embedder).DrainAsync(Ct);
        await refresh.RunAsync(Task.CompletedTask, Ct);

        (await workers.StoryOfAsync("x2")).ShouldBe(first);
        (await workers.StoryOfAsync("x3")).ShouldBe(first);
        (await workers.Store.GetStoryAsync(second, Ct)).ShouldNotBeNull().Id.ShouldBe(first);
        (await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct)).ShouldHaveSingleItem().ItemCount.ShouldBe(3);
        (await workers.Store.GetBacklogAsync(Ct)).ShouldBe(new PipelineBacklog(0, 0));
    }

    [Fact]
    public async Task Drain_ALaterReportLeavesAnEarlierMemberApart_ItBecomesAStoryOfItsOwnThatIsNoNewsAgain()
    {
        // The third headline is close to the first and far from the second: read again, the second stands apart, and
        // no new item comes with it.
        var (first, p1, p2, p3) = await StoryReadAgainAsync("Weekend swap of prisoners confirmed", "swap of prisoners", [0.9593f, -0.2823f]);

        p1.ShouldBe(first);
        p3.ShouldBe(first);
        p2.ShouldNotBe(first);
        var story = (await workers.Store.GetStoryAsync(p2, Ct)).ShouldNotBeNull();
        story.Title.ShouldBe("Lists of captured soldiers reach the border");
        story.ItemCount.ShouldBe(1);
        story.FreshAt.ShouldBeNull(); // its one report was news when it first came, not again now
        story.SplitFrom.ShouldBe(first);
        (await workers.Store.GetStoryAsync(first, Ct)).ShouldNotBeNull().ItemCount.ShouldBe(2);
        (await workers.Store.GetBacklogAsync(Ct)).ShouldBe(new PipelineBacklog(0, 0));
    }

    [Fact]
    public async Task Drain_ALaterReportShowsAStoryToHoldTwoEvents_ItSplitsAndTheOtherEventBecomesAStoryOfItsOwn()
    {
        // The third headline is close to the second and far from the first: with it, the story read as a whole is the
        // second and third's event, and the first stands apart.
        var (first, p1, p2, p3) = await StoryReadAgainAsync("First detainees home overnight", "detainees home", [0.4695f, 0.8829f]);

        p1.ShouldBe(first);
        p2.ShouldNotBe(first);
        p3.ShouldBe(p2);
        var stories = await workers.Store.GetStoriesAsync(new StoryQuery(10), Ct);
        stories.Select(s => (s.Id, s.ItemCount)).Order().ShouldBe([(first, 1), (p2, 2)]);
        stories.Single(s => s.Id == first).Title.ShouldBe("Prisoner exchange planned for the weekend");
        (await workers.Store.GetStoryAsync(first, Ct)).ShouldNotBeNull().SplitOff.ShouldBe([p2]);
        (await workers.Store.GetBacklogAsync(Ct)).ShouldBe(new PipelineBacklog(0, 0));
    }

    /// <summary>
    /// Two reports close enough in meaning to be one story on their own, processed and refreshed; then a third one,
    /// whose headline holds <paramref name="phrase"/> meaning <paramref name="meaning"/>, processed and refreshed.
    /// Returns the two reports' story, and the story of each report after the third.
    /// </summary>
    private async Task<(long First, long P1, long P2, long P3)> StoryReadAgainAsync(string third, string phrase, float[] meaning)
    {
        await workers.Store.MigrateAsync(Ct);
        var wire = await workers.FeedAsync("Harbor Wire");
        var post = await workers.FeedAsync("Evening Post");
        var embedder = new VectorEmbedder(new()
        {
            ["Prisoner exchange"] = [1f, 0f],
            ["captured soldiers"] = [0.6997f, 0.7145f],
            [phrase] = meaning,
        });
        var refresh = workers.Refresh();

        await workers.PollAsync(wire, false, NewItem("p1", "Prisoner exchange planned for the weekend", 0));
        await workers.Process(embedder: embedder).DrainAsync(Ct);
        await workers.PollAsync(post, false, NewItem("p2", "Lists of captured soldiers reach the border", 1));
        await workers.Process(embedder: embedder).DrainAsync(Ct);
        var first = (await workers.StoryOfAsync("p1")).ShouldNotBeNull();
        (await workers.StoryOfAsync("p2")).ShouldBe(first);
        await refresh.RunAsync(Task.CompletedTask, Ct);

        await workers.PollAsync(wire, false, NewItem("p3", third, 2));
        await workers.Process(embedder: embedder).DrainAsync(Ct);
        await refresh.RunAsync(Task.CompletedTask, Ct);
        return (first, (await workers.StoryOfAsync("p1")).ShouldNotBeNull(), (await workers.StoryOfAsync("p2")).ShouldNotBeNull(), (await workers.StoryOfAsync("p3")).ShouldNotBeNull());
    }

    private sealed class FailingOn(string word) : Digest.Core.Classification.IRelevanceClassifier
    {
        private readonly AllRelevant inner = new();

        public Digest.Core.Classification.Relevance Classify(Digest.Core.Classification.ClassifierInput input) =>
            input.Title.Contains(word, StringComparison.Ordinal) ? throw new IndexOutOfRangeException("a bug this headline finds") : inner.Classify(input);
    }
}
