using Digest.Core.Storage;
using Digest.Storage.Sqlite;

namespace Digest.Worker.Tests.Cli;

public sealed class TrainVerbTests
{
    [Fact]
    public async Task Train_WithStoredFeedback_LearnsFromTheModeratorsVerdicts()
    {
        using var cli = new TestSupport.Cli();
        // One configured feed (every configured slot points at it): `once --feeds` leaves nothing in the store to train on.
        var harbor = TestSupport.Cli.Sample("harbor-wire.xml");
        await cli.RunAsync(["once", .. Enumerable.Range(0, 4).Select(i => $"--Feeds:Sources:{i}:Url={harbor}")]);
        var store = new SqliteStore($"Data Source={cli.Database}");
        var story = (await store.GetStoriesAsync(new StoryQuery(1), TestContext.Current.CancellationToken)).Single();
        await store.RecordFeedbackAsync(new FeedbackRecord(story.Id, "bad", "telegram:-100", "42", DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken);
        var labels = Path.Combine(cli.Directory, "labels.tsv");
        await File.WriteAllLinesAsync(labels, ["Envoys meet in Geneva to discuss the peace plan for Ukraine\tgood", "Storm brings snow to the Alps\tbad"], TestContext.Current.CancellationToken);
        var model = Path.Combine(cli.Directory, "model.bin");

        var (exit, output, errors) = await cli.RunAsync(["train", "--labels", labels, "--output", model]);

        exit.ShouldBe(0, errors);
        output.ShouldContain("including 1 headlines from moderators' feedback");
        File.Exists(model).ShouldBeTrue();
    }
}
