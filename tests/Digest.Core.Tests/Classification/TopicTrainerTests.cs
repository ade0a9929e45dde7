using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

public sealed class TopicTrainerTests : IDisposable
{
    private static readonly TopicProfile Profile = TopicProfile.Load(ShippedClassifier.ProfilePath);
    private readonly string directory = Directory.CreateTempSubdirectory("digest-train-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Train_SameLabelsTwice_GivesTheSameBytes()
    {
        Bytes(TopicTrainer.Train(Profile, Feedback()).Model).ShouldBe(Bytes(TopicTrainer.Train(Profile, Feedback()).Model));
    }

    [Fact]
    public void Train_OnFeedbackLines_BuildsAModelThatTellsTheTalksFromOtherNews()
    {
        var classifier = new TopicClassifier(Profile, TopicTrainer.Train(Profile, Feedback()).Model);

        classifier.Classify(new ClassifierInput("Witkoff and Umerov agree on peace plan changes in Geneva")).Relevant.ShouldBeTrue();
        classifier.Classify(new ClassifierInput("Hamas and Israel agree on Gaza truce extension")).Relevant.ShouldBeFalse();
    }

    [Fact]
    public void Train_DatedLabels_CalibratesOnLaterDaysWithModelsTrainedOnEarlierOnes()
    {
        var start = new DateOnly(2025, 3, 1);
        var labelled = Enumerable.Range(0, 20).SelectMany(d => new[]
        {
            new LabelledTitle($"Negotiators from Kyiv and Washington meet for round {d} of peace talks", true, start.AddDays(d)),
            new LabelledTitle($"Storm number {d} brings snow to the Alps", false, start.AddDays(d)),
        }).ToList();

        var trained = TopicTrainer.Train(Profile, labelled);

        // The first half of the days only ever trains; the later days are scored by models that never saw them.
        var heldOut = labelled.Select((l, i) => (l.Day, Score: trained.Model.OutOfFold[i])).ToList();
        heldOut.Where(x => x.Day < start.AddDays(10)).ShouldAllBe(x => x.Score == null);
        heldOut.Where(x => x.Day >= start.AddDays(12)).ShouldAllBe(x => x.Score != null);
    }

    [Fact]
    public void ReadLabels_IdLinesAndFeedbackLines_JoinTitlesAndSkipAmbiguous()
    {
        var path = Path.Combine(directory, "mixed.tsv");
        File.WriteAllLines(path, ["id\tlabel", "1\tT", "2\tO", "3\t?", "4\tT", "Moderator said this one is off topic\tbad", "Talks resume in Berlin\tgood"]);
        var byId = new Dictionary<string, Headline>
        {
            ["1"] = new("1", "First", null, null, new DateTimeOffset(2025, 11, 20, 8, 0, 0, TimeSpan.Zero), "T"),
            ["2"] = new("2", "Second", null, null, new DateTimeOffset(2025, 11, 21, 0, 0, 0, TimeSpan.Zero), "O"),
            ["3"] = new("3", "Third", null, null, new DateTimeOffset(2025, 11, 22, 0, 0, 0, TimeSpan.Zero), "?"),
            ["4"] = new("4", "Fourth", null, null, new DateTimeOffset(2025, 11, 30, 0, 0, 0, TimeSpan.Zero), "T"),
        };

        var labelled = Headlines.ReadLabels(path, byId, until: new DateOnly(2025, 11, 24));

        labelled.ShouldBe(
        [
            new LabelledTitle("First", true, new DateOnly(2025, 11, 20)),
            new LabelledTitle("Second", false, new DateOnly(2025, 11, 21)),
            new LabelledTitle("Moderator said this one is off topic", false),
            new LabelledTitle("Talks resume in Berlin", true),
        ]);
    }

    private static List<LabelledTitle> Feedback() =>
    [
        new("US and Ukraine negotiators meet in Geneva on the peace plan", true),
        new("Kremlin aide Ushakov rejects European counterproposal", true),
        new("Gaza ceasefire holds as hostages are released", false),
        new("Russian drones strike Odesa port overnight", false),
    ];

    private static byte[] Bytes(TopicModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }
}
