using BenchmarkDotNet.Attributes;
using Digest.Core;
using Digest.Core.Classification;
using Digest.Core.Stories;
using Digest.Embeddings;

namespace Digest.Benchmarks;

/// <summary>
/// Re-clustering the pipeline's recent window from cached features, as every pass would: Window consecutive real
/// headlines (in first-seen order) with 384-dimensional unit vectors standing in for their embeddings (the clustering
/// cost is the same as with the model's). Also what a new item costs once: its features, and its MiniLM embedding
/// (the model loaded beforehand; per item, in batches of 32). <see cref="ProcessPass"/> is the process stage's in-memory
/// step under the lease: the Window items pinned to their stories plus a batch of 500 new ones (features cached; the
/// batch's embeddings cost 500 × EmbedPerItem on top), clustered and reconciled.
/// dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*StoryClusteringBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class StoryClusteringBenchmarks
{
    private const int EmbeddedPerInvoke = 32;
    private EventClusterer clusterer = new();
    private EventFeatureExtractor extractor = null!;
    private List<EventFeatures> window = [];
    private const int Batch = 500;
    private StoryDocument[] documents = [];
    private List<EventFeatures> pass = [];
    private Dictionary<long, long> pinned = [];
    private MiniLmEmbedder embedder = null!;
    private string[] texts = [];

    [Params(300, 1000, 3000)]
    public int Window { get; set; }

    /// <summary>The pairs' similarity: the shipped same-event model ("pairs", what the pipeline uses) or the hand-weighted rules.</summary>
    [Params("pairs", "rules")]
    public string Similarity { get; set; } = "pairs";

    /// <summary>Whether a pass merges committed stories it shows to be one event (what the pipeline does) or never does.</summary>
    [Params(true, false)]
    public bool Merges { get; set; } = true;

    [GlobalSetup]
    public void Setup()
    {
        var classifier = ClassifierFiles.Load(null, null, TextWriter.Null)
            ?? throw new InvalidOperationException("config/topics/ukraine-peace-talks.json or its model not found above the working directory");
        extractor = new EventFeatureExtractor(classifier.Profile);
        var settings = new EventClusterSettings { MergeStories = Merges };
        clusterer = Similarity == "rules" ? new EventClusterer(settings) : new EventClusterer(settings, StoryPairModel.Load(VerbArguments.FindConfigFile(StoryPairModel.DefaultPath)
            ?? throw new InvalidOperationException("config/models/story-pairs.json not found above the working directory")));
        var headlines = Headlines.ReadJsonLines(SharedCorpus.Path("data/headlines/headlines.jsonl"))
            .Where(h => h.FirstSeen is not null).OrderBy(h => h.FirstSeen).Take(Window + Batch).ToList();
        // The window spans 72 hours whatever its size, as the pipeline's would; the batch comes right after it.
        var first = headlines[0].FirstSeen!.Value;
        var span = (headlines[Window - 1].FirstSeen!.Value - first).TotalHours; // the batch goes on at the same pace
        documents = [.. headlines.Select((h, i) => new StoryDocument(i + 1, h.Id, h.Title, "", h.Outlet, first.AddHours((h.FirstSeen!.Value - first).TotalHours * 72 / Math.Max(1, span))))];
        var random = new Random(7);
        var all = documents.Select(d =>
        {
            var f = extractor.Extract(d);
            var v = new float[384];
            for (var k = 0; k < v.Length; k++)
            {
                v[k] = (float)(random.NextDouble() - 0.5);
            }

            var norm = MathF.Sqrt(v.Sum(x => x * x));
            f.Embedding = [.. v.Select(x => x / norm)];
            return f;
        }).ToList();
        window = [.. all.Take(Window)];
        pass = all;
        var stories = clusterer.Cluster(window).Clusters;
        pinned = stories.SelectMany((c, i) => c.ItemIds.Select(id => (id, Story: i + 1L))).ToDictionary(x => x.id, x => x.Story);
        embedder = new MiniLmEmbedder();
        texts = [.. documents.Take(EmbeddedPerInvoke).Select(d => d.Title)];
        embedder.Embed(texts, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup() => embedder.Dispose();

    [Benchmark]
    public int ReclusterWindow() => clusterer.Cluster(window).Clusters.Count;

    [Benchmark]
    public int ProcessPass() => StoryReconciler.Reconcile(clusterer.Cluster(pass, pinned), pinned).Changed.Count();

    [Benchmark(OperationsPerInvoke = 300)]
    public int ExtractFeaturesPerItem()
    {
        var n = 0;
        foreach (var d in documents.Take(300))
        {
            n += extractor.Extract(d).TitleTokens.Count;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = EmbeddedPerInvoke)]
    public int EmbedPerItem() => embedder.Embed(texts, CancellationToken.None).Count;
}
