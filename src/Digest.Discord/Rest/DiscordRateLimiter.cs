using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Digest.Discord.Rest;

/// <summary>
/// Keeps the client inside Discord's limits: per-bucket quotas learnt from the X-RateLimit headers, the global
/// 50 requests/second, pauses after a 429, and a guard that stops all requests long before the 10,000 invalid
/// requests per 10 minutes that earn a Cloudflare ban.
/// </summary>
internal sealed partial class DiscordRateLimiter(TimeProvider time, ILogger<DiscordRateLimiter> logger)
{
    public const int GlobalPerSecond = 50;

    /// <summary>Half of Discord's ban threshold: a bug that loops on 403s stops here, not at Cloudflare.</summary>
    public const int InvalidRequestBudget = 5000;

    public static readonly TimeSpan InvalidRequestWindow = TimeSpan.FromMinutes(10);

    private readonly Lock gate = new();
    private readonly Dictionary<string, string> bucketOfRoute = [];
    private readonly Dictionary<string, Bucket> buckets = [];
    private readonly Queue<DateTimeOffset> recentRequests = new();
    private readonly Queue<DateTimeOffset> invalidRequests = new();
    private DateTimeOffset globalPauseUntil;
    private bool guardTripped;

    /// <summary>Waits until the route may be called, and takes one request from its quota.</summary>
    public async Task AcquireAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (gate)
            {
                var now = time.GetUtcNow();
                GuardInvalidRequests(now);
                wait = Max(globalPauseUntil - now, TimeSpan.Zero);
                var bucket = BucketOf(route);
                if (bucket is { Remaining: <= 0 } && bucket.ResetAt > now)
                {
                    wait = Max(wait, bucket.ResetAt - now);
                }

                if (!route.IsInteraction)
                {
                    while (recentRequests.Count > 0 && now - recentRequests.Peek() >= TimeSpan.FromSeconds(1))
                    {
                        recentRequests.Dequeue();
                    }

                    if (recentRequests.Count >= GlobalPerSecond)
                    {
                        wait = Max(wait, recentRequests.Peek() + TimeSpan.FromSeconds(1) - now);
                    }
                }

                if (wait <= TimeSpan.Zero)
                {
                    if (bucket is not null)
                    {
                        bucket.Remaining = bucket.ResetAt > now ? bucket.Remaining - 1 : int.MaxValue;
                    }

                    if (!route.IsInteraction)
                    {
                        recentRequests.Enqueue(now);
                    }

                    return;
                }
            }

            Log.Waiting(logger, route.Template, wait);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>Learns the route's bucket and quota from a response's X-RateLimit headers.</summary>
    public void Update(DiscordRoute route, System.Net.Http.Headers.HttpResponseHeaders headers)
    {
        var hash = Header(headers, "X-RateLimit-Bucket");
        var remaining = Header(headers, "X-RateLimit-Remaining");
        var resetAfter = Header(headers, "X-RateLimit-Reset-After");
        if (hash is null || remaining is null || resetAfter is null
            || !int.TryParse(remaining, NumberStyles.Integer, CultureInfo.InvariantCulture, out var left)
            || !double.TryParse(resetAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return;
        }

        lock (gate)
        {
            bucketOfRoute[route.Method.Method + " " + route.Template] = hash;
            var bucket = BucketOf(route)!;
            bucket.Remaining = left;
            bucket.ResetAt = time.GetUtcNow() + TimeSpan.FromSeconds(seconds);
        }
    }

    /// <summary>A 429: a global one pauses every route, any other empties the route's bucket until it resets.</summary>
    public void RateLimited(DiscordRoute route, TimeSpan retryAfter, bool global, string? scope)
    {
        lock (gate)
        {
            var until = time.GetUtcNow() + retryAfter;
            if (global)
            {
                globalPauseUntil = Max(globalPauseUntil, until);
            }
            else
            {
                var bucket = BucketOf(route) ?? (buckets[route.Key] = new Bucket());
                bucket.Remaining = 0;
                bucket.ResetAt = Max(bucket.ResetAt, until);
            }
        }

        Log.RateLimited(logger, route.Template, scope ?? (global ? "global" : "user"), retryAfter);
    }

    /// <summary>Counts a 401, 403 or 429 toward the invalid-request budget (Discord does not count 429s of scope "shared").</summary>
    public void RecordInvalid(int status, string? scope)
    {
        if (status == 429 && scope == "shared")
        {
            return;
        }

        lock (gate)
        {
            invalidRequests.Enqueue(time.GetUtcNow());
        }
    }

    private void GuardInvalidRequests(DateTimeOffset now)
    {
        while (invalidRequests.Count > 0 && now - invalidRequests.Peek() >= InvalidRequestWindow)
        {
            invalidRequests.Dequeue();
        }

        if (invalidRequests.Count < InvalidRequestBudget)
        {
            guardTripped = false;
            return;
        }

        var retryAfter = invalidRequests.Peek() + InvalidRequestWindow - now;
        if (!guardTripped)
        {
            guardTripped = true;
            Log.InvalidRequestGuard(logger, invalidRequests.Count, InvalidRequestWindow, retryAfter);
        }

        throw new DiscordApiException(0, $"Refusing Discord requests: {invalidRequests.Count} invalid (401/403/429) requests in the last {InvalidRequestWindow.TotalMinutes:0} minutes; Discord bans at 10,000", retryAfter: retryAfter);
    }

    private Bucket? BucketOf(DiscordRoute route)
    {
        var key = bucketOfRoute.TryGetValue(route.Method.Method + " " + route.Template, out var hash) ? hash + " " + route.Major : route.Key;
        if (!buckets.TryGetValue(key, out var bucket) && hash is not null)
        {
            bucket = buckets[key] = new Bucket();
        }

        return bucket;
    }

    private static string? Header(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class Bucket
    {
        public int Remaining { get; set; } = int.MaxValue;

        public DateTimeOffset ResetAt { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Discord rate limit: waiting {Wait} before {Route}")]
        public static partial void Waiting(ILogger logger, string route, TimeSpan wait);

        [LoggerMessage(2, LogLevel.Warning, "Discord answered 429 on {Route} (scope {Scope}); retrying after {RetryAfter}")]
        public static partial void RateLimited(ILogger logger, string route, string scope, TimeSpan retryAfter);

        [LoggerMessage(3, LogLevel.Critical, "DISCORD REQUESTS STOPPED: {Count} invalid (401/403/429) requests within {Window}; Discord bans the IP at 10,000. Resuming in {RetryAfter}. Check the bot token and channel permissions")]
        public static partial void InvalidRequestGuard(ILogger logger, int count, TimeSpan window, TimeSpan retryAfter);
    }
}
