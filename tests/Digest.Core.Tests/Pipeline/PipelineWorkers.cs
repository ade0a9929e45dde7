using Digest.Core.Classification;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Feeds;
using Digest.Core.Items;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Digest.Core.Stories;
using Digest.Core.Subscriptions;
using Digest.Core.Summarization;
using Digest.Core.Tests.TestSupport;
using Digest.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Core.Tests.Pipeline;

/// <summary>
/// Stages over one SQLite store, built by hand as a worker builds them: each <see cref="ProcessStage"/> or
/// <see cref="RefreshStage"/> made here is a separate worker (its own clusterer, lease holder and claimer), and dropping
/// one between two calls is what a crash leaves behind.
/// </summary>
internal sealed class PipelineWorkers : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2025, 12, 10, 8, 0, 0, TimeSpan.Zero);

    private readonly string directory = Directory.CreateTempSubdirectory("digest-stages-").FullName;
    private readonly ServiceProvider fetcherServices = FetcherServices.Build();

    public PipelineWorkers() => Store = new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}");

    public SqliteStore Store { get; }

    public FakeTimeProvider Time { get; } = new(T0);

    public TopicProfile Profile { get; } = new() { Id = "t", Name = "t", Threshold = 0.5 };

    public async ValueTask DisposeAsync()
    {
        await fetcherServices.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    public ProcessStage Process(IRelevanceClassifier? classifier = null, PipelineSignals? signals = null, ITextEmbedder? embedder = null, ILogger<ProcessStage>? logger = null) => new(
        Store,
        Store,
        Store,
        Store,
        classifier ?? new AllRelevant(),
        new StoryWindowClusterer(new EventFeatureExtractor(Profile with { Venues = [new WeightedTerm("Geneva", [], 1), new WeightedTerm("Moscow", [], 1)] }), new EventClusterer(), embedder),
        signals ?? new PipelineSignals(),
        Options.Create(new DigestOptions()),
        Time,
        logger ?? NullLogger<ProcessStage>.Instance);

    public RefreshStage Refresh(IKeyLineExtractor? keyLines = null, PipelineSignals? signals = null)
    {
        var scopes = new CommunityScopes(Store, Store, Store, Profile);
        return new RefreshStage(
            Store,
            Store,
            new ArticleTextFetcher(fetcherServices.GetRequiredService<FeedFetcher>(), Options.Create(new SummarizationOptions { FullText = { Enabled = false } }), NullLogger<ArticleTextFetcher>.Instance),
            keyLines ?? new ExtractiveKeyLines(),
            new AlertMatcher(Store, scopes),
            new OutboxSignal(),
            signals ?? new PipelineSignals(),
            Options.Create(new DigestOptions()),
            Time,
            NullLogger<RefreshStage>.Instance);
    }

    public async Task<long> FeedAsync(string name) =>
        (await Store.UpsertFeedAsync($"https://example.org/{name.Replace(' ', '-')}.xml", name, "example.org", TimeSpan.FromMinutes(15), CancellationToken.None)).Id;

    public static Item NewItem(string key, string title, int hours, string summary = "") =>
        new(key, title, $"https://example.org/{key}", summary, null, T0.AddHours(hours));

    /// <summary>What the store stage commits for one poll of a feed.</summary>
    public Task<int> PollAsync(long feedId, bool backlog, params Item[] items) =>
        Store.StorePollAsync(feedId, items, backlog, new FeedPollOutcome(Time.GetUtcNow(), true, null, null, null, 0, Time.GetUtcNow().AddMinutes(15), null), CancellationToken.None);

    public async Task<long?> StoryOfAsync(string key) =>
        (await Store.GetItemsSinceAsync(DateTimeOffset.MinValue, CancellationToken.None)).Single(i => i.Item.Key == key).StoryId;

    public sealed class AllRelevant : IRelevanceClassifier
    {
        public Relevance Classify(ClassifierInput input) => new(true, 0.9, ["ceasefire"], []);
    }

    /// <summary>A sentence-embedding model that cannot load (no ONNX Runtime for the platform, say).</summary>
    public sealed class BrokenEmbedder : ITextEmbedder
    {
        public int Calls { get; private set; }

        public string Model => "broken";

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Calls++;
            throw new DllNotFoundException("onnxruntime");
        }
    }

    /// <summary>
    /// A stand-in for a sentence-embedding model: headlines sharing a word of a group mean the same (one unit vector
    /// per group), any other headline means something of its own.
    /// </summary>
    public sealed class GroupEmbedder(params string[][] groups) : ITextEmbedder
    {
        public string Model => "groups";

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            [.. texts.Select(t =>
            {
                var vector = new float[groups.Length + 64];
                var group = Array.FindIndex(groups, g => g.Any(w => t.Contains(w, StringComparison.OrdinalIgnoreCase)));
                vector[group >= 0 ? group : groups.Length + (int)((uint)string.GetHashCode(t, StringComparison.Ordinal) % 64)] = 1;
                return vector;
            })];
    }

    /// <summary>A stand-in for a sentence-embedding model: a headline containing a phrase means that phrase's vector.</summary>
    public sealed class VectorEmbedder(Dictionary<string, float[]> meanings) : ITextEmbedder
    {
        public string Model => "vectors";

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            [.. texts.Select(t => meanings.First(m => t.Contains(m.Key, StringComparison.Ordinal)).Value)];
    }

    public sealed class NoneRelevant : IRelevanceClassifier
    {
        public Relevance Classify(ClassifierInput input) => new(false, 0.1, [], ["no Russia/Ukraine context"]);
    }
}
