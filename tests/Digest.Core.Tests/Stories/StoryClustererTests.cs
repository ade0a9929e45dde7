using Digest.Core.Classification;
using Digest.Core.Stories;

namespace Digest.Core.Tests.Stories;

public sealed class StoryClustererTests
{
    private static readonly DateTimeOffset T0 = new(2025, 12, 10, 8, 0, 0, TimeSpan.Zero);

    private static readonly WeightedTerm[] Venues =
    [
        new("Geneva", ["Switzerland"], 1),
        new("Abu Dhabi", ["UAE"], 1),
        new("Miami", ["Florida"], 1),
        new("Moscow", [], 1),
    ];

    private readonly StoryClusterer clusterer = new(TimeSpan.FromHours(48), Venues);
    private long nextId;

    [Fact]
    public void FindStory_SameEventInOtherWords_JoinsTheStory()
    {
        var story = Start("US and Ukrainian delegations open talks in Geneva on Trump's peace plan");
        Start("Russian drones hit power plants in western Ukraine overnight");

        var match = clusterer.FindStory(Doc("Ukraine, US officials sit down in Geneva to discuss Trump peace plan", hours: 3));

        match.ShouldNotBeNull();
        match.StoryId.ShouldBe(story);
        match.DuplicateOfItemId.ShouldBeNull();
    }

    [Fact]
    public void FindStory_AnotherRoundWithTheSameActors_StartsANewStory()
    {
        Start("US and Ukrainian negotiators hold peace talks in Geneva");
        Join(1, "Geneva talks on Ukraine peace plan end with progress, negotiators say", hours: 4);

        var match = clusterer.FindStory(Doc("US and Russian negotiators hold peace talks in Abu Dhabi", hours: 20));

        match.ShouldBeNull();
    }

    [Fact]
    public void FindStory_RevisedHeadline_IsFoldedIntoTheFirstItem()
    {
        var story = Start("Russian strike on Ternopil apartment block kills 25, officials say");
        var firstItem = nextId;

        var match = clusterer.FindStory(Doc("Russian strike on Ternopil apartment block kills 26, officials say", hours: 2));

        match.ShouldNotBeNull();
        match.StoryId.ShouldBe(story);
        match.DuplicateOfItemId.ShouldBe(firstItem);
    }

    [Fact]
    public void FindStory_SameWordsOutsideTheWindow_StartsANewStory()
    {
        Start("Witkoff and Kushner meet Putin in Moscow on Ukraine peace plan");

        clusterer.FindStory(Doc("Witkoff and Kushner meet Putin in Moscow on Ukraine peace plan", hours: 60)).ShouldBeNull();
    }

    [Fact]
    public void FindStory_UnrelatedEventSameDay_StartsANewStory()
    {
        Start("Zelensky says Ukraine will not give up Donbas under any peace deal");

        clusterer.FindStory(Doc("Senators question Rubio over leaked call between Witkoff and Kremlin aide", hours: 5)).ShouldBeNull();
    }

    [Fact]
    public void FindStory_BacklogOfAnotherFeedArrivesAfterNewerItems_StillJoinsItsEvent()
    {
        // A first poll stores one feed's whole backlog, then the next feed's: time order holds within a feed only.
        var geneva = Start("US and Ukrainian delegations meet in Geneva to rework the peace plan");
        Start("Zelensky meets US envoys in Berlin to discuss security guarantees", hours: 500);

        var match = clusterer.FindStory(Doc("In Geneva, Ukrainian and US teams start trimming the peace plan", hours: 2));

        match.ShouldNotBeNull();
        match.StoryId.ShouldBe(geneva);
    }

    [Fact]
    public void Add_DocumentsOlderThanTheRetention_AreForgotten()
    {
        var clusterer = new StoryClusterer(TimeSpan.FromHours(48), Venues, retention: TimeSpan.FromDays(3));
        for (var day = 0; day < 10; day++)
        {
            for (var i = 0; i < 5; i++)
            {
                var document = Doc($"Item {i} of day {day} about talks number {day * 10 + i}", hours: (day * 24) + i);
                clusterer.Add(document, storyId: 1000 + (day * 10) + i);
            }
        }

        clusterer.Count.ShouldBe(16);
    }

    private long Start(string title, double hours = 0)
    {
        var document = Doc(title, hours);
        clusterer.FindStory(document).ShouldBeNull();
        var storyId = 100 + nextId;
        clusterer.Add(document, storyId);
        return storyId;
    }

    private void Join(long storyOffset, string title, double hours)
    {
        var document = Doc(title, hours);
        var match = clusterer.FindStory(document);
        match.ShouldNotBeNull();
        match.StoryId.ShouldBe(100 + storyOffset);
        clusterer.Add(document, match.StoryId);
    }

    private ClusterDocument Doc(string title, double hours, string summary = "") => new(++nextId, title, summary, T0.AddHours(hours));
}
