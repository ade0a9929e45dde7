using Digest.Core.Commands;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Digest.Worker.Jobs;

internal static class DigestJobsSetup
{
    /// <summary>Quartz 4 with the host's TimeProvider, the feed and digest jobs, and the startup that schedules them.</summary>
    public static IServiceCollection AddDigestJobs(this IServiceCollection services)
    {
        services.AddQuartz(q =>
        {
            q.UseTimeProvider(TimeProvider.System);
            q.UseInMemoryStore();
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = 8);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<DigestScheduler>();
        services.AddSingleton<IDigestScheduling>(sp => sp.GetRequiredService<DigestScheduler>());
        services.AddTransient<PollFeedJob>();
        services.AddTransient<ChannelDigestJob>();

        // Registered after Quartz's hosted service, so the scheduler exists; it schedules before the first fire.
        services.AddHostedService<StartupService>();
        return services;
    }
}
