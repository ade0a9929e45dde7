using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

public sealed class TopicClassifierTests
{
    private static TopicClassifier Classifier => ShippedClassifier.Instance;

    [Theory]
    [InlineData("Witkoff and Kushner fly to Egypt to press Hamas on Gaza ceasefire talks")]
    [InlineData("Israel and Hamas trade accusations as Gaza truce frays")]
    [InlineData("Thailand and Cambodia sign ceasefire deal after border clashes")]
    [InlineData("US and China wrap up two days of trade talks in Geneva")]
    [InlineData("Trump threatens new tariffs as trade deal with EU stalls")]
    [InlineData("Russian missiles and drones hit Kharkiv overnight, killing four")]
    [InlineData("Ukraine's parliament dismisses justice minister over graft scandal")]
    [InlineData("Senate passes funding bill to end government shutdown")]
    public void Classify_HardNegative_IsNotRelevant(string title)
    {
        var verdict = Classifier.Classify(new ClassifierInput(title));

        verdict.Relevant.ShouldBeFalse($"score {verdict.Score}: {string.Join("; ", verdict.Reasons)}");
    }

    [Theory]
    [InlineData("Kremlin says it will study Washington's revised proposal for ending the conflict in Ukraine")]
    [InlineData("Zelenskiy and Trump envoy Witkoff discuss security guarantees for Kyiv")]
    [InlineData("Umerov leads Ukrainian team at new round of negotiations with US officials")]
    [InlineData("Putin aide Ushakov says Moscow is not ready to accept European changes to the peace framework")]
    [InlineData("Europeans scramble to shape a settlement between Russia and Ukraine as US pushes 20-point plan")]
    [InlineData("Kyiv refuses to give up Donbas land in exchange for a ceasefire, Zelensky tells negotiators")]
    public void Classify_ParaphraseOfTheTalks_IsRelevant(string title)
    {
        var verdict = Classifier.Classify(new ClassifierInput(title));

        verdict.Relevant.ShouldBeTrue($"score {verdict.Score}: {string.Join("; ", verdict.Reasons)}");
    }

    [Fact]
    public void Classify_RelevantItem_ExplainsWhatMatchedAndTheContext()
    {
        var verdict = Classifier.Classify(new ClassifierInput("Witkoff presents peace plan to Ukrainian negotiators in Miami"));

        verdict.Relevant.ShouldBeTrue();
        verdict.Score.ShouldBeInRange(0, 1);
        var matched = verdict.Reasons.Where(r => r.StartsWith("matched: ", StringComparison.Ordinal)).ShouldHaveSingleItem();
        matched.ShouldContain("Witkoff");
        matched.ShouldContain("peace plan");
        verdict.Reasons.ShouldContain(r => r.StartsWith("context: ", StringComparison.Ordinal) && r.Contains("Ukraine"));
    }

    [Fact]
    public void Classify_GazaCeasefire_SaysWhatCountedAgainstIt()
    {
        var verdict = Classifier.Classify(new ClassifierInput("Witkoff says Gaza ceasefire talks with Hamas are making progress"));

        verdict.Relevant.ShouldBeFalse();
        verdict.Reasons.ShouldContain(r => r.StartsWith("against: ", StringComparison.Ordinal) && r.Contains("Gaza") && r.Contains("Hamas"));
    }

    [Fact]
    public void Classify_ItemAboutGuaranteesAndTerritory_IsTaggedWithBothSubtopics()
    {
        var verdict = Classifier.Classify(new ClassifierInput("US offers Ukraine security guarantees if Kyiv cedes territory in Donbas"));

        verdict.Tags.ShouldContain("security guarantees");
        verdict.Tags.ShouldContain("territory");
        verdict.Tags.ShouldNotContain("prisoners");
    }

    [Fact]
    public void Classify_TitleEndingWithOutlet_ScoresAsWithout()
    {
        var plain = Classifier.Classify(new ClassifierInput("Rubio says talks with Ukraine in Geneva were productive", Outlet: "Reuters"));
        var suffixed = Classifier.Classify(new ClassifierInput("Rubio says talks with Ukraine in Geneva were productive - Reuters", Outlet: "Reuters"));

        suffixed.Score.ShouldBe(plain.Score);
    }

    [Fact]
    public void Classify_SummaryGivesTheContext_CanMakeItRelevant()
    {
        const string title = "Envoys end second day of talks without agreement";
        var bare = Classifier.Classify(new ClassifierInput(title));
        var withLead = Classifier.Classify(new ClassifierInput(title, "Ukrainian and US negotiators failed to settle the territorial questions in the 28-point peace plan, Kyiv said."));

        withLead.Score.ShouldBeGreaterThan(bare.Score);
        withLead.Relevant.ShouldBeTrue();
    }

    [Fact]
    public void WithProfile_ModeratorExcludesAPhrase_DropsItemAndSaysWhy()
    {
        var community = Classifier.WithProfile(Classifier.Profile with { Exclude = ["frozen assets"] });
        var input = new ClassifierInput("Belgium says using frozen assets could derail the Ukraine peace deal");

        Classifier.Classify(input).Relevant.ShouldBeTrue();
        var verdict = community.Classify(input);
        verdict.Relevant.ShouldBeFalse();
        verdict.Reasons.ShouldContain("excluded by moderator: frozen assets");
    }

    [Fact]
    public void WithProfile_ModeratorIncludesAPhrase_KeepsItemAndSaysWhy()
    {
        var community = Classifier.WithProfile(Classifier.Profile with { Include = ["prisoner exchange"] });
        var input = new ClassifierInput("Ukraine and Russia carry out prisoner exchange of 300 soldiers");

        Classifier.Classify(input).Relevant.ShouldBeFalse();
        var verdict = community.Classify(input);
        verdict.Relevant.ShouldBeTrue();
        verdict.Reasons.ShouldContain("included by moderator: prisoner exchange");
    }

    [Fact]
    public void WithProfile_HigherThreshold_KeepsOnlyTheSurerItems()
    {
        var strict = Classifier.WithProfile(Classifier.Profile with { Threshold = 0.999 });
        var input = new ClassifierInput("Trump says peace deal for Ukraine is very close");

        var verdict = Classifier.Classify(input);
        verdict.Relevant.ShouldBeTrue();
        strict.Classify(input).Relevant.ShouldBe(verdict.Score >= 0.999);
        strict.Classify(input).Score.ShouldBe(verdict.Score);
    }
}
