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

    [Fact]
    public void Admits_NoThresholdSet_UsesTheProfilesOwn() =>
        TopicFilter.Admits(TopicSettings.Default, Texts, 0.3, defaultThreshold: 0.5).ShouldBeFalse();
}
