using Digest.Core.Classification;
using Digest.Core.Items;

namespace Digest.Core.Storage;

/// <summary>A feed and what the bot knows of its health.</summary>
internal sealed record FeedRecord(
    long Id,
    string Url,
    string Name,
    TimeSpan Interval,
    string? ETag,
    string? LastModified,
    DateTimeOffset? LastPolledAt,
    DateTimeOffset? LastSuccessAt,
    string? LastError,
    int ConsecutiveFailures,
    DateTimeOffset? NextPollAt,
    string? PausedReason,
    bool BacklogStored)
{
    public bool IsPaused => PausedReason is not null;
}

/// <summary>The outcome of one poll, as the store records it.</summary>
internal sealed record FeedPollOutcome(
    DateTimeOffset PolledAt,
    bool Success,
    string? ETag,
    string? LastModified,
    string? Error,
    int ConsecutiveFailures,
    DateTimeOffset NextPollAt,
    string? PausedReason);

/// <summary>An item as stored, with its classification and story.</summary>
internal sealed record StoredItem(
    long Id,
    long FeedId,
    string FeedName,
    Item Item,
    DateTimeOffset FirstSeen,
    bool IsBacklog,
    Relevance? Relevance,
    long? StoryId)
{
    /// <summary>The story version the item joined in: the items above a story's refreshed version are new to its next refresh.</summary>
    public int JoinedVersion { get; init; }
}

/// <summary>What the clusterer needs of an item another worker (or an earlier run) put into a story.</summary>
internal sealed record ClusteredItem(long ItemId, long StoryId, long Sequence, string Key, string FeedName, string Title, string Summary, DateTimeOffset Published)
{
    /// <summary>The item's canonical link: another feed's item with the same one is the same article.</summary>
    public string Url { get; init; } = "";
}

/// <summary>The process stage's verdict on one item.</summary>
internal sealed record ItemVerdict(long ItemId, Relevance Relevance);

/// <summary>A story the process stage started, under an id reserved with <see cref="IStoryStore.ReserveStoryIdAsync"/>.</summary>
internal sealed record NewStory(long StoryId, string Title, string Url, double Score);

/// <summary>An item joins a story (a new one, an existing one, or — re-clustered — another one than before).</summary>
internal sealed record StoryPlacement(long ItemId, long StoryId, long? DuplicateOfItemId);

/// <summary>A story folded into another: its items move there and it stops being shown.</summary>
internal sealed record StoryMerge(long StoryId, long IntoStoryId);

/// <summary>
/// One commit of the process stage: every item's relevance, and the membership changes they bring. Committed in one
/// transaction; each touched story's version goes up by one, which marks it due for a refresh.
/// </summary>
internal sealed record ProcessedBatch(IReadOnlyList<ItemVerdict> Verdicts, IReadOnlyList<NewStory> NewStories, IReadOnlyList<StoryPlacement> Placements, IReadOnlyList<StoryMerge> Merges)
{
    public static readonly ProcessedBatch Empty = new([], [], [], []);
}

/// <summary>A story claimed for a refresh: its version now, the version last refreshed, and when it began.</summary>
internal sealed record StoryClaim(long StoryId, int Version, int RefreshedVersion, DateTimeOffset FirstSeen);

/// <summary>What a refresh computed for a story at <see cref="Version"/>; <see cref="HasNewItems"/> makes it a new version for digests.</summary>
internal sealed record StoryRefresh(long StoryId, int Version, string Title, string Url, double Score, IReadOnlyList<string> Tags, IReadOnlyList<KeyLine> KeyLines, bool HasNewItems)
{
    /// <summary>
    /// The newest published time of the fresh items (not a feed's backlog) new in this refresh; null when none. A refresh
    /// with fresh items makes the story new (or updated) for channels' next digests.
    /// </summary>
    public DateTimeOffset? FreshPublished { get; init; }
}

/// <summary>Work waiting in the pipeline: items stored but not processed, stories changed but not refreshed.</summary>
internal sealed record PipelineBacklog(long UnprocessedItems, long StoriesDue)
{
    public bool IsEmpty => UnprocessedItems == 0 && StoriesDue == 0;
}

/// <summary>A message to record in the outbox with the change that caused it.</summary>
internal sealed record OutboxEntry(long ChannelId, string Kind, string DedupKey, string Payload);

