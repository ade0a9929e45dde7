using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("digest-train-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Train_SameLabelsTwice_WritesIdenticalModels()
    {
        var labels = WriteFeedback();
        var first = Path.Combine(directory, "a.bin");
        var second = Path.Combine(directory, "b.bin");

        (await Train(["--labels", labels, "--profile", ShippedClassifier.ProfilePath, "--output", first])).ShouldBe(0);
        (await Train(["--labels", labels, "--profile", ShippedClassifier.ProfilePath, "--output", second])).ShouldBe(0);

        (await File.ReadAllBytesAsync(first, TestContext.Current.CancellationToken)).ShouldBe(await File.ReadAllBytesAsync(second, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Train_OnFeedbackLines_BuildsAModelTheClassifierLoads()
    {
        var output = Path.Combine(directory, "model.bin");
        var stdout = new StringWriter();

        (await TrainCommand.RunAsync(["--labels", WriteFeedback(), "--profile", ShippedClassifier.ProfilePath, "--output", output], stdout, TextWriter.Null, TestContext.Current.CancellationToken)).ShouldBe(0);

        stdout.ToString().ShouldContain("about the story");
        var classifier = TopicClassifier.Load(TopicProfile.Load(ShippedClassifier.ProfilePath), output);
        classifier.Classify(new ClassifierInput("Witkoff and Umerov agree on peace plan changes in Geneva")).Relevant.ShouldBeTrue();
        classifier.Classify(new ClassifierInput("Hamas and Israel agree on Gaza truce extension")).Relevant.ShouldBeFalse();
    }

    [Fact]
    public void ReadLabels_IdLinesAndFeedbackLines_JoinTitlesAndSkipAmbiguous()
    {
        var path = Path.Combine(directory, "mixed.tsv");
        File.WriteAllLines(path, ["id\tlabel", "1\tT", "2\tO", "3\t?", "4\tT", "Moderator said this one is off topic\tbad", "Talks resume in Berlin\tgood"]);
        var byId = new Dictionary<string, Headline>
        {
            ["1"] = new("1", "First", null, null, new DateTimeOffset(2025, 11, 20, 0, 0, 0, TimeSpan.Zero), "T"),
            ["2"] = new("2", "Second", null, null, new DateTimeOffset(2025, 11, 21, 0, 0, 0, TimeSpan.Zero), "O"),
            ["3"] = new("3", "Third", null, null, new DateTimeOffset(2025, 11, 22, 0, 0, 0, TimeSpan.Zero), "?"),
            ["4"] = new("4", "Fourth", null, null, new DateTimeOffset(2025, 11, 30, 0, 0, 0, TimeSpan.Zero), "T"),
        };

        var labelled = Headlines.ReadLabels(path, byId, until: new DateOnly(2025, 11, 24));

        labelled.ShouldBe([("First", true), ("Second", false), ("Moderator said this one is off topic", false), ("Talks resume in Berlin", true)]);
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
        var stderr = new StringWriter();

        (await TrainCommand.RunAsync(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), TextWriter.Null, stderr, TestContext.Current.CancellationToken)).ShouldBe(2);

        stderr.ToString().ShouldNotBeEmpty();
    }

    private string WriteFeedback()
    {
        var path = Path.Combine(directory, "feedback.tsv");
        File.WriteAllLines(path,
        [
            "US and Ukraine negotiators meet in Geneva on the peace plan\tT",
            "Kremlin aide Ushakov rejects European counterproposal\tT",
            "Gaza ceasefire holds as hostages are released\tO",
            "Russian drones strike Odesa port overnight\tW",
        ]);
        return path;
    }

    private static Task<int> Train(string[] args) => TrainCommand.RunAsync(args, TextWriter.Null, TextWriter.Null, TestContext.Current.CancellationToken);
}
