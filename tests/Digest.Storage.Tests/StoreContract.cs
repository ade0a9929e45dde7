using Digest.Core.Classification;
using Digest.Core.Items;
using Digest.Core.Storage;

namespace Digest.Storage.Tests;

/// <summary>What every store must do, run once per provider (<see cref="SqliteStoreTests"/>, <see cref="PostgresStoreTests"/>).</summary>
public abstract class StoreContract : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 12, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(20);
    private readonly List<IDigestStore> stores = [];

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A migrated store over an empty database; <paramref name="shareWith"/> opens a second store on the same database (a second worker).</summary>
    private protected abstract Task<IDigestStore> CreateStoreAsync(IDigestStore? shareWith = null);

    private protected async Task<IDigestStore> StoreAsync(IDigestStore? shareWith = null)
    {
        var store = await CreateStoreAsync(shareWith);
        stores.Add(store);
        await store.MigrateAsync(Ct);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in stores.OfType<IAsyncDisposable>())
        {
            await store.DisposeAsync();
        }

        Cleanup();
        GC.SuppressFinalize(this);
    }

    protected virtual void Cleanup()
    {
    }

    private static Item NewItem(string key, string title, string summary = "", int minutes = 0) =>
        new(key, title, $"https://example.org/{key}", summary, null, T0.AddMinutes(minutes));

    private async Task<(IDigestStore Store, long FeedId)> StoreWithFeedAsync()
    {
        var store = await StoreAsync();
        var feed = await store.UpsertFeedAsync("https://example.org/feed.xml", "Harbor Wire", "example.org", TimeSpan.FromMinutes(15), Ct);
        return (store, feed.Id);
    }

    private async Task<long> StoryAsync(IDigestStore store, long feedId, string key, string title, DateTimeOffset at)
    {
        var item = (await store.AddItemsAsync(feedId, [NewItem(key, title)], false, at, Ct)).Single();
        return await StorySeeds.StoryAsync(store, [item], at, Ct);
    }

    private async Task<(IDigestStore Store, long ChannelId)> StoreWithChannelAsync()
    {
        var store = await StoreAsync();
        var channel = await store.EnsureChannelAsync("console", "stdout", null, "0 0 * * * ?", "UTC", Ct);
        return (store, channel.Id);
    }

    [Fact]
    public async Task Migrate_TwoWorkersAtOnceThenAgain_SchemaAppliedOnce()
    {
        var first = await CreateStoreAsync();
        var second = await CreateStoreAsync(first);
        stores.AddRange([first, second]);

        await Task.WhenAll(first.MigrateAsync(Ct), second.MigrateAsync(Ct));
        await first.MigrateAsync(Ct);

        (await first.UpsertFeedAsync("https://example.org/a.xml", null, "example.org", TimeSpan.FromMinutes(5), Ct)).Name.ShouldBe("example.org");
    }

    [Fact]
    public async Task UpsertFeed_SameUrlWithoutName_KeepsNameAndTakesNewInterval()
    {
        var (store, _) = await StoreWithFeedAsync();

        var again = await store.UpsertFeedAsync("https://example.org/feed.xml", null, "fallback", TimeSpan.FromMinutes(30), Ct);

        again.Name.ShouldBe("Harbor Wire");
        again.Interval.ShouldBe(TimeSpan.FromMinutes(30));
        (await store.GetFeedsAsync(Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task RecordPoll_FailureThenSuccess_KeepsHealthAndBacklogFlag()
    {
        var (store, feedId) = await StoreWithFeedAsync();

        await store.RecordPollAsync(feedId, new FeedPollOutcome(T0, false, null, null, "HTTP 500", 1, T0.AddMinutes(2), null), Ct);
        var failing = await store.GetFeedAsync(feedId, Ct);
        await store.RecordPollAsync(feedId, new FeedPollOutcome(T0.AddMinutes(2), true, "\"abc\"", "Mon, 22 Dec 2025 12:00:00 GMT", null, 0, T0.AddMinutes(17), null), Ct);
        var healthy = await store.GetFeedAsync(feedId, Ct);

        failing!.LastError.ShouldBe("HTTP 500");
        failing.ConsecutiveFailures.ShouldBe(1);
        failing.BacklogStored.ShouldBeFalse();
        healthy!.LastError.ShouldBeNull();
        healthy.LastSuccessAt.ShouldBe(T0.AddMinutes(2));
        healthy.NextPollAt.ShouldBe(T0.AddMinutes(17));
        healthy.ETag.ShouldBe("\"abc\"");
        healthy.BacklogStored.ShouldBeTrue();
    }

    [Fact]
    public async Task AddItems_SameKeysAgain_ReturnsOnlyTheNewOnes()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        await store.AddItemsAsync(feedId, [NewItem("a", "First"), NewItem("b", "Second")], true, T0, Ct);

        var added = await store.AddItemsAsync(feedId, [NewItem("b", "Second"), NewItem("c", "Third")], false, T0.AddMinutes(1), Ct);

        added.Select(i => i.Item.Key).ShouldBe(["c"]);
        added[0].FeedName.ShouldBe("Harbor Wire");
        (await store.GetUnprocessedAsync(10, Ct)).Count.ShouldBe(3);
        (await store.GetItemsSinceAsync(T0, Ct)).Single().Item.Title.ShouldBe("Third");
    }

    [Fact]
    public async Task StorePoll_NewItemsAndValidators_CommittedTogetherAndSearchable()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var outcome = new FeedPollOutcome(T0, true, "\"v1\"", null, null, 0, T0.AddMinutes(15), null);

        var first = await store.StorePollAsync(feedId, [NewItem("a", "Envoys meet in Geneva"), NewItem("b", "Harvest report")], true, outcome, Ct);
        var again = await store.StorePollAsync(feedId, [NewItem("b", "Harvest report"), NewItem("c", "Geneva talks end")], false, outcome with { ETag = "\"v2\"" }, Ct);

        first.ShouldBe(2);
        again.ShouldBe(1);
        var feed = await store.GetFeedAsync(feedId, Ct);
        feed!.ETag.ShouldBe("\"v2\"");
        feed.BacklogStored.ShouldBeTrue();
        (await store.SearchAsync("geneva", null, 0, 10, Ct)).Count.ShouldBe(2);
        (await store.GetUnprocessedAsync(10, Ct)).Select(i => (i.Item.Key, i.IsBacklog)).ShouldBe([("a", true), ("b", true), ("c", false)]);
    }

    [Fact]
    public async Task GetUnprocessed_OldestPublishedFirst_WhateverTheStoreOrder()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        await store.AddItemsAsync(feedId, [NewItem("late", "Late", minutes: 30), NewItem("early", "Early", minutes: 0), NewItem("middle", "Middle", minutes: 10)], false, T0, Ct);

        (await store.GetUnprocessedAsync(2, Ct)).Select(i => i.Item.Key).ShouldBe(["early", "middle"]);
    }

    [Fact]
    public async Task CommitProcessed_ItemAlreadyProcessed_WritesNothing()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var items = await store.AddItemsAsync(feedId, [NewItem("a", "Talks open in Geneva"), NewItem("b", "Geneva talks end")], false, T0, Ct);
        await StorySeeds.RejectAsync(store, [items[1]], T0, Ct);
        var storyId = await store.ReserveStoryIdAsync(Ct);

        var sequence = await store.CommitProcessedAsync(
            new ProcessedBatch(items.Select(i => new ItemVerdict(i.Id, StorySeeds.Relevant)).ToList(), [new NewStory(storyId, "Talks open in Geneva", "https://example.org/a", 0.8)], items.Select(i => new StoryPlacement(i.Id, storyId, null)).ToList(), []),
            T0,
            Ct);

        sequence.ShouldBeNull();
        (await store.GetUnprocessedAsync(10, Ct)).Select(i => i.Item.Key).ShouldBe(["a"]);
        (await store.GetStoryAsync(storyId, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task GetClustered_AfterASequence_OnlyLaterCommitsWithinTheWindowWithTheirStory()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var old = (await store.AddItemsAsync(feedId, [NewItem("old", "Envoys met last month")], false, T0.AddDays(-8), Ct)).Single();
        await StorySeeds.StoryAsync(store, [old], T0.AddDays(-8), Ct);
        var items = await store.AddItemsAsync(feedId, [NewItem("a", "Talks open in Geneva"), NewItem("b", "Harvest report"), NewItem("c", "Geneva talks end"), NewItem("d", "Envoys fly to Moscow")], false, T0, Ct);
        var story = await StorySeeds.StoryAsync(store, [items[0]], T0, Ct);
        var first = (await store.GetClusteredAsync(-1, T0.AddDays(-7), Ct)).Single();
        await StorySeeds.RejectAsync(store, [items[1]], T0, Ct);
        await StorySeeds.JoinAsync(store, story, [items[2]], T0, Ct);

        var all = await store.GetClusteredAsync(-1, T0.AddDays(-7), Ct);
        var after = await store.GetClusteredAsync(first.Sequence, T0.AddDays(-7), Ct);

        all.Select(i => i.Title).ShouldBe(["Talks open in Geneva", "Geneva talks end"]);
        all.ShouldAllBe(i => i.StoryId == story);
        all.Select(i => (i.Key, i.FeedName)).ShouldBe([("a", items[0].FeedName), ("c", items[2].FeedName)]);
        after.Select(i => i.ItemId).ShouldBe([items[2].Id]);
    }

    [Fact]
    public async Task Stories_ProcessedButNotRefreshed_NotShownUntilRefreshed()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var item = (await store.AddItemsAsync(feedId, [NewItem("a", "Talks open in Geneva")], false, T0, Ct)).Single();
        var storyId = await store.ReserveStoryIdAsync(Ct);
        await store.CommitProcessedAsync(new ProcessedBatch([new ItemVerdict(item.Id, StorySeeds.Relevant)], [new NewStory(storyId, "Talks open in Geneva", item.Item.Url, 0.8)], [new StoryPlacement(item.Id, storyId, null)], []), T0, Ct);

        var before = await store.GetStoriesAsync(new StoryQuery(10), Ct);
        await StorySeeds.RefreshAllAsync(store, T0.AddMinutes(1), Ct);

        before.ShouldBeEmpty();
        var shown = (await store.GetStoriesAsync(new StoryQuery(10), Ct)).Single();
        shown.Id.ShouldBe(storyId);
        shown.LastSeen.ShouldBe(T0.AddMinutes(1));
    }

    [Fact]
    public async Task ClaimRefresh_TwoWorkers_EachStoryToOneUntilTheClaimExpires()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var other = await StoreAsync(store);
        var items = await store.AddItemsAsync(feedId, [NewItem("a", "Talks open in Geneva")], false, T0, Ct);
        var storyId = await store.ReserveStoryIdAsync(Ct);
        await store.CommitProcessedAsync(new ProcessedBatch([new ItemVerdict(items[0].Id, StorySeeds.Relevant)], [new NewStory(storyId, "Talks open in Geneva", items[0].Item.Url, 0.8)], [new StoryPlacement(items[0].Id, storyId, null)], []), T0, Ct);

        var a = await store.ClaimRefreshAsync("a", Ttl, T0, Ct);
        var b = await other.ClaimRefreshAsync("b", Ttl, T0, Ct);
        var bLater = await other.ClaimRefreshAsync("b", Ttl, T0 + Ttl, Ct);

        a!.StoryId.ShouldBe(storyId);
        a.Version.ShouldBe(1);
        a.RefreshedVersion.ShouldBe(0);
        b.ShouldBeNull();
        bLater!.StoryId.ShouldBe(storyId);
    }

    [Fact]
    public async Task CommitRefresh_SameVersionTwice_OnlyTheFirstCommitsItsAlerts()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var channel = await store.EnsureChannelAsync("telegram", "42", null, "off", "UTC", Ct);
        var items = await store.AddItemsAsync(feedId, [NewItem("a", "Talks open in Geneva")], false, T0, Ct);
        var storyId = await store.ReserveStoryIdAsync(Ct);
        await store.CommitProcessedAsync(new ProcessedBatch([new ItemVerdict(items[0].Id, StorySeeds.Relevant)], [new NewStory(storyId, "Talks open in Geneva", items[0].Item.Url, 0.8)], [new StoryPlacement(items[0].Id, storyId, null)], []), T0, Ct);
        var refresh = new StoryRefresh(storyId, 1, "Talks open in Geneva", items[0].Item.Url, 0.8, ["ceasefire"], [], true);

        var first = await store.CommitRefreshAsync(refresh, [new OutboxEntry(channel.Id, "alert", $"alert:1:{storyId}", "{}")], "a", T0, Ct);
        var second = await store.CommitRefreshAsync(refresh with { Title = "Another title" }, [new OutboxEntry(channel.Id, "alert", $"alert:2:{storyId}", "{}")], "b", T0, Ct);

        first.ShouldBeTrue();
        second.ShouldBeFalse();
        (await store.GetStoryAsync(storyId, Ct))!.Title.ShouldBe("Talks open in Geneva");
        (await store.GetPendingAsync(channel.Id, 10, Ct)).Select(m => m.DedupKey).ShouldBe([$"alert:1:{storyId}"]);
        (await store.ClaimRefreshAsync("c", Ttl, T0, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task RequeueKeyLines_NewRevision_TheLatestRefreshedStoriesAreDueOnceAndNothingElseChanges()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var oldest = await StoryAsync(store, feedId, "a", "Talks open in Geneva", T0);
        var middle = await StoryAsync(store, feedId, "b", "Envoys fly to Moscow", T0.AddMinutes(1));
        var latest = await StoryAsync(store, feedId, "c", "Leaders meet in Berlin", T0.AddMinutes(2));
        var before = await store.GetStoryAsync(latest, Ct);

        var queued = await store.RequeueKeyLinesAsync(1, 2, Ct);
        var again = await store.RequeueKeyLinesAsync(1, 2, Ct);
        var claimed = new List<long>();
        while (await store.ClaimRefreshAsync("a", Ttl, T0.AddMinutes(3), Ct) is { } claim)
        {
            claim.Version.ShouldBe(claim.RefreshedVersion + 1);
            claimed.Add(claim.StoryId);
        }

        queued.ShouldBe(2);
        again.ShouldBe(0);
        claimed.Order().ShouldBe([middle, latest]);
        claimed.ShouldNotContain(oldest);
        var after = await store.GetStoryAsync(latest, Ct);
        after!.FreshAt.ShouldBe(before!.FreshAt);
        after.LastSeen.ShouldBe(before.LastSeen);
        (await store.RequeueKeyLinesAsync(2, 10, Ct)).ShouldBe(1); // the stories claimed above are due already; only the oldest is queued
    }

    [Fact]
    public async Task CommitProcessed_Merge_MovesItemsAndHidesTheMergedStory()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var items = await store.AddItemsAsync(feedId, [NewItem("a", "Talks open in Geneva"), NewItem("b", "Geneva round begins")], false, T0, Ct);
        var kept = await StorySeeds.StoryAsync(store, [items[0]], T0, Ct);
        var merged = await StorySeeds.StoryAsync(store, [items[1]], T0, Ct);

        await store.CommitProcessedAsync(new ProcessedBatch([], [], [], [new StoryMerge(merged, kept)]), T0.AddMinutes(1), Ct);
        var claim = await store.ClaimRefreshAsync("a", Ttl, T0.AddMinutes(1), Ct);

        claim!.StoryId.ShouldBe(kept);
        (await store.ClaimRefreshAsync("b", Ttl, T0.AddMinutes(1), Ct)).ShouldBeNull();
        (await store.GetStoryItemsAsync(kept, Ct)).Count.ShouldBe(2);
        await StorySeeds.RefreshAllAsync(store, T0.AddMinutes(2), Ct);
        (await store.GetStoriesAsync(new StoryQuery(10), Ct)).Select(s => s.Id).ShouldBe([kept]);
    }

    [Fact]
    public async Task CommitProcessed_Merge_TheMergedIdLeadsToTheSurvivorAndWhatWasSentOfItIsNotNewAgain()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var channel = await store.EnsureChannelAsync("telegram", "42", null, "off", "UTC", Ct);
        var items = await store.AddItemsAsync(feedId, [NewItem("a", "Envoys open a round of talks in Geneva"), NewItem("b", "Geneva round opens with both delegations present", minutes: 5), NewItem("c", "The Geneva round ends with a joint statement", minutes: 60), NewItem("d", "Geneva round opens with both delegations present!", minutes: 61)], false, T0, Ct);
        var kept = await StorySeeds.StoryAsync(store, [items[0]], T0, Ct);
        var merged = await StorySeeds.StoryAsync(store, [items[1]], T0, Ct);
        // The channel was shown the second story and a subscriber there was alerted on it; the first it never saw.
        (await store.EnqueueDigestAsync(channel.Id, "digest:1", "{}", T0, [new DigestEntry(merged, T0, true, ["Evening Post"], ["Both delegations were present."])], Ct)).ShouldBeTrue();
        (await store.EnqueueAsync(channel.Id, "alert", $"alert:7:{merged}", "{}", T0, Ct)).ShouldBeTrue();

        // A later report shows both to be the one round: it joins the first and the second is merged into it, in one commit
        // (with another feed's copy of the second's article, placed in it by the same commit).
        var sequence = await store.CommitProcessedAsync(new ProcessedBatch(
            [new ItemVerdict(items[2].Id, StorySeeds.Relevant), new ItemVerdict(items[3].Id, StorySeeds.Relevant)],
            [],
            [new StoryPlacement(items[2].Id, kept, null), new StoryPlacement(items[3].Id, merged, items[1].Id)],
            [new StoryMerge(merged, kept)]), T0.AddHours(1), Ct);

        sequence.ShouldNotBeNull();
        var resolved = (await store.GetStoryAsync(merged, Ct)).ShouldNotBeNull();
        resolved.Id.ShouldBe(kept);
        resolved.ItemCount.ShouldBe(4);
        (await store.GetStoryItemsAsync(merged, Ct)).ShouldBeEmpty();
        var claim = (await store.ClaimRefreshAsync("r", Ttl, T0.AddHours(1), Ct)).ShouldNotBeNull();
        claim.StoryId.ShouldBe(kept);
        (await store.ClaimRefreshAsync("r2", Ttl, T0.AddHours(1), Ct)).ShouldBeNull();
        // Only the reports that were in neither story before are news to the survivor's refresh (alerts, freshness).
        var members = await store.GetStoryItemsAsync(kept, Ct);
        members.Where(m => m.JoinedVersion > claim.RefreshedVersion).Select(m => m.Item.Key).ShouldBe(["c", "d"]);
        members.ShouldAllBe(m => m.JoinedVersion <= claim.Version);
        // What the channel was shown of the merged story counts for the survivor; its alert too.
        var sent = await store.GetSentAsync(channel.Id, [kept], Ct);
        sent[kept].Sources.ShouldBe(["Evening Post"]);
        sent[kept].Lines.ShouldBe(["Both delegations were present."]);
        (await store.CommitRefreshAsync(new StoryRefresh(kept, claim.Version, "The Geneva round", items[0].Item.Url, 0.8, [], [], true), [new OutboxEntry(channel.Id, "alert", $"alert:7:{kept}", "{}")], "r", T0.AddHours(1), Ct)).ShouldBeTrue();
        (await store.GetPendingAsync(channel.Id, 10, Ct)).Count(m => m.Kind == "alert").ShouldBe(1);
        (await store.GetStoriesAsync(new StoryQuery(10), Ct)).Select(s => s.Id).ShouldBe([kept]);
    }

    [Fact]
    public async Task CommitProcessed_ItemsLeaveAStoryForANewOne_BothAreRefreshedAndWhatWasShownOfThemIsNotNewAgain()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var channel = await store.EnsureChannelAsync("telegram", "42", null, "off", "UTC", Ct);
        var items = await store.AddItemsAsync(feedId, [NewItem("a", "Prisoner exchange planned for the weekend"), NewItem("b", "Lists of captured soldiers reach the border", minutes: 5), NewItem("c", "First detainees home overnight", minutes: 60)], false, T0, Ct);
        var kept = await StorySeeds.StoryAsync(store, [items[0], items[1]], T0, Ct);
        await StorySeeds.RefreshAllAsync(store, T0, Ct);
        (await store.EnqueueDigestAsync(channel.Id, "digest:1", "{}", T0, [new DigestEntry(kept, T0, true, ["Evening Post"], ["Buses left at dawn."])], Ct)).ShouldBeTrue();

        // A later report shows the story to hold two events: the second item leaves it for a story the report starts.
        var split = await store.ReserveStoryIdAsync(Ct);
        var sequence = await store.CommitProcessedAsync(new ProcessedBatch(
            [new ItemVerdict(items[2].Id, StorySeeds.Relevant)],
            [new NewStory(split, "First detainees home overnight", items[2].Item.Url, 0.8)],
            [new StoryPlacement(items[1].Id, split, null), new StoryPlacement(items[2].Id, split, null)],
            []), T0.AddHours(1), Ct);

        sequence.ShouldNotBeNull();
        (await store.GetStoryItemsAsync(kept, Ct)).Select(m => m.Item.Key).ShouldBe(["a"]);
        var claims = new List<StoryClaim>();
        while (await store.ClaimRefreshAsync("r", Ttl, T0.AddHours(1), Ct) is { } claim)
        {
            claims.Add(claim);
        }

        claims.Select(c => c.StoryId).Order().ShouldBe([kept, split]);
        // Only the report that was in no story before is news to the new story's refresh (alerts, freshness).
        var members = await store.GetStoryItemsAsync(split, Ct);
        members.Select(m => m.Item.Key).Order().ShouldBe(["b", "c"]);
        members.Where(m => m.JoinedVersion > claims.Single(c => c.StoryId == split).RefreshedVersion).Select(m => m.Item.Key).ShouldBe(["c"]);
        // What the channel was shown of the story the items left counts for the new one.
        (await store.GetSentAsync(channel.Id, [split], Ct))[split].Sources.ShouldBe(["Evening Post"]);
        // Each story names the other: where the new one came from, and what split off from the old one.
        (await store.GetStoryAsync(split, Ct)).ShouldNotBeNull().SplitFrom.ShouldBe(kept);
        (await store.GetStoryAsync(kept, Ct)).ShouldNotBeNull().SplitOff.ShouldBe([split]);
        (await store.GetStoryAsync(kept, Ct))!.SplitFrom.ShouldBeNull();
        // Moved items are stamped with the commit, so every worker's window sees them move.
        (await store.GetClusteredAsync(sequence.Value - 1, T0.AddDays(-1), Ct)).Select(i => (i.Title, i.StoryId)).Order()
            .ShouldBe([("First detainees home overnight", split), ("Lists of captured soldiers reach the border", split)]);
    }

    [Fact]
    public async Task Search_TwoWordsLastOnePartial_FindsTheItemWithASnippet()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        await store.AddItemsAsync(feedId,
        [
            NewItem("a", "Envoys meet in Geneva", "Negotiators discussed security guarantees for Kyiv over two days of talks."),
            NewItem("b", "Harvest report", "Grain exports rose in the autumn."),
        ], false, T0, Ct);

        var hits = await store.SearchAsync("security guar", null, 0, 10, Ct);
        var none = await store.SearchAsync("\"; DROP TABLE items; --", null, 0, 10, Ct);

        hits.Single().Title.ShouldBe("Envoys meet in Geneva");
        hits[0].Snippet.ShouldContain("«security»");
        none.ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_LastWordAPrefix_FindsEveryWordItBeginsButNotInsideWords()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var many = Enumerable.Range(0, 70).Select(i => NewItem($"w{i}", $"Wordplay {(char)('a' + (i / 26))}{(char)('a' + (i % 26))} wor{(char)('a' + (i / 26))}{(char)('a' + (i % 26))}s")).ToList();
        await store.AddItemsAsync(feedId, [NewItem("a", "Security council meets"), NewItem("b", "Secure talks"), NewItem("c", "Insecure world"), .. many], false, T0, Ct);

        (await store.SearchAsync("secur", null, 0, 10, Ct)).Select(h => h.Title).Order().ShouldBe(["Secure talks", "Security council meets"]);
        (await store.SearchAsync("council secur", null, 0, 10, Ct)).Single().Title.ShouldBe("Security council meets");
        (await store.SearchAsync("Geneva OR secure", null, 0, 10, Ct)).Single().Title.ShouldBe("Secure talks");

        // A prefix that begins seventy words (wordplay, woraas … worcrs) finds them all the same.
        (await store.SearchAsync("wor", null, 0, 100, Ct)).Count.ShouldBe(71);
        (await store.SearchAsync("wor", null, 60, 100, Ct)).Count.ShouldBe(11);
    }

    [Fact]
    public async Task Search_QuotesAndOr_AndOneHitPerArticleAcrossFeeds()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var mirror = await store.UpsertFeedAsync("https://mirror.example/rss", "Mirror", "mirror.example", TimeSpan.FromMinutes(15), Ct);
        await store.AddItemsAsync(feedId, [NewItem("a", "Envoys meet in Geneva", "Security guarantees for Kyiv."), NewItem("b", "Talks resume in Miami", "Witkoff hosts Umerov.")], false, T0, Ct);
        await store.AddItemsAsync(mirror.Id, [NewItem("a", "Envoys meet in Geneva", "Security guarantees for Kyiv.")], false, T0, Ct);

        (await store.SearchAsync("Geneva OR Miami", null, 0, 10, Ct)).Select(h => h.Title).Order().ShouldBe(["Envoys meet in Geneva", "Talks resume in Miami"]);
        (await store.SearchAsync("\"meet in Geneva\"", null, 0, 10, Ct)).Count.ShouldBe(1);
        (await store.SearchAsync("\"Geneva meet\"", null, 0, 10, Ct)).ShouldBeEmpty();
        (await store.SearchAsync("Geneva", [mirror.Id], 0, 10, Ct)).Single().FeedName.ShouldBe("Mirror");
    }

    [Fact]
    public async Task Mutes_PerCommunity_ShownWithTheCommunitysFeeds()
    {
        var (store, feedId) = await StoreWithFeedAsync();

        (await store.SetFeedMutedAsync("c1", feedId, true, Ct)).ShouldBeTrue();
        (await store.SetFeedMutedAsync("c1", feedId, true, Ct)).ShouldBeFalse();
        (await store.GetCommunityFeedsAsync("c1", Ct)).Single(f => f.Feed.Id == feedId).Muted.ShouldBeTrue();
        (await store.GetCommunityFeedsAsync("c2", Ct)).Single(f => f.Feed.Id == feedId).Muted.ShouldBeFalse();
        (await store.GetMutedFeedsAsync("c1", Ct)).ShouldBe([feedId]);
        (await store.SetFeedMutedAsync("c1", feedId, false, Ct)).ShouldBeTrue();
        (await store.GetMutedFeedsAsync("c1", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ScopeFeedIds_TheCommunitysFeedsLessMuted_AsGetCommunityFeedsShowsThem()
    {
        var (store, configured) = await StoreWithFeedAsync();
        var muted = await store.UpsertFeedAsync("https://example.org/muted.xml", "Muted Wire", "example.org", TimeSpan.FromMinutes(15), Ct);
        var own = await store.AddCommunityFeedAsync("tg:1", "https://example.net/own.xml", "Own News", TimeSpan.FromMinutes(10), "u1", Ct);
        var others = await store.AddCommunityFeedAsync("dc:2", "https://example.net/other.xml", "Other News", TimeSpan.FromMinutes(10), "u2", Ct);
        await store.SetFeedMutedAsync("tg:1", muted.Id, true, Ct);

        var scope = await store.GetScopeFeedIdsAsync("tg:1", Ct);

        scope.ShouldBe([configured, own.Feed.Id]);
        scope.ShouldBe((await store.GetCommunityFeedsAsync("tg:1", Ct)).Where(f => !f.Muted).Select(f => f.Feed.Id));
        (await store.GetScopeFeedIdsAsync("dc:2", Ct)).ShouldBe([configured, muted.Id, others.Feed.Id]);
    }

    [Fact]
    public async Task Search_ScopedToACommunitysFeeds_DoesNotShowOtherFeedsItems()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var other = await store.UpsertFeedAsync("https://example.net/private", "Private Wire", "example.net", TimeSpan.FromMinutes(15), Ct);
        await store.AddItemsAsync(feedId, [NewItem("a", "Envoys meet in Geneva", "Security guarantees for Kyiv.")], false, T0, Ct);
        await store.AddItemsAsync(other.Id, [NewItem("b", "Envoys meet in Abu Dhabi", "Security guarantees again.")], false, T0, Ct);

        var scoped = await store.SearchAsync("security", [feedId], 0, 10, Ct);
        var nothingFollowed = await store.SearchAsync("security", [], 0, 10, Ct);
        var everything = await store.SearchAsync("security", null, 0, 10, Ct);

        scoped.Single().Title.ShouldBe("Envoys meet in Geneva");
        nothingFollowed.ShouldBeEmpty();
        everything.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Stories_OneArticleInTwoFeeds_CountsAndListsItOnce()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var frontPage = await store.UpsertFeedAsync("https://example.org/front.xml", "Harbor Wire front page", "example.org", TimeSpan.FromMinutes(15), Ct);
        var other = await store.UpsertFeedAsync("https://example.net/rss", "Eastern Ledger", "example.net", TimeSpan.FromMinutes(15), Ct);
        var storyId = await StoryAsync(store, feedId, "a", "Envoys meet in Geneva", T0);

        var copy = (await store.AddItemsAsync(frontPage.Id, [NewItem("a", "Envoys meet in Geneva")], false, T0.AddMinutes(5), Ct)).Single();
        var report = (await store.AddItemsAsync(other.Id, [NewItem("b", "Geneva envoys meet again")], false, T0.AddMinutes(6), Ct)).Single();
        await StorySeeds.JoinAsync(store, storyId, [copy, report], T0.AddMinutes(6), Ct);

        var story = (await store.GetStoryAsync(storyId, Ct)).ShouldNotBeNull();
        story.Sources.Select(s => s.Name).ShouldBe(["Harbor Wire", "Eastern Ledger"]);
        story.ItemCount.ShouldBe(2);
        (await store.GetStoryItemsAsync(storyId, Ct)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Stories_ItemAttachedLater_StoryHasBothSourcesAndIsUnsentAgain()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var other = await store.UpsertFeedAsync("https://example.net/rss", "Eastern Ledger", "example.net", TimeSpan.FromMinutes(15), Ct);
        var channel = await store.EnsureChannelAsync("console", "stdout", null, "0 0 * * * ?", "UTC", Ct);
        var storyId = await StoryAsync(store, feedId, "a", "Envoys meet in Geneva", T0);
        var story = await store.GetStoryAsync(storyId, Ct);
        await store.EnqueueDigestAsync(channel.Id, "digest:1", "{}", T0, [new DigestEntry(storyId, story!.FreshAt, true, ["Harbor Wire"], [])], Ct);
        var afterDigest = await store.GetStoriesAsync(new StoryQuery(10, NotSentToChannel: channel.Id), Ct);

        var second = (await store.AddItemsAsync(other.Id, [NewItem("x", "Geneva envoys meet again")], false, T0.AddMinutes(5), Ct)).Single();
        await StorySeeds.JoinAsync(store, storyId, [second], T0.AddMinutes(5), Ct);

        afterDigest.ShouldBeEmpty();
        var unsent = (await store.GetStoriesAsync(new StoryQuery(10, NotSentToChannel: channel.Id), Ct)).Single();
        unsent.Sources.Select(s => s.Name).ShouldBe(["Harbor Wire", "Eastern Ledger"]);
        unsent.ItemCount.ShouldBe(2);
        unsent.LastSeen.ShouldBe(T0.AddMinutes(5));
        unsent.FreshAt.ShouldBe(T0.AddMinutes(5));
        (await store.GetSentAsync(channel.Id, [storyId], Ct))[storyId].Sources.ShouldBe(["Harbor Wire"]);
        (await store.GetStoriesAsync(new StoryQuery(10, FeedIds: [other.Id]), Ct)).Single().Id.ShouldBe(storyId);
        (await store.GetStoriesAsync(new StoryQuery(10, FeedIds: []), Ct)).ShouldBeEmpty();
        (await store.GetStoryItemsAsync(storyId, Ct)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task EnqueueDigest_SameDedupKeyTwice_RecordedOnce()
    {
        var (store, channelId) = await StoreWithChannelAsync();

        var first = await store.EnqueueDigestAsync(channelId, "digest:1:slot", "{}", T0, [], Ct);
        var second = await store.EnqueueDigestAsync(channelId, "digest:1:slot", "{}", T0, [], Ct);

        first.ShouldBeTrue();
        second.ShouldBeFalse();
        (await store.GetPendingAsync(channelId, 10, Ct)).Count.ShouldBe(1);
        (await store.GetChannelAsync(channelId, Ct))!.LastDigestAt.ShouldBe(T0);
    }

    [Fact]
    public async Task EnqueueDigest_TwoWorkersRaceWithTheSameStory_OnlyOneDigestCarriesIt()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var second = await StoreAsync(store);
        var channel = await store.EnsureChannelAsync("console", "stdout", null, "0 0 * * * ?", "UTC", Ct);
        var storyId = await StoryAsync(store, feedId, "a", "Envoys meet in Geneva", T0);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? store : second).EnqueueDigestAsync(channel.Id, $"digest:{i}", "{}", T0, [new DigestEntry(storyId, T0, true, [], [])], Ct)));

        results.Count(r => r).ShouldBe(1);
        (await store.GetPendingAsync(channel.Id, 10, Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task ClaimNext_TwoWorkers_OnlyOneGetsTheMessageUntilItsClaimExpires()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        await store.EnqueueAsync(channelId, "text", "m1", "one", T0, Ct);

        var byA = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0, Ct);
        var byB = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0.AddSeconds(5), Ct);
        var byBAfterExpiry = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0 + Ttl, Ct);

        byA!.DedupKey.ShouldBe("m1");
        byB.ShouldBeNull();
        byBAfterExpiry!.DedupKey.ShouldBe("m1");
    }

    [Fact]
    public async Task ExpireClaims_OfAClaimerThatDied_ItsMessageIsTakenOverAtOnceAndOthersStayClaimed()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        var other = (await store.EnsureChannelAsync("telegram", "-100", null, "0 0 8 * * ?", "UTC", Ct)).Id;
        await store.EnqueueAsync(channelId, "text", "m1", "one", T0, Ct);
        await store.EnqueueAsync(other, "text", "m2", "two", T0, Ct);
        await store.ClaimNextAsync(channelId, "host-a:41:x", Ttl, T0, Ct);
        await store.ClaimNextAsync(other, "host-b:41:y", Ttl, T0, Ct);

        var claimers = await store.GetClaimersAsync("host-a:", T0.AddSeconds(1), Ct);
        await store.ExpireClaimsAsync("host-a:41:x", T0.AddSeconds(1), Ct);
        var takenOver = await store.ClaimNextAsync(channelId, "host-a:42:z", Ttl, T0.AddSeconds(1), Ct);
        var stillClaimed = await store.ClaimNextAsync(other, "host-a:42:z", Ttl, T0.AddSeconds(1), Ct);

        claimers.ShouldBe(["host-a:41:x"]);
        takenOver!.Attempts.ShouldBe(1);
        stillClaimed.ShouldBeNull();
    }

    [Fact]
    public async Task ExpireClaims_OfAClaimerThatDied_ItsInboxUpdateAndStoryRefreshAreTakenOverAtOnce()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var items = await store.AddItemsAsync(feedId, [NewItem("a", "Talks open in Geneva")], false, T0, Ct);
        var storyId = await store.ReserveStoryIdAsync(Ct);
        await store.CommitProcessedAsync(new ProcessedBatch([new ItemVerdict(items[0].Id, StorySeeds.Relevant)], [new NewStory(storyId, "Talks open in Geneva", items[0].Item.Url, 0.8)], [new StoryPlacement(items[0].Id, storyId, null)], []), T0, Ct);
        await store.ReceiveUpdatesAsync("telegram:1", [new("1", "-100", "{}")], null, T0, Ct);
        (await store.ClaimRefreshAsync("host-a:41:x", Ttl, T0, Ct)).ShouldNotBeNull();
        (await store.ClaimNextUpdateAsync("telegram:1", "-100", "host-a:41:x", Ttl, T0, Ct)).ShouldNotBeNull();
        var now = T0.AddSeconds(1);

        var claimers = await store.GetClaimersAsync("host-a:", now, Ct);
        await store.ExpireClaimsAsync("host-a:41:x", now, Ct);

        claimers.ShouldBe(["host-a:41:x"]);
        (await store.ClaimRefreshAsync("host-a:42:z", Ttl, now, Ct))!.StoryId.ShouldBe(storyId);
        (await store.ClaimNextUpdateAsync("telegram:1", "-100", "host-a:42:z", Ttl, now, Ct))!.Payload.ShouldBe("{}");
        (await store.GetClaimersAsync("host-a:41", now, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ClaimNext_ClaimOfAWorkerThatDied_TakenOverAsAnAttemptThatMayHaveReachedThePlatform()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        await store.EnqueueAsync(channelId, "text", "m1", "one", T0, Ct);

        var byA = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0, Ct);
        var takenOver = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0 + Ttl, Ct);
        await store.ReleaseClaimAsync(takenOver!.Id, "worker-b", Ct);
        var afterARelease = await store.ClaimNextAsync(channelId, "worker-c", Ttl, T0 + Ttl, Ct);

        byA!.Attempts.ShouldBe(0);
        takenOver.Attempts.ShouldBe(1);
        takenOver.LastError!.ShouldContain("may have reached the platform");
        afterARelease!.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task ClaimNext_HeadNotSent_LaterMessagesWaitSoOrderIsKept()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        await store.EnqueueAsync(channelId, "text", "m1", "one", T0, Ct);
        await store.EnqueueAsync(channelId, "text", "m2", "two", T0, Ct);

        var head = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0, Ct);
        var otherWorker = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0, Ct);
        await store.MarkSentAsync(head!.Id, T0, Ct);
        var next = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0, Ct);

        otherWorker.ShouldBeNull();
        next!.DedupKey.ShouldBe("m2");
        (await store.GetPendingAsync(channelId, 10, Ct)).Select(m => m.DedupKey).ShouldBe(["m2"]);
        (await store.GetPendingAsync(null, 10, Ct)).Select(m => m.DedupKey).ShouldBe(["m2"]);
    }

    [Fact]
    public async Task ClaimNext_AfterFailure_AnyWorkerRetriesAtOnceWithTheErrorKept()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        await store.EnqueueAsync(channelId, "text", "m1", "one", T0, Ct);
        var claimed = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0, Ct);

        await store.MarkFailedAsync(claimed!.Id, "HTTP 502", T0.AddSeconds(4), Ct);
        var early = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0.AddSeconds(3), Ct);
        var dueBefore = await store.GetDueChannelsAsync(T0.AddSeconds(3), Ct);
        var dueAfter = await store.GetDueChannelsAsync(T0.AddSeconds(4), Ct);
        var retried = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0.AddSeconds(4), Ct);

        early.ShouldBeNull();
        dueBefore.ShouldBeEmpty();
        dueAfter.ShouldBe([channelId]);
        retried!.Attempts.ShouldBe(1);
        retried.LastError.ShouldBe("HTTP 502");
    }

    [Fact]
    public async Task SetAside_FailingHead_ChannelGoesOnWithTheNextAndBothAreShownInTheBacklog()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        await store.EnqueueAsync(channelId, "digest", "m1", "one", T0, Ct);
        await store.EnqueueAsync(channelId, "text", "m2", "two", T0, Ct);
        var head = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0, Ct);
        await store.MarkFailedAsync(head!.Id, "HTTP 500", T0.AddSeconds(2), Ct);

        var backlog = (await store.GetOutboxBacklogAsync(Ct)).ShouldHaveSingleItem();
        var again = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0.AddSeconds(2), Ct);
        await store.SetAsideAsync(again!.Id, "gave up after 2 attempts: HTTP 500", T0.AddSeconds(3), Ct);
        var next = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0.AddSeconds(3), Ct);
        var afterwards = (await store.GetOutboxBacklogAsync(Ct)).ShouldHaveSingleItem();

        backlog.ShouldBe(new ChannelBacklog(channelId, 2, T0.AddSeconds(2), "HTTP 500", 0));
        next!.DedupKey.ShouldBe("m2");
        afterwards.ShouldBe(new ChannelBacklog(channelId, 1, null, null, 1));
        var aside = (await store.GetSetAsideAsync(10, Ct)).ShouldHaveSingleItem();
        aside.ShouldBe(new SetAsideMessage(head.Id, channelId, "digest", T0, T0.AddSeconds(3), 2, "gave up after 2 attempts: HTTP 500"));
        (await store.GetPendingAsync(channelId, 10, Ct)).Select(m => m.DedupKey).ShouldBe(["m2"]);
    }

    [Fact]
    public async Task RecordPartsSent_WorkerDiesAfterPartOne_TheNextClaimReadsItAndTheClaimWasExtended()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        await store.EnqueueAsync(channelId, "digest", "m1", "three parts", T0, Ct);
        var claimed = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0, Ct);

        await store.RecordPartsSentAsync(claimed!.Id, "worker-a", 1, T0.AddSeconds(15) + Ttl, Ct);
        var whileExtended = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0 + Ttl, Ct);
        var afterExpiry = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0.AddSeconds(15) + Ttl, Ct);

        claimed.PartsSent.ShouldBe(0);
        whileExtended.ShouldBeNull();
        afterExpiry!.PartsSent.ShouldBe(1);
    }

    [Fact]
    public async Task ReleaseClaim_WorkerStopsMidSend_ClaimedAgainAtOnceWithoutCountingAnAttempt()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        await store.EnqueueAsync(channelId, "text", "m1", "one", T0, Ct);
        var claimed = await store.ClaimNextAsync(channelId, "worker-a", Ttl, T0, Ct);

        await store.ReleaseClaimAsync(claimed!.Id, "worker-b", Ct);
        var whileStillClaimed = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0, Ct);
        await store.ReleaseClaimAsync(claimed.Id, "worker-a", Ct);
        var again = await store.ClaimNextAsync(channelId, "worker-b", Ttl, T0, Ct);

        whileStillClaimed.ShouldBeNull();
        again!.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task GetDueChannels_OnlyUnpausedChannelsWhoseOldestMessageIsDueAndUnclaimed()
    {
        var (store, idle) = await StoreWithChannelAsync();
        var claimed = (await store.EnsureChannelAsync("telegram", "-100", null, "0 0 8 * * ?", "UTC", Ct)).Id;
        var paused = (await store.EnsureChannelAsync("telegram", "-200", null, "0 0 8 * * ?", "UTC", Ct)).Id;
        var due = (await store.EnsureChannelAsync("telegram", "-300", null, "0 0 8 * * ?", "UTC", Ct)).Id;
        var sent = (await store.EnsureChannelAsync("telegram", "-400", null, "0 0 8 * * ?", "UTC", Ct)).Id;
        foreach (var channel in new[] { claimed, paused, due, sent })
        {
            await store.EnqueueAsync(channel, "text", $"m{channel}", "hello", T0, Ct);
        }

        await store.ClaimNextAsync(claimed, "worker-a", Ttl, T0, Ct);
        await store.SetChannelPausedAsync(paused, "the bot was removed from the chat", Ct);
        await store.MarkSentAsync((await store.ClaimNextAsync(sent, "worker-a", Ttl, T0, Ct))!.Id, T0, Ct);

        (await store.GetDueChannelsAsync(T0.AddSeconds(1), Ct)).ShouldBe([due]);
        (await store.GetDueChannelsAsync(T0 + Ttl, Ct)).ShouldBe([claimed, due]);
        idle.ShouldNotBe(due);
    }

    [Fact]
    public async Task ClaimNext_FourWorkersDrainingOneChannel_EachMessageSentOnceInOrder()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        var other = await StoreAsync(store);
        for (var i = 0; i < 30; i++)
        {
            await store.EnqueueAsync(channelId, "text", $"m{i:D2}", $"message {i}", T0, Ct);
        }

        var sent = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(
            async () =>
            {
                var worker = w % 2 == 0 ? store : other;
                var idle = 0;
                while (idle < 50)
                {
                    var message = await worker.ClaimNextAsync(channelId, $"worker-{w}", Ttl, T0, Ct);
                    if (message is null)
                    {
                        idle++;
                        await Task.Yield();
                        continue;
                    }

                    sent.Enqueue(message.DedupKey);
                    await worker.MarkSentAsync(message.Id, T0, Ct);
                }
            },
            Ct)));

        sent.ToList().ShouldBe(Enumerable.Range(0, 30).Select(i => $"m{i:D2}").ToList());
    }

    [Fact]
    public async Task Lease_HolderStopsRenewing_AnotherTakesOverOnlyAfterItExpires()
    {
        var store = await StoreAsync();

        var a = await store.TryAcquireLeaseAsync("telegram", "worker-a", Ttl, T0, Ct);
        var bEarly = await store.TryAcquireLeaseAsync("telegram", "worker-b", Ttl, T0.AddSeconds(19), Ct);
        var bLate = await store.TryAcquireLeaseAsync("telegram", "worker-b", Ttl, T0 + Ttl, Ct);
        var aRenews = await store.RenewLeaseAsync("telegram", "worker-a", Ttl, T0 + Ttl, Ct);

        a.ShouldBeTrue();
        bEarly.ShouldBeFalse();
        bLate.ShouldBeTrue();
        aRenews.ShouldBeFalse();
    }

    [Fact]
    public async Task Lease_Released_AnotherTakesItAtOnce()
    {
        var store = await StoreAsync();
        await store.TryAcquireLeaseAsync("discord", "worker-a", Ttl, T0, Ct);
        (await store.RenewLeaseAsync("discord", "worker-a", Ttl, T0.AddSeconds(10), Ct)).ShouldBeTrue();

        await store.ReleaseLeaseAsync("discord", "worker-a", Ct);

        (await store.TryAcquireLeaseAsync("discord", "worker-b", Ttl, T0.AddSeconds(11), Ct)).ShouldBeTrue();
        (await store.TryAcquireLeaseAsync("discord", "worker-b", Ttl, T0.AddSeconds(12), Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Inbox_UpdatesReceivedTwiceWithTheOffset_StoredOnceAndTheOffsetKept()
    {
        var store = await StoreAsync();

        var first = await store.ReceiveUpdatesAsync("telegram:1", [new("10", "-100", "{\"a\":1}"), new("11", "-200", "{}")], ("telegram:1:offset", "12"), T0, Ct);
        var again = await store.ReceiveUpdatesAsync("telegram:1", [new("11", "-200", "{}"), new("12", "-100", "{}")], ("telegram:1:offset", "13"), T0, Ct);
        var otherBot = await store.ReceiveUpdatesAsync("telegram:2", [new("10", "-100", "{}")], null, T0, Ct);

        first.ShouldBe(2);
        again.ShouldBe(1);
        otherBot.ShouldBe(1);
        (await store.GetStateAsync("telegram:1:offset", Ct)).ShouldBe("13");
        (await store.GetWaitingQueuesAsync("telegram:1", T0, Ct)).ShouldBe(["-100", "-200"]);
    }

    [Fact]
    public async Task Inbox_OneQueue_HandledInOrderByOneWorkerAtATime()
    {
        var store = await StoreAsync();
        var other = await StoreAsync(store);
        await store.ReceiveUpdatesAsync("telegram:1", [new("1", "-100", "first"), new("2", "-100", "second"), new("3", "-200", "elsewhere")], null, T0, Ct);

        var byA = await store.ClaimNextUpdateAsync("telegram:1", "-100", "worker-a", Ttl, T0, Ct);
        var byB = await other.ClaimNextUpdateAsync("telegram:1", "-100", "worker-b", Ttl, T0, Ct);
        var otherQueue = await other.ClaimNextUpdateAsync("telegram:1", "-200", "worker-b", Ttl, T0, Ct);
        var waitingWhileClaimed = await store.GetWaitingQueuesAsync("telegram:1", T0, Ct);
        await store.MarkUpdateHandledAsync(byA!.Id, T0, Ct);
        var next = await other.ClaimNextUpdateAsync("telegram:1", "-100", "worker-b", Ttl, T0, Ct);

        byA.Payload.ShouldBe("first");
        byA.Attempts.ShouldBe(1);
        byB.ShouldBeNull();
        otherQueue!.Payload.ShouldBe("elsewhere");
        waitingWhileClaimed.ShouldBeEmpty();
        next!.Payload.ShouldBe("second");
    }

    [Fact]
    public async Task Inbox_WorkerDiesOrStops_ClaimExpiresOrIsReleasedAndTheUpdateIsTakenUpAgain()
    {
        var store = await StoreAsync();
        await store.ReceiveUpdatesAsync("telegram:1", [new("1", "-100", "dies"), new("2", "-200", "stops")], null, T0, Ct);
        var dying = await store.ClaimNextUpdateAsync("telegram:1", "-100", "worker-a", Ttl, T0, Ct);
        var stopping = await store.ClaimNextUpdateAsync("telegram:1", "-200", "worker-a", Ttl, T0, Ct);

        await store.ReleaseUpdateAsync(stopping!.Id, "worker-a", Ct);
        var waiting = await store.GetWaitingQueuesAsync("telegram:1", T0.AddSeconds(1), Ct);
        var waitingAfterExpiry = await store.GetWaitingQueuesAsync("telegram:1", T0 + Ttl, Ct);
        var takenOver = await store.ClaimNextUpdateAsync("telegram:1", "-100", "worker-b", Ttl, T0 + Ttl, Ct);
        var released = await store.ClaimNextUpdateAsync("telegram:1", "-200", "worker-b", Ttl, T0 + Ttl, Ct);

        waiting.ShouldBe(["-200"]);
        waitingAfterExpiry.ShouldBe(["-100", "-200"]);
        takenOver!.Id.ShouldBe(dying!.Id);
        takenOver.Attempts.ShouldBe(2);
        released!.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task Inbox_Prune_ForgetsOnlyUpdatesHandledBeforeTheTime()
    {
        var store = await StoreAsync();
        await store.ReceiveUpdatesAsync("telegram:1", [new("1", "-100", "old"), new("2", "-100", "recent"), new("3", "-100", "waiting")], null, T0, Ct);
        await store.MarkUpdateHandledAsync((await store.ClaimNextUpdateAsync("telegram:1", "-100", "w", Ttl, T0, Ct))!.Id, T0, Ct);
        await store.MarkUpdateHandledAsync((await store.ClaimNextUpdateAsync("telegram:1", "-100", "w", Ttl, T0, Ct))!.Id, T0.AddHours(2), Ct);

        var pruned = await store.PruneUpdatesAsync(T0.AddHours(1), Ct);
        var again = await store.ReceiveUpdatesAsync("telegram:1", [new("2", "-100", "recent")], null, T0, Ct);

        pruned.ShouldBe(1);
        again.ShouldBe(0);
        (await store.ClaimNextUpdateAsync("telegram:1", "-100", "w", Ttl, T0, Ct))!.Payload.ShouldBe("waiting");
    }

    [Fact]
    public async Task State_SetTwice_ReadsTheLatestValue()
    {
        var store = await StoreAsync();

        var before = await store.GetStateAsync("telegram:offset", Ct);
        await store.SetStateAsync("telegram:offset", "41", Ct);
        await store.SetStateAsync("telegram:offset", "42", Ct);

        before.ShouldBeNull();
        (await store.GetStateAsync("telegram:offset", Ct)).ShouldBe("42");
    }

    // ---- Communities: feeds, topic settings

    [Fact]
    public async Task CommunityFeeds_TwoCommunitiesFollowOneUrl_OneFeedAndTheLastToLeavePausesIt()
    {
        var store = await StoreAsync();
        var configured = await store.UpsertFeedAsync("https://example.org/wire.xml", "Harbor Wire", "example.org", TimeSpan.FromMinutes(15), Ct);
        var url = "https://river.example/news.xml";

        var viaCommand = await store.AddCommunityFeedAsync("tg:1", configured.Url, "Wire again", TimeSpan.FromMinutes(5), "u1", Ct);
        var added = await store.AddCommunityFeedAsync("tg:1", url, "River News", TimeSpan.FromMinutes(10), "u1", Ct);
        var linked = await store.AddCommunityFeedAsync("dc:2", url, "River", TimeSpan.FromMinutes(30), "u2", Ct);
        var again = await store.AddCommunityFeedAsync("tg:1", url, "River News", TimeSpan.FromMinutes(10), "u1", Ct);

        viaCommand.State.ShouldBe(CommunityFeedState.Configured);
        added.State.ShouldBe(CommunityFeedState.Added);
        linked.State.ShouldBe(CommunityFeedState.Linked);
        linked.Feed.Id.ShouldBe(added.Feed.Id);
        again.State.ShouldBe(CommunityFeedState.AlreadyFollowed);
        (await store.GetFeedsAsync(Ct)).Count.ShouldBe(2);
        (await store.GetCommunityFeedsAsync("tg:1", Ct)).Select(f => (f.Feed.Name, f.Configured)).ShouldBe([("Harbor Wire", true), ("River News", false)]);
        (await store.GetCommunityFeedsAsync("tg:9", Ct)).Select(f => f.Feed.Name).ShouldBe(["Harbor Wire"]);

        (await store.RemoveCommunityFeedAsync("tg:1", configured.Id, Ct)).ShouldBe(FeedUnlinkResult.Configured);
        (await store.RemoveCommunityFeedAsync("tg:9", added.Feed.Id, Ct)).ShouldBe(FeedUnlinkResult.NotFollowed);
        (await store.RemoveCommunityFeedAsync("tg:1", added.Feed.Id, Ct)).ShouldBe(FeedUnlinkResult.Unlinked);
        (await store.GetFeedAsync(added.Feed.Id, Ct))!.IsPaused.ShouldBeFalse();
        (await store.RemoveCommunityFeedAsync("dc:2", added.Feed.Id, Ct)).ShouldBe(FeedUnlinkResult.Orphaned);
        (await store.GetFeedAsync(added.Feed.Id, Ct))!.PausedReason.ShouldBe(ICommunityStore.OrphanedFeedReason);
        (await store.GetCommunityFeedsAsync("tg:1", Ct)).Count.ShouldBe(1);

        var back = await store.AddCommunityFeedAsync("dc:2", url, "River", TimeSpan.FromMinutes(30), "u2", Ct);
        back.State.ShouldBe(CommunityFeedState.Linked);
        back.Feed.IsPaused.ShouldBeFalse();
        (await store.GetFeedAsync(added.Feed.Id, Ct))!.IsPaused.ShouldBeFalse();
    }

    [Fact]
    public async Task CommunityFeeds_TwoWorkersAddTheSameUrlAtOnce_OneFeedBothFollow()
    {
        var first = await StoreAsync();
        var second = await StoreAsync(first);
        var url = "https://river.example/news.xml";

        var links = await Task.WhenAll(
            first.AddCommunityFeedAsync("tg:1", url, "River", TimeSpan.FromMinutes(10), null, Ct),
            second.AddCommunityFeedAsync("dc:2", url, "River", TimeSpan.FromMinutes(10), null, Ct));

        links.Select(l => l.State).Order().ShouldBe([CommunityFeedState.Added, CommunityFeedState.Linked]);
        links[0].Feed.Id.ShouldBe(links[1].Feed.Id);
        (await first.GetCommunityFeedsAsync("tg:1", Ct)).Count.ShouldBe(1);
        (await first.GetCommunityFeedsAsync("dc:2", Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task TopicSettings_SetTwice_ReadsTheLatestAndOtherCommunitiesKeepTheDefault()
    {
        var store = await StoreAsync();

        await store.SetTopicSettingsAsync("tg:1", new TopicSettings(["grain corridor"], ["football"], 0.4), Ct);
        await store.SetTopicSettingsAsync("tg:1", new TopicSettings(["grain corridor", "Black Sea"], [], null), Ct);

        var settings = await store.GetTopicSettingsAsync("tg:1", Ct);
        settings.Include.ShouldBe(["grain corridor", "Black Sea"]);
        settings.Exclude.ShouldBeEmpty();
        settings.Threshold.ShouldBeNull();
        (await store.GetTopicSettingsAsync("tg:2", Ct)).ShouldBe(TopicSettings.Default);
    }

    [Fact]
    public async Task IncludePhrases_SeveralCommunities_EveryPhraseOnce()
    {
        var store = await StoreAsync();
        await store.SetTopicSettingsAsync("tg:1", new TopicSettings(["grain corridor", "Black Sea"], ["football"], null), Ct);
        await store.SetTopicSettingsAsync("dc:2", new TopicSettings(["black sea", "prisoner swap"], [], 0.7), Ct);

        var phrases = await store.GetIncludePhrasesAsync(Ct);

        phrases.Count.ShouldBe(3);
        phrases.ShouldContain("grain corridor");
        phrases.ShouldContain("prisoner swap");
    }

    // ---- Subscriptions, alerts, feedback

    [Fact]
    public async Task Subscriptions_AlertPhrasesComparedIgnoringCase_AndDigestFlagKept()
    {
        var (store, channelId) = await StoreWithChannelAsync();
        var dm = await store.EnsureChannelAsync("telegram", "555", null, "0 0 8 * * ?", "UTC", Ct);

        var subscription = await store.EnsureSubscriptionAsync("telegram", "555", "tg:1", channelId, T0, Ct);
        var same = await store.EnsureSubscriptionAsync("telegram", "555", "tg:1", dm.Id, T0.AddMinutes(1), Ct);
        var first = await store.AddAlertAsync(subscription.Id, "Ceasefire", T0, Ct);
        var sameWord = await store.AddAlertAsync(subscription.Id, "CEASEFIRE", T0.AddMinutes(1), Ct);
        await store.AddAlertAsync(subscription.Id, "prisoner swap", T0.AddMinutes(2), Ct);
        await store.SetSubscriptionDigestAsync(subscription.Id, true, Ct);

        same.Id.ShouldBe(subscription.Id);
        first.ShouldBeTrue();
        sameWord.ShouldBeFalse();
        var stored = (await store.GetSubscriptionAsync("telegram", "555", "tg:1", Ct))!;
        stored.ChannelId.ShouldBe(dm.Id);
        stored.Digest.ShouldBeTrue();
        stored.Alerts.ShouldBe(["Ceasefire", "prisoner swap"]);
        (await store.GetSubscriptionAsync("telegram", "555", "tg:2", Ct)).ShouldBeNull();
        (await store.GetAlertSubscriptionsAsync(Ct)).Select(s => s.Id).ShouldBe([subscription.Id]);

        (await store.RemoveAlertAsync(subscription.Id, "ceaseFIRE", Ct)).ShouldBeTrue();
        (await store.RemoveAlertAsync(subscription.Id, "ceasefire", Ct)).ShouldBeFalse();
        (await store.RemoveAlertAsync(subscription.Id, "prisoner swap", Ct)).ShouldBeTrue();
        (await store.GetAlertSubscriptionsAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Feedback_SameMemberTwice_LaterVerdictReplacesTheFirst()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var story = await StoryAsync(store, feedId, "a", "Envoys meet in Geneva", T0);

        await store.RecordFeedbackAsync(new FeedbackRecord(story, "good", "tg:1", "u1", T0), Ct);
        await store.RecordFeedbackAsync(new FeedbackRecord(story, "good", "tg:1", "u2", T0.AddMinutes(1)), Ct);
        await store.RecordFeedbackAsync(new FeedbackRecord(story, "bad", "tg:1", "u1", T0.AddMinutes(2)), Ct);

        (await store.GetFeedbackAsync(Ct)).ShouldBe([
            new FeedbackRecord(story, "bad", "tg:1", "u1", T0.AddMinutes(2)),
            new FeedbackRecord(story, "good", "tg:1", "u2", T0.AddMinutes(1)),
        ]);
    }

    // ---- Channels: find and rebind

    [Fact]
    public async Task RebindChannel_GroupBecameSupergroup_ChannelAndCommunityMoveWhatTheNewOneHasStays()
    {
        var (store, feedId) = await StoreWithFeedAsync();
        var story = await StoryAsync(store, feedId, "a", "Envoys meet in Geneva", T0);
        var group = await store.EnsureChannelAsync("telegram", "-42", "tg:-42", "0 0 8 * * ?", "UTC", Ct);
        var dm = await store.EnsureChannelAsync("telegram", "555", "tg:-42", "0 0 8 * * ?", "UTC", Ct);
        var feed = await store.AddCommunityFeedAsync("tg:-42", "https://river.example/news.xml", "River", TimeSpan.FromMinutes(10), null, Ct);
        await store.SetTopicSettingsAsync("tg:-42", new TopicSettings(["grain"], [], null), Ct);
        await store.SetTopicSettingsAsync("tg:-1001", new TopicSettings(["ports"], [], 0.5), Ct);
        await store.EnsureSubscriptionAsync("telegram", "555", "tg:-42", dm.Id, T0, Ct);
        await store.RecordFeedbackAsync(new FeedbackRecord(story, "good", "tg:-42", "555", T0), Ct);

        await store.RebindChannelAsync(group.Id, "-1001", "tg:-1001", Ct);

        (await store.FindChannelAsync("telegram", "-42", Ct)).ShouldBeNull();
        var moved = (await store.FindChannelAsync("telegram", "-1001", Ct))!;
        moved.Id.ShouldBe(group.Id);
        moved.CommunityId.ShouldBe("tg:-1001");
        (await store.GetChannelAsync(dm.Id, Ct))!.CommunityId.ShouldBe("tg:-1001");
        (await store.GetCommunityFeedsAsync("tg:-1001", Ct)).Select(f => f.Feed.Id).ShouldContain(feed.Feed.Id);
        (await store.GetTopicSettingsAsync("tg:-1001", Ct)).Include.ShouldBe(["ports"]);
        (await store.GetSubscriptionAsync("telegram", "555", "tg:-1001", Ct)).ShouldNotBeNull();
        (await store.GetFeedbackAsync(Ct)).Single().CommunityId.ShouldBe("tg:-1001");
        (await store.FindChannelAsync("discord", "-1001", Ct)).ShouldBeNull();
    }
}
