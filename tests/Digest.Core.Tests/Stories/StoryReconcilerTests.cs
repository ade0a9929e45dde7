using Digest.Core.Stories;

namespace Digest.Core.Tests.Stories;

public sealed class StoryReconcilerTests
{
    private static readonly IReadOnlyDictionary<long, long> NoDuplicates = new Dictionary<long, long>();

    [Fact]
    public void Reconcile_FirstPass_CreatesAStoryPerCluster()
    {
        var result = StoryReconciler.Reconcile(Partition([1, 2], [3]), new Dictionary<long, long>());

        result.Stories.Count.ShouldBe(2);
        result.Stories.ShouldAllBe(s => s.StoryId == null);
        result.Stories[0].Joined.ShouldBe([1, 2]);
    }

    [Fact]
    public void Reconcile_AStoryGains_KeepsItsIdAndOnlyTheNewItemJoins()
    {
        var current = new Dictionary<long, long> { [1] = 42, [2] = 42, [3] = 43 };

        var result = StoryReconciler.Reconcile(Partition([1, 2, 4], [3]), current);

        var grown = result.Stories.Single(s => s.ItemIds.Contains(4));
        grown.StoryId.ShouldBe(42);
        grown.Joined.ShouldBe([4]);
        result.Stories.Single(s => s.StoryId == 43).IsUnchanged.ShouldBeTrue();
        result.Changed.Count().ShouldBe(1);
    }

    [Fact]
    public void Reconcile_TwoStoriesTurnOutToBeOne_TheLargerKeepsItsIdAndTheOtherIsMergedIntoIt()
    {
        var current = new Dictionary<long, long> { [1] = 50, [2] = 51, [3] = 51, [4] = 51 };

        var result = StoryReconciler.Reconcile(Partition([1, 2, 3, 4, 5]), current);

        var story = result.Stories.Single();
        story.StoryId.ShouldBe(51);
        story.Absorbed.ShouldBe([50]);
        story.Joined.ShouldBe([1, 5]);
        result.Moves(current).Single(m => m.ItemId == 1).From.ShouldBe(50);
    }

    [Fact]
    public void Reconcile_EqualOverlap_TheOlderStorySurvives()
    {
        var current = new Dictionary<long, long> { [1] = 8, [2] = 7 };

        var result = StoryReconciler.Reconcile(Partition([1, 2]), current);

        result.Stories.Single().StoryId.ShouldBe(7);
        result.Stories.Single().Absorbed.ShouldBe([8]);
    }

    [Fact]
    public void Reconcile_AStoryThatDrifted_Splits_TheLargerPartKeepsTheIdAndTheRestIsANewStory()
    {
        var current = new Dictionary<long, long> { [1] = 9, [2] = 9, [3] = 9, [4] = 9, [5] = 9 };

        var result = StoryReconciler.Reconcile(Partition([1, 2, 3], [4, 5]), current);

        result.Stories[0].StoryId.ShouldBe(9);
        result.Stories[0].IsUnchanged.ShouldBeTrue();
        result.Stories[1].StoryId.ShouldBeNull();
        result.Stories[1].Joined.ShouldBe([4, 5]);
        result.Shrunk.ShouldBe([9]);
    }

    [Fact]
    public void Reconcile_SamePartitionAgain_ChangesNothing()
    {
        var current = new Dictionary<long, long> { [1] = 3, [2] = 3, [5] = 4 };

        var result = StoryReconciler.Reconcile(Partition([1, 2], [5]), current);

        result.Changed.ShouldBeEmpty();
        result.Shrunk.ShouldBeEmpty();
    }

    private static StoryPartition Partition(params long[][] clusters) =>
        new([.. clusters.Select(c => new StoryCluster(c, null))], NoDuplicates);
}
