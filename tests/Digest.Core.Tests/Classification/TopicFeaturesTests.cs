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
}
