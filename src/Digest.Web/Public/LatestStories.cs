using Digest.Core;
using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Web.Public;

/// <summary>
/// The stories the public pages and feeds show: the console digest's latest stories (the ones <c>digest once</c>
/// prints), and a community's when its moderators opted in to a public page. Kept for <see cref="Freshness"/>, so a busy
/// page or a feed reader polling every minute costs one store query per window, not one per request.
/// </summary>
internal sealed class LatestStories(DigestComposer composer, CommunityScopes scopes, IStoryStore stories, ILeaseStore state, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(15);

    /// <summary>How many stories a community page reads before its topic filter.</summary>
    private const int CommunityWindow = 200;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, (DigestModel Digest, DateTimeOffset At)> cache = new(StringComparer.Ordinal);

    /// <summary>The console digest's latest stories, ranked.</summary>
    public Task<DigestModel> DefaultAsync(CancellationToken cancellationToken) =>
        CachedAsync("", composer.ComposeLatestAsync, cancellationToken);

    /// <summary>A community's latest stories through its feeds and topic settings; null unless its moderators made the page public.</summary>
    public async Task<DigestModel?> CommunityAsync(string communityId, int count, CancellationToken cancellationToken)
    {
        if (!await IsPublicAsync(communityId, cancellationToken))
        {
            return null;
        }

        return await CachedAsync("c:" + communityId, async ct =>
        {
            var scope = await scopes.ForAsync(communityId, ct);
            var found = await stories.GetStoriesAsync(new StoryQuery(CommunityWindow, FeedIds: scope.FeedIds), ct);
            return new DigestModel(time.GetUtcNow(), found.Where(scope.Admits).Take(count).Select(DigestStory.From).ToList(), null);
        }, cancellationToken);
    }

    public async Task<bool> IsPublicAsync(string communityId, CancellationToken cancellationToken) =>
        await state.GetStateAsync(PublicPageKey(communityId), cancellationToken) == "on";

    /// <summary>Turns a community's public page on or off (a moderator's choice in the panel).</summary>
    public async Task SetPublicAsync(string communityId, bool on, CancellationToken cancellationToken)
    {
        await state.SetStateAsync(PublicPageKey(communityId), on ? "on" : "off", cancellationToken);
        await gate.WaitAsync(cancellationToken);
        try
        {
            cache.Remove("c:" + communityId);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets what was composed, so the next request composes again (the benchmark's uncached case).</summary>
    internal async Task ForgetAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            cache.Clear();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A community's public-page choice lives in the bot's small named state values (<c>bot_state</c>).</summary>
    private static string PublicPageKey(string communityId) => "web:public-page:" + communityId;

    private async Task<DigestModel> CachedAsync(string key, Func<CancellationToken, Task<DigestModel>> compose, CancellationToken cancellationToken)
    {
        // One composition at a time: a burst of requests after the window waits for the first one instead of each querying.
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (cache.TryGetValue(key, out var known) && now - known.At < Freshness)
            {
                return known.Digest;
            }

            var digest = await compose(cancellationToken);
            cache[key] = (digest, now);
            return digest;
        }
        finally
        {
            gate.Release();
        }
    }
}
