using Digest.Core.Classification;
using Digest.Core.Commands;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Feeds;
using Digest.Core.Pipeline;
using Digest.Core.Stories;
using Digest.Core.Subscriptions;
using Digest.Core.Summarization;
using Digest.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Digest.Core;

/// <summary>The <c>Topic</c> section: which profile the classifier uses.</summary>
internal sealed class TopicOptions
{
    public const string SectionName = "Topic";

    /// <summary>The topic profile file, relative to the config folder.</summary>
    [System.ComponentModel.DataAnnotations.Required(AllowEmptyStrings = false)]
    public string Profile { get; set; } = "topics/ukraine-peace-talks.json";
}

internal static class DigestCoreSetup
{
    /// <summary>The pipeline: fetch, parse, normalize, store; process (classify, cluster); refresh (key lines, alerts); compose (delivery: <see cref="Delivery.DeliverySetup"/>).</summary>
    public static IServiceCollection AddDigestCore(this IServiceCollection services, string configDirectory)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new ConfigPaths(configDirectory));
        services.AddSingleton<ShutdownGrace>();
        services.AddMetrics();
        services.AddSingleton<DigestMetrics>();
        services.AddValidatedOptions<FeedsOptions>(FeedsOptions.SectionName);
        services.AddValidatedOptions<DigestOptions>(DigestOptions.SectionName);
        services.AddValidatedOptions<TopicOptions>(TopicOptions.SectionName);
        services.AddValidatedOptions<SummarizationOptions>(SummarizationOptions.SectionName);

        services.AddSingleton<Schedules>();
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
        services.AddSingleton(sp =>
        {
            var profile = sp.GetRequiredService<TopicProfile>();
            var path = sp.GetRequiredService<ConfigPaths>().Resolve(profile.Model)
                ?? throw new OptionsValidationException(TopicOptions.SectionName, typeof(TopicOptions), [$"Topic:Profile: the profile's model '{profile.Model}' is not in the config folder (build it with `digest train`)"]);
            return TopicClassifier.Load(profile, path);
        });
        services.AddSingleton<IRelevanceClassifier>(sp => sp.GetRequiredService<TopicClassifier>());
        // Event-aware window clustering for the process stage; sentence embeddings when the host registered an
        // ITextEmbedder (Digest.Embeddings) and Digest:SentenceEmbeddings is on, words only otherwise.
        services.AddSingleton(sp => new EventFeatureExtractor(sp.GetRequiredService<TopicProfile>()));
        services.AddSingleton(sp =>
        {
            var file = sp.GetRequiredService<IOptions<DigestOptions>>().Value.StoryModel;
            if (file.Length == 0)
            {
                return new EventClusterer();
            }

            var path = sp.GetRequiredService<ConfigPaths>().Resolve(file)
                ?? throw new OptionsValidationException(DigestOptions.SectionName, typeof(DigestOptions), [$"Digest:StoryModel: no file at '{file}' (build it with `digest train stories`, or set it empty for the hand-weighted clusterer)"]);
            return new EventClusterer(model: StoryPairModel.Load(path));
        });
        services.AddSingleton(sp => new StoryWindowClusterer(
            sp.GetRequiredService<EventFeatureExtractor>(),
            sp.GetRequiredService<EventClusterer>(),
            sp.GetRequiredService<IOptions<DigestOptions>>().Value.SentenceEmbeddings ? sp.GetService<ITextEmbedder>() : null));
        services.AddSingleton(sp => new ExtractiveKeyLines(sp.GetRequiredService<TopicProfile>()));

        // With Summarization:Llm on, the host supplies the chat model (an IChatClient); Core holds no model SDK.
        services.AddSingleton<IKeyLineExtractor>(sp => sp.GetRequiredService<IOptions<SummarizationOptions>>().Value.Llm.Enabled
            ? ActivatorUtilities.CreateInstance<ChatKeyLines>(sp)
            : sp.GetRequiredService<ExtractiveKeyLines>());
        services.AddSingleton<ArticleTextFetcher>();

        services.AddSingleton<PipelineSignals>();
        services.AddSingleton<FeedPoller>();
        services.AddSingleton<ProcessStage>();
        services.AddSingleton<RefreshStage>();
        services.AddSingleton<AlertMatcher>();
        services.AddSingleton<FeedCatalog>();
        services.AddSingleton<DigestComposer>();
        services.AddSingleton<CommunityScopes>();

        // The refresh stage wakes the channels its alerts went to; the dispatcher (AddDigestDelivery) listens, when there is one.
        services.TryAddSingleton<OutboxSignal>();
        return services;
    }
}
