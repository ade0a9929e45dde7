using Digest.Core.Storage;

namespace Digest.Core.Commands;

/// <summary>The host's scheduler, as commands change it: a feed added or removed, a channel's schedule set.</summary>
internal interface IDigestScheduling
{
    Task ScheduleFeedAsync(FeedRecord feed, CancellationToken cancellationToken);

    Task UnscheduleFeedAsync(long feedId, CancellationToken cancellationToken);

    /// <summary>(Re)schedules the channel's digest; a channel whose schedule is <see cref="Schedules.Off"/> gets none.</summary>
    Task ScheduleChannelAsync(ChannelRecord channel, CancellationToken cancellationToken);
}
