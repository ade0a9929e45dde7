using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

/// <summary>The eight subtopic tags fire on their words only where the story's context is: Russia or Ukraine named.</summary>
public sealed class TopicTagTests
{
    private static TopicClassifier Classifier => ShippedClassifier.Instance;

    [Theory]
    [InlineData("security guarantees", "Kyiv wants security guarantees ratified by the US Senate", "Israel seeks security guarantees from Washington in any Lebanon arrangement")]
    [InlineData("territory", "Moscow demands that Kyiv cede territory in the east", "Mexico and the US argue over territory along the Rio Grande")]
    [InlineData("ceasefire", "Putin rules out a ceasefire with Ukraine before a final deal", "Gaza ceasefire holds for a third day")]
    [InlineData("sanctions/assets", "EU debates using frozen Russian assets for reconstruction", "US lifts sanctions on Syrian banks")]
    [InlineData("prisoners", "Ukraine and Russia swap hundreds of prisoners of war", "Prisoners riot at a Texas county jail")]
    [InlineData("elections", "Zelensky says Ukraine could hold elections after a ceasefire", "Honduras counts votes after a tight presidential election")]
    [InlineData("strikes during talks", "Russian drones strike Odesa as envoys meet in Miami on the peace plan", "Teachers strike in Chicago over pay talks")]
    [InlineData("Europe's role", "European leaders demand a seat in talks on Ukraine's future", "EU and Mercosur sign a trade pact")]
    public void Tag_InTheStorysContext_FiresAndOutsideItDoesNot(string tag, string inContext, string outside)
    {
        Classifier.Classify(new ClassifierInput(inContext)).Tags.ShouldContain(tag);
        Classifier.Classify(new ClassifierInput(outside)).Tags.ShouldNotContain(tag);
    }

    [Fact]
    public void ElectionsTag_NeedsUkraineNotJustRussia()
    {
        Classifier.Classify(new ClassifierInput("Russian regional elections marred by fraud claims")).Tags.ShouldNotContain("elections");
        Classifier.Classify(new ClassifierInput("Kyiv would need a referendum to approve any land deal")).Tags.ShouldContain("elections");
    }

    [Fact]
    public void StrikesDuringTalksTag_NeedsTheTalks()
    {
        var verdict = Classifier.Classify(new ClassifierInput("Russian drones strike Odesa overnight, injuring six"));

        verdict.Tags.ShouldNotContain("strikes during talks");
    }

    [Fact]
    public void Tags_ItemAboutGuaranteesAndTerritory_GetsBothAndNoOther()
    {
        var verdict = Classifier.Classify(new ClassifierInput("US offers Ukraine security guarantees if Kyiv cedes territory in Donbas"));

        verdict.Tags.ShouldBe(["security guarantees", "territory"], ignoreOrder: true);
    }
}
