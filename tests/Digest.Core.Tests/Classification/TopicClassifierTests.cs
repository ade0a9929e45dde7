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

    /// <summary>Developments the training labels never showed, told by who takes part and what kind of event it is.</summary>
    [Theory]
    [InlineData("Kyiv ready to shelve its NATO membership bid if allies guarantee its security")]
    [InlineData("US negotiators suggest a demilitarised strip along the front line in eastern Ukraine")]
    [InlineData("Washington floats a free economic zone in the part of Donbas Kyiv still holds")]
    [InlineData("Russian missiles rain on Kyiv a day before Zelensky sits down with Trump")]
    [InlineData("Nordic and Baltic leaders say Ukraine must have a say in any settlement")]
    [InlineData("Merz says Europeans will not accept a deal that leaves Ukraine defenceless")]
    [InlineData("Kremlin envoy flies to Florida for a new round with the American team")]
    public void Classify_NewDevelopmentOfTheTalks_IsRelevant(string title)
    {
        var verdict = Classifier.Classify(new ClassifierInput(title));

        verdict.Relevant.ShouldBeTrue($"score {verdict.Score}: {string.Join("; ", verdict.Reasons)}");
    }

    /// <summary>Look like the talks — Russia or Ukraine with a deal, an agreement, a summit — but are not about them.</summary>
    [Theory]
    [InlineData("Brussels agrees to lend Ukraine billions backed by frozen Russian central bank assets")]
    [InlineData("EU finance ministers back a loan to Kyiv funded by immobilised Russian reserves")]
    [InlineData("Modi and Putin hold annual summit talks on oil and defence trade")]
    [InlineData("India and Russia sign deals on fertiliser and nuclear power during Putin's visit")]
    [InlineData("Ukraine agrees deal to buy Swedish fighter jets")]
    [InlineData("Zelensky's chief of staff resigns after anti-corruption raid")]
    [InlineData("EU leaders strike a deal at their Brussels summit to keep Kyiv's budget afloat")]
    [InlineData("European governments agree to raise money on markets for Ukraine after the asset plan stalls")]
    [InlineData("Putin arrives in New Delhi as Washington presses India to stop buying Russian oil")]
    public void Classify_RussiaOrUkraineButNotTheTalks_IsNotRelevant(string title)
    {
        var verdict = Classifier.Classify(new ClassifierInput(title));

        verdict.Relevant.ShouldBeFalse($"score {verdict.Score}: {string.Join("; ", verdict.Reasons)}");
    }

    [Fact]
    public void Classify_ScoresBetweenTheCertainCases_AreInBetween()
    {
        var clear = Classifier.Classify(new ClassifierInput("Witkoff and Umerov hold talks on the peace plan"));
        var unrelated = Classifier.Classify(new ClassifierInput("City council approves new bike lanes downtown"));
        var war = Classifier.Classify(new ClassifierInput("Russian drones hit a power plant in western Ukraine"));

        clear.Score.ShouldBeGreaterThan(0.9);
        unrelated.Score.ShouldBeLessThan(0.05);
        war.Score.ShouldBeGreaterThan(unrelated.Score);
        war.Score.ShouldBeLessThan(clear.Score);
    }

    [Fact]
    public void Classify_ScoreInTheBorderlineBand_LeavesTheDecisionToTheStory()
    {
        var input = new ClassifierInput("Zelensky says a demilitarised strip in the east could be discussed");
        var score = Classifier.Classify(input).Score;
        score.ShouldBeInRange(0.05, 0.95);
        var band = Classifier.WithProfile(Classifier.Profile with { Threshold = score + 0.01, StoryThreshold = score - 0.01 });

        var verdict = band.Classify(input);

        verdict.Relevant.ShouldBeFalse();
        verdict.Borderline.ShouldBeTrue();
        verdict.Reasons.ShouldContain("borderline: relevant if it joins a relevant story");
    }

    [Fact]
    public void Classify_ModeratorExcludedAnItem_IsNeverBorderline()
    {
        var input = new ClassifierInput("Zelensky and Trump envoy meet to discuss security guarantees");
        var score = Classifier.Classify(input).Score;
        var band = Classifier.WithProfile(Classifier.Profile with { Threshold = Math.Min(1, score + 0.01), StoryThreshold = score - 0.01, Exclude = ["envoy"] });

        var verdict = band.Classify(input);

        verdict.Relevant.ShouldBeFalse();
        verdict.Borderline.ShouldBeFalse();
    }

    [Fact]
    public void Classify_RelevantItem_IsNotBorderline()
    {
        var verdict = Classifier.Classify(new ClassifierInput("Witkoff and Umerov hold talks on the peace plan"));

        verdict.Relevant.ShouldBeTrue();
        verdict.Borderline.ShouldBeFalse();
    }

    [Fact]
    public void Classify_RelevantItem_ExplainsWhatMatchedAndTheContext()
    {
        var verdict = Classifier.Classify(new ClassifierInput("Witkoff presents peace plan to Ukrainian negotiators in Miami"));

        verdict.Relevant.ShouldBeTrue();
        verdict.Score.ShouldBeInRange(0, 1);
        var matched = verdict.Reasons.Where(r => r.StartsWith("matched: ", StringComparison.Ordinal)).ShouldHaveSingleItem();
        matched.ShouldContain("Witkoff");
        matched.ShouldContain("peace");
        matched.ShouldContain("plan");
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
