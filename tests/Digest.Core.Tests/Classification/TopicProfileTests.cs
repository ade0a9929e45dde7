using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

public sealed class TopicProfileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("digest-profile-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Load_ShippedProfile_HasTwoSidesAndEveryTermKnown()
    {
        var profile = TopicProfile.Load(ShippedClassifier.ProfilePath);

        profile.Problem().ShouldBeNull();
        profile.Parties.Where(p => p.Role == TopicParty.Side).Select(p => p.Name).ShouldBe(["Russia", "Ukraine"]);
        profile.Tags.Count.ShouldBe(8);
    }

    [Theory]
    [InlineData("""{"id": "t", "name": "t", "phrases": [{"name": "talks", "aliases": [], "weight": 1, "frame": "chat"}]}""", "phrases: 'talks' has frame 'chat'")]
    [InlineData("""{"id": "t", "name": "t", "entities": [{"name": "Putin", "aliases": [], "weight": 1, "party": "Russia"}]}""", "entities: 'Putin' names party 'Russia', which is not in parties")]
    [InlineData("""{"id": "t", "name": "t", "parties": [{"name": "Russia", "role": "enemy"}]}""", "parties: 'Russia' has role 'enemy'")]
    [InlineData("""{"id": "t", "name": "t", "tags": [{"name": "elections", "terms": ["vote"], "context": ["Ukraine"]}]}""", "tags: 'elections' needs party 'Ukraine'")]
    [InlineData("""{"id": "t", "name": "t", "threshold": 0.3, "storyThreshold": 0.5}""", "storyThreshold")]
    public void Load_ProfileTheClassifierCannotUse_SaysWhereTheProblemIs(string json, string expected)
    {
        var path = Path.Combine(directory, "topic.json");
        File.WriteAllText(path, json);

        var error = Should.Throw<InvalidDataException>(() => TopicProfile.Load(path));

        error.Message.ShouldContain(expected);
        error.Message.ShouldContain(path);
    }
}
