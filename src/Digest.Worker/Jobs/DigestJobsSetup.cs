using Digest.Core.Commands;
using Digest.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace Digest.Worker.Jobs;

internal static class DigestJobsSetup
{
    /// <summary>How often a clustered worker says it is alive, and how long past that the others wait before taking over its jobs.</summary>
    internal static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(5);

    internal static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Quartz 4 with the host's TimeProvider, the feed, digest and outbox jobs, and the startup that schedules them. On
    /// PostgreSQL the schedule lives in Quartz's clustered job store (its tables created by the bot's migrations), so
    /// several workers share it and each job runs on one of them at a time; on SQLite it stays in memory (one worker).
    /// </summary>
    public static IServiceCollection AddDigestJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        services.AddQuartz(q =>
        {
            q.UseTimeProvider(TimeProvider.System);
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = 8);
            if (storage.IsPostgres && !string.IsNullOrWhiteSpace(storage.ConnectionString))
            {
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(NpgsqlFactory.Instance, storage.ConnectionString);
                    store.UseSystemTextJsonSerializer();
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = CheckinInterval;
                        cluster.CheckinMisfireThreshold = CheckinMisfireThreshold;
                    });
                    store.ConfigureStore(options => options.SchemaProvisioning = SchemaProvisioning.Validate);
                });
            }
            else
            {
                q.UseInMemoryStore();
            }
        });

        services.AddSingleton<DigestScheduler>();
        services.AddSingleton<IDigestScheduling>(sp => sp.GetRequiredService<DigestScheduler>());
        services.AddTransient<PollFeedJob>();
        services.AddTransient<ChannelDigestJob>();
        services.AddTransient<OutboxSweepJob>();

        // Before Quartz's hosted service: the store is migrated (Quartz's tables included) and the jobs scheduled before
        // the scheduler starts, which it does once the host has started.
        services.AddHostedService<StartupService>();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<PipelineService>();
        return services;
    }
}
