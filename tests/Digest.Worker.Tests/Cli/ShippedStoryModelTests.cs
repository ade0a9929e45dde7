using Digest.Core.Classification;
using Digest.Core.Stories;
using Digest.Embeddings;
using Digest.Tests.Shared;
using Digest.Worker.Cli;

namespace Digest.Worker.Tests.Cli;

public sealed class ShippedStoryModelTests
{
    /// <summary>
    /// config/models/story-pairs.json is what <c>train stories</c> builds from the dev stories with the current features:
    /// a change to the pair features or the event features that is not followed by retraining fails here.
    /// </summary>
    [Fact]
    public void ShippedStoryModel_IsWhatTrainingOnTheDevStoriesBuilds()
    {
        var labels = ClusterEvaluation.ReadLabels(SharedData.PathOf("data/headlines/clusters-dev.tsv"));
        var headlines = Headlines.ReadJsonLines(SharedData.PathOf("data/headlines/headlines.jsonl")).ToList();
        var config = Path.Combine(SharedData.RepositoryRoot(), "config");
        var profile = TopicProfile.Load(Path.Combine(config, ClassifierFiles.DefaultProfile));
        using var embedder = new MiniLmEmbedder();

        var trained = TrainStoriesVerb.Train(profile, headlines, labels, embedder, "clusters-dev.tsv", TestContext.Current.CancellationToken);

        var shipped = StoryPairModel.Load(Path.Combine(config, StoryPairModel.DefaultPath));
        const string stale = "config/models/story-pairs.json is stale: run `dotnet run --project src/Digest.Worker -- train stories --input ../shared/data/headlines/headlines.jsonl --labels ../shared/data/headlines/clusters-dev.tsv`";
        // Embeddings may differ in their last bits between CPUs; the weights are compared to 1e-4.
        for (var k = 0; k < PairFeatures.Count; k++)
        {
            trained.WithEmbeddings[k].ShouldBe(shipped.WithEmbeddings[k], 1e-4, stale);
            trained.WordsOnly[k].ShouldBe(shipped.WordsOnly[k], 1e-4, stale);
        }
    }
}