/// <summary>A line that carries a story's news, with who said it when it is a quote (stored with the story).</summary>
internal sealed record KeyLine(string Text, string? Speaker)
{
    /// <summary>
    /// Who said it, as a reader is shown it after the line: nobody when the line names every speaker itself ("Kremlin
    /// spokesman Dmitry Peskov said …", "…, Ushakov told journalists"), so the speaker is told once. A speaker is named by
    /// the word that tells them apart, the last capitalised one ("Zelenskyy" of "Volodymyr Zelenskyy's office").
    /// </summary>
    public string? Credit() => Speaker is { } speaker && !speaker.Split("; ").All(NamedInText) ? speaker : null;

    private bool NamedInText(string speaker)
    {
        var words = speaker.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var name = words.LastOrDefault(w => char.IsUpper(w[0])) ?? words.LastOrDefault() ?? "";
        foreach (var possessive in (string[])["'s", "’s"])
        {
            name = name.EndsWith(possessive, StringComparison.Ordinal) ? name[..^possessive.Length] : name;
        }

        for (var at = name.Length == 0 ? -1 : Text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = Text.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var end = at + name.Length;
            if ((at == 0 || !char.IsLetterOrDigit(Text[at - 1])) && (end == Text.Length || !char.IsLetterOrDigit(Text[end])))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A source of a story: the outlet and its link.</summary>
internal sealed record StorySource(string Name, string Url)
{
    /// <summary>
    /// What makes two items one article: its link. An outlet runs one article in several of its feeds (front page, all
    /// posts), and a story counts and lists it once. An item without a link is an article of its own.
    /// </summary>
    public static string ArticleKey(string url, long itemId) => url.Length > 0 ? url : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"#{itemId}");
}

/// <summary>One event told by one or more outlets.</summary>
internal sealed record StoryRecord(
    long Id,
    string Title,
    string Url,
    double Score,
    IReadOnlyList<string> Tags,
    IReadOnlyList<StorySource> Sources,
    IReadOnlyList<KeyLine> KeyLines,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    DateTimeOffset Published,
    int ItemCount)
{
    /// <summary>When a refresh last brought the story a fresh item (not backlog); null when it only ever had backlog.</summary>
    public DateTimeOffset? FreshAt { get; init; }

    /// <summary>The story this one was split off from: its first items were reported as part of that one.</summary>
    public long? SplitFrom { get; init; }

    /// <summary>The stories split off from this one (only <see cref="IStoryStore.GetStoryAsync"/> fills it in).</summary>
    public IReadOnlyList<long> SplitOff { get; init; } = [];
}

/// <summary>
/// Which stories: updated after a time, published after a time, from some feeds, and — for a channel's digest — not yet
/// covered by a digest of that channel since they last got a fresh item (<see cref="NotSentToChannel"/>), with a fresh
/// item after <see cref="FreshAfter"/> published after <see cref="FreshPublishedAfter"/>.
/// </summary>
internal sealed record StoryQuery(
    int Limit,
    DateTimeOffset? SeenAfter = null,
    DateTimeOffset? PublishedAfter = null,
    IReadOnlyCollection<long>? FeedIds = null,
    long? NotSentToChannel = null,
    DateTimeOffset? FreshAfter = null,
    DateTimeOffset? FreshPublishedAfter = null);

/// <summary>
/// A story a digest covered: shown (with the sources and key lines shown, so the next showing can say what is new) or
/// passed over (ranked below the digest's stories; it comes back only with a fresh item). <see cref="FreshAt"/> is the
/// story's fresh time the digest saw.
/// </summary>
internal sealed record DigestEntry(long StoryId, DateTimeOffset? FreshAt, bool Shown, IReadOnlyList<string> Sources, IReadOnlyList<string> Lines);

/// <summary>What a channel was last shown of a story: its sources' names and its key lines.</summary>
internal sealed record SentStory(long StoryId, IReadOnlyList<string> Sources, IReadOnlyList<string> Lines);

/// <summary>A place digests go: the console, a Telegram chat, a Discord channel.</summary>
internal sealed record ChannelRecord(
    long Id,
    string Platform,
    string Address,
    string? CommunityId,
    string Schedule,
    string TimeZone,
    DateTimeOffset? LastDigestAt,
    string? PausedReason)
{
    /// <summary>The address as chat and logs may show it: a webhook URL carries its secret token, so only its host shows.</summary>
    public string ShownAddress => Uri.TryCreate(Address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? $"webhook at {uri.Host}" : Address;

    /// <summary>When the bot first knew the channel: items published before never make a story new for it. Null for channels older than that record.</summary>
    public DateTimeOffset? JoinedAt { get; init; }

    /// <summary>True when the channel asked for a "nothing new" line (<c>/digest quiet off</c>); by default a digest with nothing new is not sent.</summary>
    public bool SayNothingNew { get; init; }
}

/// <summary>
/// A message recorded before it is sent, marked when the channel acknowledges it. <see cref="PartsSent"/> counts the
/// platform messages of it already acknowledged (a digest split into several), so a retry goes on from the next one.
/// </summary>
internal sealed record OutboxMessage(
    long Id,
    long ChannelId,
    string Kind,
    string DedupKey,
    string Payload,
    DateTimeOffset CreatedAt,
    int Attempts,
    string? LastError,
    int PartsSent = 0);

/// <summary>
/// What waits in one channel's outbox: messages not yet sent (the oldest one's next attempt and last error, when it has
/// failed) and messages set aside after failing too often.
/// </summary>
internal sealed record ChannelBacklog(long ChannelId, int Waiting, DateTimeOffset? NextAttemptAt, string? LastError, int SetAside);

/// <summary>A message the bot gave up on: it failed <see cref="Attempts"/> times, or the platform refused it outright.</summary>
internal sealed record SetAsideMessage(long Id, long ChannelId, string Kind, DateTimeOffset CreatedAt, DateTimeOffset SetAsideAt, int Attempts, string Reason);

/// <summary>An update as a chat platform sent it (<paramref name="Payload"/>, its JSON), and the queue it is handled in: its chat.</summary>
internal sealed record InboxEntry(string ExternalId, string Queue, string Payload);

/// <summary>A received update waiting to be handled; <see cref="Attempts"/> counts the workers that took it up.</summary>
internal sealed record InboxMessage(long Id, string Source, string ExternalId, string Queue, string Payload, DateTimeOffset ReceivedAt, int Attempts);

/// <summary>A search hit with a snippet of the matching text.</summary>
internal sealed record SearchHit(long ItemId, long? StoryId, string Title, string Url, string FeedName, DateTimeOffset Published, string Snippet);

/// <summary>A feed as a community sees it: its own (added with /feeds add) or configured by the operator for every community.</summary>
internal sealed record CommunityFeed(FeedRecord Feed, bool Configured)
{
    /// <summary>Muted by a moderator (<c>/feeds mute</c>): still polled and searchable, but its items bring no story to this community.</summary>
    public bool Muted { get; init; }
}

internal enum CommunityFeedState
{
    /// <summary>A new feed, now linked to the community.</summary>
    Added,

    /// <summary>A feed another community already follows, now linked to this one too (fetched once for all).</summary>
    Linked,

    /// <summary>The community already follows it.</summary>
    AlreadyFollowed,

    /// <summary>A configured feed: every community has it already.</summary>
    Configured,
}

internal sealed record CommunityFeedLink(FeedRecord Feed, CommunityFeedState State);

internal enum FeedUnlinkResult
{
    NotFollowed,
    Configured,
    Unlinked,

    /// <summary>
    /// Unlinked, and no community follows it any more: the feed is paused (<see cref="ICommunityStore.OrphanedFeedReason"/>)
    /// but kept, so the stories its items belong to stay whole; following it again resumes it.
    /// </summary>
    Orphaned,
}

/// <summary>A community's topic settings, applied on top of the stored relevance (include/exclude phrases, a threshold).</summary>
internal sealed record TopicSettings(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude, double? Threshold)
{
    public static readonly TopicSettings Default = new([], [], null);
}

/// <summary>A member who gets the digest (<see cref="Digest"/>) and/or alerts in a private channel, for one community.</summary>
internal sealed record SubscriptionRecord(long Id, string Platform, string UserId, string CommunityId, long ChannelId, bool Digest, IReadOnlyList<string> Alerts);

/// <summary>What a member said about a story; the story's item titles are reachable with <see cref="IDigestStore.GetStoryItemsAsync"/>.</summary>
internal sealed record FeedbackRecord(long StoryId, string Verdict, string CommunityId, string UserId, DateTimeOffset At);

/// <summary>Feeds and their health: what the poll stage reads and records.</summary>
internal interface IFeedStore
{
    /// <summary>Adds a feed or updates its interval; a null <paramref name="name"/> keeps the stored name (a new feed is named <paramref name="fallbackName"/>).</summary>
    Task<FeedRecord> UpsertFeedAsync(string url, string? name, string fallbackName, TimeSpan interval, CancellationToken cancellationToken);
    Task<IReadOnlyList<FeedRecord>> GetFeedsAsync(CancellationToken cancellationToken);
    Task<FeedRecord?> GetFeedAsync(long feedId, CancellationToken cancellationToken);
    Task RecordPollAsync(long feedId, FeedPollOutcome outcome, CancellationToken cancellationToken);
    Task<bool> RemoveFeedAsync(long feedId, CancellationToken cancellationToken);
}

/// <summary>Items: stored by the store stage, classified and clustered by the process stage, searched by commands.</summary>
internal interface IItemStore
{
    /// <summary>
    /// The store stage's one transaction for a feed's poll: the items not yet known for the feed (with the search index)
    /// and the poll's outcome with its validators, so a crash never keeps the validators of items it did not store.
    /// Returns how many items were new.
    /// </summary>
    Task<int> StorePollAsync(long feedId, IReadOnlyList<Item> items, bool isBacklog, FeedPollOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Stores the items not yet known for the feed, without a poll (seeding, tests); returns the new ones with their ids.</summary>
    Task<IReadOnlyList<StoredItem>> AddItemsAsync(long feedId, IReadOnlyList<Item> items, bool isBacklog, DateTimeOffset firstSeen, CancellationToken cancellationToken);
    Task<IReadOnlyList<StoredItem>> GetItemsSinceAsync(DateTimeOffset firstSeenAfter, CancellationToken cancellationToken);

    /// <summary>Items stored but not yet processed, oldest published first (then by id), whoever stored them.</summary>
    Task<IReadOnlyList<StoredItem>> GetUnprocessedAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Items placed in a story by a process commit with a sequence above <paramref name="afterSequence"/>, first seen after
    /// <paramref name="firstSeenAfter"/>, in commit order: what other workers clustered since this one last looked.
    /// </summary>
    Task<IReadOnlyList<ClusteredItem>> GetClusteredAsync(long afterSequence, DateTimeOffset firstSeenAfter, CancellationToken cancellationToken);
    Task<IReadOnlyList<StoredItem>> GetStoryItemsAsync(long storyId, CancellationToken cancellationToken);

    /// <summary>Full-text search over stored items, best first; only items of <paramref name="feedIds"/> when given (a community's feeds).</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(string query, IReadOnlyCollection<long>? feedIds, int offset, int limit, CancellationToken cancellationToken);
}

/// <summary>Stories: built by the process stage, refreshed by the refresh stage, read by digests and commands.</summary>
internal interface IStoryStore
{
    /// <summary>An id for a story the process stage is starting in memory; committed with <see cref="CommitProcessedAsync"/> (an id lost to a failed commit is never reused).</summary>
    Task<long> ReserveStoryIdAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Commits a processed batch in one transaction: relevance, new stories, placements and merges, every touched story's
    /// version bumped. Returns the commit's sequence, or null when one of the items was processed already (another worker
    /// got there first: nothing is written, and the caller rebuilds its clusterer).
    /// </summary>
    Task<long?> CommitProcessedAsync(ProcessedBatch batch, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the oldest story due for a refresh (its version ahead of its refreshed version) for <paramref name="claimer"/>
    /// until <paramref name="now"/> + <paramref name="ttl"/>; a claim whose worker died expires. Null when none is free.
    /// </summary>
    Task<StoryClaim?> ClaimRefreshAsync(string claimer, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Commits a refresh and, in the same transaction, the messages it causes (alerts; a dedup key already there is kept),
    /// only when <see cref="StoryRefresh.Version"/> is still ahead of the story's refreshed version. Releases the claim.
    /// False when another refresh of that version or a later one committed first: nothing is written.
    /// </summary>
    Task<bool> CommitRefreshAsync(StoryRefresh refresh, IReadOnlyList<OutboxEntry> messages, string claimer, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>What the process and refresh stages have still to do, whoever stored or changed it.</summary>
    Task<PipelineBacklog> GetBacklogAsync(CancellationToken cancellationToken);

    /// <summary>Gives a claim back after a failed refresh, so the story is retried at once.</summary>
    Task ReleaseRefreshAsync(long storyId, string claimer, CancellationToken cancellationToken);

    /// <summary>
    /// When the stored key lines were last brought to a revision below <paramref name="revision"/>, queues the
    /// <paramref name="latest"/> most recently seen refreshed stories for a refresh — their version raised with no new
    /// item, so the refresh gives them new key lines without an alert or a place in the next digest — and records the
    /// revision, in one transaction. Returns how many stories were queued (0 once the revision is recorded).
    /// </summary>
    Task<int> RequeueKeyLinesAsync(int revision, int latest, CancellationToken cancellationToken);

    /// <summary>A story by id; the id of a story merged into another gives that other story (its <see cref="StoryRecord.Id"/> says which).</summary>
    Task<StoryRecord?> GetStoryAsync(long storyId, CancellationToken cancellationToken);

    /// <summary>Stories refreshed at least once and not merged into another, matching the query, the most recently published first.</summary>
    Task<IReadOnlyList<StoryRecord>> GetStoriesAsync(StoryQuery query, CancellationToken cancellationToken);
}

/// <summary>Channels and the outbox: where digests, alerts and replies go, and what was sent.</summary>
internal interface IDeliveryStore
{
    Task<ChannelRecord> EnsureChannelAsync(string platform, string address, string? communityId, string schedule, string timeZone, CancellationToken cancellationToken);
    Task<IReadOnlyList<ChannelRecord>> GetChannelsAsync(CancellationToken cancellationToken);
    Task<ChannelRecord?> GetChannelAsync(long channelId, CancellationToken cancellationToken);
    Task SetChannelScheduleAsync(long channelId, string schedule, string timeZone, CancellationToken cancellationToken);
    Task SetChannelPausedAsync(long channelId, string? reason, CancellationToken cancellationToken);
    Task SetChannelSayNothingNewAsync(long channelId, bool say, CancellationToken cancellationToken);
    Task<ChannelRecord?> FindChannelAsync(string platform, string address, CancellationToken cancellationToken);

    /// <summary>Moves a channel to a new address (a Telegram group that became a supergroup) and, when given, its community with it.</summary>
    Task RebindChannelAsync(long channelId, string newAddress, string? newCommunityId, CancellationToken cancellationToken);

    /// <summary>Records a message to send. False when the dedup key is already there (it was recorded before).</summary>
    Task<bool> EnqueueAsync(long channelId, string kind, string dedupKey, string payload, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>
    /// Records a digest and, in the same transaction, the stories it covered (shown or passed over, at their fresh time)
    /// and the channel's last digest time, so each story reaches a channel once per fresh item whatever races or crashes.
    /// False when the dedup key is already there, or when another worker covered one of these stories for the channel
    /// first (compose again).
    /// </summary>
    Task<bool> EnqueueDigestAsync(long channelId, string dedupKey, string payload, DateTimeOffset createdAt, IReadOnlyList<DigestEntry> stories, CancellationToken cancellationToken);

    /// <summary>What the channel was last shown of each of <paramref name="storyIds"/> it was shown before.</summary>
    Task<IReadOnlyDictionary<long, SentStory>> GetSentAsync(long channelId, IReadOnlyCollection<long> storyIds, CancellationToken cancellationToken);

    /// <summary>Messages still to send (neither sent nor set aside), oldest first; of one channel, or of all.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(long? channelId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the oldest message still to send of a channel for <paramref name="claimer"/> until <paramref name="now"/> +
    /// <paramref name="ttl"/>, so no other worker sends it meanwhile. Null when the channel has nothing to send, when that
    /// message waits for its next attempt, or when another live worker claimed it (a channel's messages go out in order,
    /// one worker at a time); a claim whose worker died expires and the message is claimed again — that counts as an attempt,
    /// with the error that the worker stopped before recording an answer, so <see cref="OutboxMessage.Attempts"/> &gt; 0 says an
    /// earlier send may have reached the platform.
    /// </summary>
    Task<OutboxMessage?> ClaimNextAsync(long channelId, string claimer, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the platform acknowledged the message's first <paramref name="partsSent"/> parts, and extends the
    /// claimer's claim to <paramref name="claimedUntil"/>.
    /// </summary>
    Task RecordPartsSentAsync(long messageId, string claimer, int partsSent, DateTimeOffset claimedUntil, CancellationToken cancellationToken);

    Task MarkSentAsync(long messageId, DateTimeOffset sentAt, CancellationToken cancellationToken);

    /// <summary>Counts the attempt, keeps the error and releases the claim; the message is tried again from <paramref name="nextAttemptAt"/>.</summary>
    Task MarkFailedAsync(long messageId, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>Counts the attempt and sets the message aside with its reason: it is not tried again, and its channel goes on with the next one.</summary>
    Task SetAsideAsync(long messageId, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Gives the claim back without counting an attempt (a worker stopping mid-send), so the message is sent again at once.</summary>
    Task ReleaseClaimAsync(long messageId, string claimer, CancellationToken cancellationToken);

    /// <summary>Channels, not paused, whose oldest message still to send is due and not claimed by a live worker: what a sweep wakes.</summary>
    Task<IReadOnlyList<long>> GetDueChannelsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every channel with messages still to send or set aside.</summary>
    Task<IReadOnlyList<ChannelBacklog>> GetOutboxBacklogAsync(CancellationToken cancellationToken);

    /// <summary>The messages set aside, the most recent first.</summary>
    Task<IReadOnlyList<SetAsideMessage>> GetSetAsideAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>
/// Updates received from a chat platform (<c>source</c>: <c>telegram:{bot id}</c>), kept until handled: stored with the
/// poll offset that follows them, handled in order within their queue, marked when done.
/// </summary>
internal interface IInboxStore
{
    /// <summary>
    /// Stores the entries not stored before and, in the same transaction, sets <paramref name="state"/> (the next poll
    /// offset), so an update is never acknowledged to the platform without being kept. Returns how many were new.
    /// </summary>
    Task<int> ReceiveUpdatesAsync(string source, IReadOnlyList<InboxEntry> entries, (string Key, string Value)? state, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the oldest unhandled update of a queue for <paramref name="claimer"/> until <paramref name="now"/> +
    /// <paramref name="ttl"/> and counts the attempt. Null when the queue is empty or its oldest update is claimed by
    /// another live worker (a queue is handled in order, one worker at a time).
    /// </summary>
    Task<InboxMessage?> ClaimNextUpdateAsync(string source, string queue, string claimer, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken);

    Task MarkUpdateHandledAsync(long updateId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Gives the claim back, uncounted (a worker stopping mid-way): the update is handled again at once.</summary>
    Task ReleaseUpdateAsync(long updateId, string claimer, CancellationToken cancellationToken);

    /// <summary>Queues whose oldest unhandled update is not claimed by a live worker: what a sweep takes up.</summary>
    Task<IReadOnlyList<string>> GetWaitingQueuesAsync(string source, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets updates handled before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneUpdatesAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>Communities and what their members set with commands: feeds, topic settings, subscriptions, alerts, feedback.</summary>
internal interface ICommunityStore
{
    /// <summary>The paused reason of a community feed no community follows any more.</summary>
    const string OrphanedFeedReason = "no community follows it";

    Task<CommunityFeedLink> AddCommunityFeedAsync(string communityId, string url, string name, TimeSpan interval, string? addedBy, CancellationToken cancellationToken);

    /// <summary>The feeds a community follows: the configured ones and its own.</summary>
    Task<IReadOnlyList<CommunityFeed>> GetCommunityFeedsAsync(string communityId, CancellationToken cancellationToken);

    /// <summary>
    /// The ids of the feeds a community reads (its scope for /search, /latest, digests): those it follows, less those it
    /// muted — the feeds of <see cref="GetCommunityFeedsAsync"/> not marked muted, in one query that reads ids only.
    /// </summary>
    Task<IReadOnlyList<long>> GetScopeFeedIdsAsync(string communityId, CancellationToken cancellationToken);
    Task<FeedUnlinkResult> RemoveCommunityFeedAsync(string communityId, long feedId, CancellationToken cancellationToken);

    /// <summary>Mutes or unmutes a feed for a community; false when it was so already.</summary>
    Task<bool> SetFeedMutedAsync(string communityId, long feedId, bool muted, CancellationToken cancellationToken);

    /// <summary>The feeds a community muted.</summary>
    Task<IReadOnlyCollection<long>> GetMutedFeedsAsync(string communityId, CancellationToken cancellationToken);

    /// <summary>Every community's <c>/topic include</c> phrases: items that mention one become stories even when the classifier says no.</summary>
    Task<IReadOnlyList<string>> GetIncludePhrasesAsync(CancellationToken cancellationToken);

    /// <summary>Every community's <c>/topic exclude</c> phrases: a borderline item that mentions one never becomes relevant by joining a story.</summary>
    Task<IReadOnlyList<string>> GetExcludePhrasesAsync(CancellationToken cancellationToken);
    Task<TopicSettings> GetTopicSettingsAsync(string communityId, CancellationToken cancellationToken);
    Task SetTopicSettingsAsync(string communityId, TopicSettings settings, CancellationToken cancellationToken);

    Task<SubscriptionRecord> EnsureSubscriptionAsync(string platform, string userId, string communityId, long channelId, DateTimeOffset at, CancellationToken cancellationToken);
    Task<SubscriptionRecord?> GetSubscriptionAsync(string platform, string userId, string communityId, CancellationToken cancellationToken);
    Task SetSubscriptionDigestAsync(long subscriptionId, bool digest, CancellationToken cancellationToken);

    /// <summary>False when the subscription already has the phrase (compared case-insensitively).</summary>
    Task<bool> AddAlertAsync(long subscriptionId, string phrase, DateTimeOffset at, CancellationToken cancellationToken);
    Task<bool> RemoveAlertAsync(long subscriptionId, string phrase, CancellationToken cancellationToken);

    /// <summary>Every subscription with at least one alert phrase.</summary>
    Task<IReadOnlyList<SubscriptionRecord>> GetAlertSubscriptionsAsync(CancellationToken cancellationToken);

    /// <summary>Records a verdict; a member's later verdict on the same story in the same community replaces the earlier one.</summary>
    Task RecordFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken);
    Task<IReadOnlyList<FeedbackRecord>> GetFeedbackAsync(CancellationToken cancellationToken);
}

/// <summary>A lease as stored: who holds it (<c>machine:pid:id</c>) and until when, unless renewed.</summary>
internal sealed record LeaseRecord(string Name, string Holder, DateTimeOffset ExpiresAt);

/// <summary>What keeps workers apart and lets one resume another's work: leases, the claims of work in hand, and small named state values.</summary>
internal interface ILeaseStore
{
    /// <summary>Every lease, expired ones too (a holder that died leaves its lease until another worker takes it).</summary>
    Task<IReadOnlyList<LeaseRecord>> GetLeasesAsync(CancellationToken cancellationToken);

    /// <summary>Takes the named lease for <paramref name="holder"/> when it is free, expired or already the holder's. True when the holder has it.</summary>
    Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Extends the holder's lease. False when the lease is someone else's now: the holder must stop.</summary>
    Task<bool> RenewLeaseAsync(string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives the lease up at once, so another worker need not wait for it to expire.</summary>
    Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken);

    /// <summary>
    /// The claimers whose name starts with <paramref name="prefix"/> holding a claim that has not expired at
    /// <paramref name="now"/>: on an outbox message, an inbox update or a story's refresh.
    /// </summary>
    Task<IReadOnlyList<string>> GetClaimersAsync(string prefix, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Ends <paramref name="claimer"/>'s claims now (it died) — outbox messages, inbox updates, story refreshes — so they
    /// may be claimed at once, which counts an attempt as any expired claim does.
    /// </summary>
    Task ExpireClaimsAsync(string claimer, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A value a worker resumes from (the Telegram update offset, the Discord gateway session); null when never set.</summary>
    Task<string?> GetStateAsync(string key, CancellationToken cancellationToken);
    Task SetStateAsync(string key, string value, CancellationToken cancellationToken);
}

/// <summary>
/// The bot's state, SQLite by default, PostgreSQL to scale out: every role in one place. Only the storage project and the
/// composition root see it whole; each stage asks for the role it needs.
/// </summary>
internal interface IDigestStore : IFeedStore, IItemStore, IStoryStore, IDeliveryStore, IInboxStore, ICommunityStore, ILeaseStore
{
    Task MigrateAsync(CancellationToken cancellationToken);
}
