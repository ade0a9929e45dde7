using Digest.Core.Classification;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Feeds;
using Digest.Core.Pipeline;
using Digest.Core.Stories;
using Digest.Core.Summarization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Digest.Core;

/// <summary>The <c>Topic</c> section: which profile the classifier uses.</summary>
public sealed class TopicOptions
{
    public const string SectionName = "Topic";

    /// <summary>The topic profile file, relative to the config folder.</summary>
    [System.ComponentModel.DataAnnotations.Required(AllowEmptyStrings = false)]
    public string Profile { get; set; } = "topics/ukraine-peace-talks.json";
}

public static class DigestCoreSetup
{
    /// <summary>The pipeline: fetch, parse, normalize, classify, cluster, summarize, compose, deliver.</summary>
    public static IServiceCollection AddDigestCore(this IServiceCollection services, string configDirectory)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ConfigPaths(configDirectory));
        services.AddOptions<FeedsOptions>().BindConfiguration(FeedsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TopicOptions>().BindConfiguration(TopicOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<FetchGates>();
        services.AddHttpClient<FeedFetcher>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => FeedFetcher.CreateHandler(sp.GetRequiredService<IOptions<FeedsOptions>>().Value));

        services.AddSingleton(sp =>
        {
            var paths = sp.GetRequiredService<ConfigPaths>();
            var file = sp.GetRequiredService<IOptions<TopicOptions>>().Value.Profile;
            var path = paths.Resolve(file) ?? throw new OptionsValidationException(TopicOptions.SectionName, typeof(TopicOptions), [$"Topic:Profile: no file at '{file}'"]);
            return TopicProfile.Load(path);
        });
        services.AddSingleton<IRelevanceClassifier>(sp => new ProfileClassifier(sp.GetRequiredService<TopicProfile>()));
        services.AddSingleton<IStoryClusterer>(_ => new TitleOverlapClusterer(TimeSpan.FromHours(48)));
        services.AddSingleton<IKeyLineExtractor, LeadKeyLines>();

        services.AddSingleton<ItemPipeline>();
        services.AddSingleton<FeedPoller>();
        services.AddSingleton<FeedCatalog>();
        services.AddSingleton<DigestComposer>();
        services.AddSingleton<DigestDelivery>();
        services.AddSingleton<IChannelPublisher, ConsolePublisher>();
        return services;
    }
}
