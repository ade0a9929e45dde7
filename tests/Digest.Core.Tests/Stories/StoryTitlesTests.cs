using Digest.Core.Classification;
using Digest.Core.Stories;
using Digest.Tests.Shared;

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

    [Fact]
    public void Choose_ManyOutletsWithRepeatedHeadlines_PicksWhatComparingEveryPairPicks()
    {
        var headlines = Headlines.ReadJsonLines(SharedData.PathOf("data/headlines/headlines.jsonl")).Select(h => h.Title).Take(400).ToList();
        var random = new Random(5);
        for (var trial = 0; trial < 30; trial++)
        {
            // A story's members: a few headlines, most carried by several outlets.
            var pool = Enumerable.Range(0, random.Next(1, 12)).Select(_ => headlines[random.Next(headlines.Count)]).ToList();
            var titles = Enumerable.Range(0, random.Next(3, 120)).Select(_ => pool[random.Next(pool.Count)]).ToList();

            StoryTitles.Choose(titles, [.. titles.Select(_ => 0.5)]).ShouldBe(EveryPair(titles), $"trial {trial}");
        }
    }

    /// <summary>The choice as first written: every member's lead against every other member's words.</summary>
    private static int EveryPair(List<string> titles)
    {
        var words = titles.Select(StoryTitles.Words).ToList();
        var leads = titles.Select(t => StoryTitles.Words(StoryTitles.Lead(t))).ToList();
        var best = 0;
        var bestScore = double.MinValue;
        for (var i = 0; i < titles.Count; i++)
        {
            double shared = 0;
            for (var j = 0; j < titles.Count; j++)
            {
                if (i != j && leads[i].Count > 0)
                {
                    shared += leads[i].Count(words[j].Contains) / Math.Sqrt(leads[i].Count * (double)Math.Max(1, words[j].Count));
                }
            }

            if (shared > bestScore + 1e-9)
            {
                bestScore = shared;
                best = i;
            }
        }

        return best;
    }
}
