using Digest.Core.Classification;
using Digest.Core.Storage;
using Digest.Storage.Sqlite;

namespace Digest.Worker.Tests.Cli;

public sealed class TrainVerbTests
{
    [Fact]
    public async Task Train_WithStoredFeedback_LearnsFromTheModeratorsVerdicts()
    {
        using var cli = new TestSupport.Cli();
        await cli.RunAsync(["once", "--feeds", TestSupport.Cli.Sample("harbor-wire.xml")]);
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

    [Fact]
    public async Task Train_SameLabelsTwice_WritesIdenticalModels()
    {
        using var cli = new TestSupport.Cli();
        var labels = await WriteLabelsAsync(cli.Directory);
        var first = Path.Combine(cli.Directory, "a.bin");
        var second = Path.Combine(cli.Directory, "b.bin");

        (await cli.RunAsync("train", "--labels", labels, "--output", first, "--no-feedback")).Exit.ShouldBe(0);
        (await cli.RunAsync("train", "--labels", labels, "--output", second, "--no-feedback")).Exit.ShouldBe(0);

        (await File.ReadAllBytesAsync(first, TestContext.Current.CancellationToken)).ShouldBe(await File.ReadAllBytesAsync(second, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Train_PrintsHeldOutFiguresAndWhatTheModelWeighs()
    {
        using var cli = new TestSupport.Cli();
        var labels = await WriteLabelsAsync(cli.Directory);

        var (exit, output, errors) = await cli.RunAsync("train", "--labels", labels, "--output", Path.Combine(cli.Directory, "m.bin"), "--no-feedback");

        exit.ShouldBe(0, errors);
        output.ShouldContain("about the story");
        output.ShouldContain("  0.4: precision");
        output.ShouldContain("meeting×side and broker or both sides");
    }

    /// <summary>The model in config/models is the one the README's command builds: all the dev labels, no feedback.</summary>
    [Fact]
    public async Task Train_ReadmeCommand_RebuildsTheShippedModel()
    {
        var labels = SharedData.PathOf("data/headlines/labels-dev.tsv");
        using var cli = new TestSupport.Cli();
        var rebuilt = Path.Combine(cli.Directory, "rebuilt.bin");

        var (exit, _, errors) = await cli.RunAsync("train", "--labels", labels, "--no-feedback", "--output", rebuilt);

        exit.ShouldBe(0, errors);
        var profile = TopicProfile.Load(Path.Combine(TestSupport.Cli.RepositoryRoot(), "config", "topics", "ukraine-peace-talks.json"));
        var shipped = TopicClassifier.Load(profile, Path.Combine(TestSupport.Cli.RepositoryRoot(), "config", profile.Model));
        var fresh = TopicClassifier.Load(profile, rebuilt);
        foreach (var headline in Headlines.ReadJsonLines(SharedData.PathOf("data/headlines/headlines.jsonl")).Take(3000))
        {
            fresh.Classify(headline.Input).Score.ShouldBe(shipped.Classify(headline.Input).Score, 1e-3, headline.Title);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("--labels")]
    [InlineData("--labels missing.tsv")]
    [InlineData("--labels x.tsv --until 24/11/2025")]
    [InlineData("--bogus 1")]
    [InlineData("stray")]
    public async Task Train_BadArguments_ExplainsAndExits2(string line)
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["train", .. line.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--no-feedback"]);

        exit.ShouldBe(2);
        errors.ShouldNotBeEmpty();
    }

    private static async Task<string> WriteLabelsAsync(string directory)
    {
        var path = Path.Combine(directory, "feedback.tsv");
        await File.WriteAllLinesAsync(path,
        [
            "US and Ukraine negotiators meet in Geneva on the peace plan\tT",
            "Kremlin aide Ushakov rejects European counterproposal\tT",
            "Gaza ceasefire holds as hostages are released\tO",
            "Russian drones strike Odesa port overnight\tW",
        ], TestContext.Current.CancellationToken);
        return path;
    }
}
