using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Core.Tests.Commands;

public sealed class TopicFilterTests
{
    private static readonly string[] Texts = ["Envoys meet in Geneva on the peace plan", "Security guarantees were discussed"];

    [Theory]
    [InlineData(new string[0], new string[0], null, 0.3, true)]
    [InlineData(new string[0], new string[0], 0.5, 0.3, false)]
    [InlineData(new[] { "GENEVA" }, new string[0], 0.5, 0.3, true)]
    [InlineData(new[] { "geneva" }, new[] { "security guarantees" }, null, 0.9, false)]
    [InlineData(new string[0], new[] { "Gaza" }, 0.5, 0.9, true)]
    public void Admits_AppliesExcludeThenIncludeThenThreshold(string[] include, string[] exclude, double? threshold, double score, bool admitted) =>
        TopicFilter.Admits(new TopicSettings(include, exclude, threshold), Texts, score).ShouldBe(admitted);

    [Theory]
    [InlineData("war", "A software update for the grid", false)]
    [InlineData("war", "An award for the negotiators", false)]
    [InlineData("war", "Wars in the region", true)]
    [InlineData("guarantee", "Talks on security guarantees resume", true)]
    [InlineData("security guarantees", "Talks on SECURITY\n  guarantees resume", true)]
    [InlineData("security guarantees", "Talks on securityguarantees resume", false)]
    [InlineData("peace plan", "The peaceful planners met", false)]
    [InlineData("U.S. envoy", "The U.S. envoy arrived", true)]
    [InlineData("a", "Envoys meet in Geneva", false)]
    public void Mentions_WordsInOrder_EachStartingAWord(string phrase, string text, bool found) =>
        TopicFilter.Mentions([text], phrase).ShouldBe(found);

    [Fact]
    public void Admits_NoThresholdSet_UsesTheProfilesOwn() =>
        TopicFilter.Admits(TopicSettings.Default, Texts, 0.3, defaultThreshold: 0.5).ShouldBeFalse();
}
