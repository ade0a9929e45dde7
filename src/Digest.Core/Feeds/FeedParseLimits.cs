namespace Digest.Core.Feeds;

/// <summary>
/// What one untrusted feed may cost to parse. Each limit is named in the error a moderator reads when a feed passes it.
/// </summary>
/// <param name="MaxDepth">Elements nested deeper than this refuse the document (real feeds nest fewer than 20).</param>
/// <param name="TimeBudget">Parsing one document longer than this refuses it.</param>
internal sealed record FeedParseLimits(int MaxDepth, TimeSpan TimeBudget)
{
    public static readonly FeedParseLimits Default = new(256, TimeSpan.FromSeconds(5));

    /// <summary>The clock the budget is measured on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>A document passed one of <see cref="FeedParseLimits"/>; the message names the limit.</summary>
internal sealed class FeedLimitException(string message) : Exception(message);
