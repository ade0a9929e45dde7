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
    public void Choose_AnExplainerSharesMostWords_TheEventIsChosen()
    {
        string[] titles =
        [
            "What to know about the harbour treaty between Norland and Estmark",
            "Norland and Estmark sign harbour treaty in Veldt",
            "Harbour treaty signed by Norland and Estmark after two days in Veldt",
            "How the harbour treaty between Norland and Estmark came together",
            "Norland, Estmark harbour treaty: live updates",
            "Will the harbour treaty between Norland and Estmark hold?",
        ];

        var chosen = StoryTitles.Choose(titles, [0.9, 0.6, 0.6, 0.9, 0.9, 0.9]);

        chosen.ShouldBeOneOf(1, 2);
    }

    [Fact]
    public void Choose_TheMostSharedHeadlineRunsOn_AShorterOneThatSaysAsMuchIsChosen()
    {
        string[] titles =
        [
            "Storm floods Veldt harbour, kills two people and damages ships, ports and the treaty hall days before Norland and Estmark sign treaty",
            "Storm floods Veldt harbour, kills two people and damages treaty hall",
            "Storm damages ships and ports in Veldt harbour",
            "Norland and Estmark treaty hall damaged by Veldt storm",
        ];

        StoryTitles.Choose(titles, [0.9, 0.9, 0.9, 0.9]).ShouldBe(1);
    }

    [Fact]
    public void Choose_TwoMembersTheBetterScoredAnExplainer_TakesTheEvent()
    {
        StoryTitles.Choose(["Why the harbour treaty matters to Norland", "Norland signs the harbour treaty"], [0.9, 0.4]).ShouldBe(1);
    }

    [Fact]
    public void Choose_OnlyExplainers_TakesTheBestOfThem()
    {
        StoryTitles.Choose(["Why the harbour treaty matters", "What to know about the harbour treaty"], [0.3, 0.8]).ShouldBe(1);
    }

    [Theory]
    [InlineData("World › Norland says it will sign the harbour treaty", "Norland says it will sign the harbour treaty")]
    [InlineData("Politics » Estmark parliament approves harbour treaty", "Estmark parliament approves harbour treaty")]
    [InlineData("LIVE: Norland and Estmark sign harbour treaty", "Norland and Estmark sign harbour treaty")]
    [InlineData("Breaking: Estmark ratifies the treaty", "Estmark ratifies the treaty")]
    [InlineData("Norland and Estmark sign harbour treaty: live updates", "Norland and Estmark sign harbour treaty")]
    [InlineData("Harbour talks – live", "Harbour talks – live")]
    [InlineData("The harbour treaty is signed. And, why the mayor of Veldt resigned", "The harbour treaty is signed")]
    [InlineData("Envoys meet in Veldt. Plus, the weather this weekend", "Envoys meet in Veldt")]
    [InlineData("Norland, U.S. And Estmark Sign Harbour Treaty", "Norland, U.S. And Estmark Sign Harbour Treaty")]
    [InlineData("Norland, Estmark sign treaty; ports to reopen", "Norland, Estmark sign treaty; ports to reopen")]
    public void Shown_LabelsAroundTheHeadline_AreDropped(string title, string shown)
    {
        StoryTitles.Shown(title).ShouldBe(shown);
    }

    [Theory]
    [InlineData("What to know about the harbour treaty", false)]
    [InlineData("Takeaways from the Veldt summit", false)]
    [InlineData("Is the harbour treaty in trouble?", false)]
    [InlineData("Harbour war briefing: envoys meet in Veldt", false)]
    [InlineData("Harbour treaty news at a glance: ports reopen", false)]
    [InlineData("However long it takes, Norland will sign, minister says", true)]
    [InlineData("Norland delivers its answer to the harbour plan", true)]
    [InlineData("Estmark lives up to its promise and signs the treaty", true)]
    [InlineData("Harbour people of Veldt say they want to live", true)]
    [InlineData("Veldt treaty signing – live", false)]
    [InlineData("Live: envoys arrive in Veldt", false)]
    public void IsEventHeadline_TellsTheEventFromAnExplainer(string title, bool isEvent)
    {
        StoryTitles.IsEventHeadline(title).ShouldBe(isEvent);
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

    /// <summary>The choice as first written: every member's lead against every other member's words, among the headlines
    /// that tell the event when any does.</summary>
    private static int EveryPair(List<string> titles)
    {
        var events = titles.Select(StoryTitles.IsEventHeadline).ToList();
        var anyEvent = events.Contains(true);
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

            shared *= Math.Min(1, StoryTitles.LongTitle / (double)titles[i].Length);
            if ((events[i] || !anyEvent) && shared > bestScore + 1e-9)
            {
                bestScore = shared;
                best = i;
            }
        }

        return best;
    }
}
