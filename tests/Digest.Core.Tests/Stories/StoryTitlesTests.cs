using Digest.Core.Stories;

namespace Digest.Core.Tests.Stories;

public sealed class StoryTitlesTests
{
    [Fact]
    public void Choose_AHeadlineLeadingWithSomethingElse_IsPassedOver()
    {
        string[] titles =
        [
            "Missile strike on Kyiv as US and Ukrainian negotiators meet in Geneva on the peace plan",
            "US and Ukrainian negotiators meet in Geneva",
            "Negotiators from the US and Ukraine meet in Geneva for a second day",
            "Geneva meeting of US and Ukrainian negotiators ends with progress",
        ];

        var chosen = StoryTitles.Choose(titles, [0.9, 0.8, 0.8, 0.8]);

        chosen.ShouldBeOneOf(1, 2, 3);
    }

    [Fact]
    public void Choose_TwoMembers_TakesTheBetterScored()
    {
        StoryTitles.Choose(["A first headline here", "A second headline here"], [0.4, 0.9]).ShouldBe(1);
    }
}
