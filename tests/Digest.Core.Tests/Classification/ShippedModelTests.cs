using Digest.Core.Classification;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Classification;

public sealed class ShippedModelTests
{
    /// <summary>
    /// The model in config/models/ is what <c>train --labels labels-dev.tsv --no-feedback</c> builds from the current
    /// profile and feature code: a change to either that is not followed by retraining fails here.
    /// </summary>
    [Fact]
    public void ShippedModel_IsWhatTrainingOnTheDevLabelsBuilds()
    {
        var byId = Headlines.ReadJsonLines(SharedData.PathOf("data/headlines/headlines.jsonl")).ToDictionary(h => h.Id);
        var labelled = Headlines.ReadLabels(SharedData.PathOf("data/headlines/labels-dev.tsv"), byId, until: null);
        var profile = TopicProfile.Load(ShippedClassifier.ProfilePath);

        using var trained = new MemoryStream();
        TopicTrainer.Train(profile, labelled).Model.Save(trained);

        var shipped = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(ShippedClassifier.ProfilePath)!, "..", profile.Model));
        trained.ToArray().SequenceEqual(shipped).ShouldBeTrue(
            "config/models is stale: run `dotnet run --project src/Digest.Worker -- train --labels ../shared/data/headlines/labels-dev.tsv --no-feedback`");
    }
}
