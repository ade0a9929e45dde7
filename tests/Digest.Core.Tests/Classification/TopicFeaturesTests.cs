using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

public sealed class TopicFeaturesTests
{
    private static readonly TopicFeatures Features = new(TopicProfile.Load(ShippedClassifier.ProfilePath));

    [Fact]
    public void Extract_NamesPlacesAndNumbers_ReadAsWhatTheyStandFor()
    {
        var f = Features.Extract("Witkoff meets Umerov in Geneva on 28-point plan");

        f.Abstracted.ShouldBe(["‹united states›", "meet", "‹ukraine›", "‹venue›", "‹n›", "point", "plan"]);
    }

    [Fact]
    public void Extract_TwoRoundsInDifferentPlaces_ReadTheSame()
    {
        var geneva = Features.Extract("Kushner meets Rustem Umerov in Geneva");
        var miami = Features.Extract("Witkoff meets Umerov in Miami");

        miami.Indices.ShouldBe(geneva.Indices);
        miami.Dense.ShouldBe(geneva.Dense);
    }

    [Fact]
    public void Extract_ReportsThePartiesAndTheKindsOfEvent()
    {
        var f = Features.Extract("Kremlin rejects European amendments to US peace plan as drones hit Kharkiv");
        var profile = Features.Profile;

        f.Parties.Select(p => profile.Parties[p].Name).ShouldBe(["Russia", "Europe", "United States", "Ukraine"], ignoreOrder: true);
        f.HasFrame(TopicFrames.Peace).ShouldBeTrue();
        f.HasFrame(TopicFrames.Proposal).ShouldBeTrue();
        f.HasFrame(TopicFrames.Violence).ShouldBeTrue();
        f.HasFrame(TopicFrames.Money).ShouldBeFalse();
        f.HasDiplomacy.ShouldBeTrue();
    }

    /// <summary>Funding news told with the words of a deal (a loan agreed, a summit on a budget) is the money frame, not a deal.</summary>
    [Theory]
    [InlineData("EU governments agree to lend Kyiv billions from joint debt", true)]
    [InlineData("European Council summit backs a plan to pay for Ukraine's army next year", true)]
    [InlineData("US peace plan would put frozen Russian assets into rebuilding Ukraine", false)]
    [InlineData("Witkoff says lifting sanctions could be part of a deal with Moscow", false)]
    [InlineData("Ukraine's central bank raises interest rates", false)]
    public void Extract_MoneyToldAsADeal_WithoutPeaceOrTerms(string title, bool fires)
    {
        var f = Features.Extract(title);

        (Dense(f, "money×dealing without peace or terms") > 0).ShouldBe(fires);
    }

    /// <summary>A side meeting an outsider stays the side's own business when the broker is only named beside it; an ally makes it diplomacy on the war.</summary>
    [Theory]
    [InlineData("Putin arrives in New Delhi for talks with Modi as Washington presses India over Russian oil", true)]
    [InlineData("Kremlin and Beijing hold talks as Trump weighs new sanctions", true)]
    [InlineData("Macron asks Xi to press Moscow into talks on Ukraine", false)]
    [InlineData("Putin and Modi discuss Zelensky's offer of talks", false)]
    public void Extract_SideWithOutsider_IsSetAsideEvenWithTheBrokerNamed(string title, bool aside)
    {
        var f = Features.Extract(title);

        (Dense(f, "diplomacy×outsider and one side alone") > 0).ShouldBe(aside);
    }

    private static double Dense(ItemFeatures f, string name) => f.Dense[Array.IndexOf(TopicFeatures.DenseNames, name)];
}
