using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

/// <summary>
/// What an editor expects of the classifier on news it has not seen: a party's part in the talks is the story whoever
/// the party is; elections and strikes elsewhere, or war news without diplomacy, are not.
/// </summary>
public sealed class PartyRoleBehaviourTests
{
    private static TopicClassifier Classifier => ShippedClassifier.Instance;

    /// <summary>A broker, an ally or a side doing its part in the talks — in words the profile's examples do not use.</summary>
    [Theory]
    [InlineData("Turkey offers to host the next round of negotiations between Moscow and Kyiv")]
    [InlineData("European leaders insist on a place at the table when Washington and Moscow discuss Ukraine's future")]
    [InlineData("Kremlin says Washington's envoy will bring fresh proposals for a settlement in Ukraine")]
    [InlineData("Kyiv's delegation heads to Washington to go over the revised peace framework")]
    public void Classify_PartysRoleInTheTalks_IsRelevant(string title)
    {
        var verdict = Classifier.Classify(new ClassifierInput(title));

        verdict.Relevant.ShouldBeTrue($"score {verdict.Score}: {string.Join("; ", verdict.Reasons)}");
    }

    /// <summary>A side's diplomacy with an outsider alone is not the side's part in the talks.</summary>
    [Fact]
    public void Classify_SideMeetsOutsiderAlone_IsNotRelevant()
    {
        var verdict = Classifier.Classify(new ClassifierInput("Putin and Xi meet in Beijing to expand energy cooperation"));

        verdict.Relevant.ShouldBeFalse($"score {verdict.Score}: {string.Join("; ", verdict.Reasons)}");
    }

    [Theory]
    [InlineData("Chileans vote in a presidential runoff dominated by crime and migration")]
    [InlineData("Japan's ruling party picks a new leader ahead of a snap election")]
    [InlineData("Polling stations open across Bavaria for state elections")]
    public void Classify_ElectionElsewhere_IsNotRelevantAndHasNoElectionsTag(string title)
    {
        var verdict = Classifier.Classify(new ClassifierInput(title));

        verdict.Relevant.ShouldBeFalse($"score {verdict.Score}: {string.Join("; ", verdict.Reasons)}");
        verdict.Tags.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Russian drones knock out power to thousands of homes in Ukraine's Sumy region")]
    [InlineData("Ukrainian long-range drones strike an oil refinery deep inside Russia")]
    [InlineData("Missile attack on Dnipro kills three, regional governor says")]
    public void Classify_StrikeReportWithoutDiplomacy_IsNotRelevantAndNotTaggedAsTalks(string title)
    {
        var verdict = Classifier.Classify(new ClassifierInput(title));

        verdict.Relevant.ShouldBeFalse($"score {verdict.Score}: {string.Join("; ", verdict.Reasons)}");
        verdict.Tags.ShouldNotContain("strikes during talks");
    }

    [Fact]
    public void Classify_StrikeOnTheEveOfTheTalks_IsRelevantAndTaggedAsStrikesDuringTalks()
    {
        var verdict = Classifier.Classify(new ClassifierInput("Russian missiles pound Kyiv hours before Ukrainian and US negotiators meet on the peace plan"));

        verdict.Relevant.ShouldBeTrue($"score {verdict.Score}: {string.Join("; ", verdict.Reasons)}");
        verdict.Tags.ShouldContain("strikes during talks");
    }
}
