namespace Digest.Core.Classification;

/// <summary>A labelled title for training — a labelled headline (with the day it was first seen), a moderator's feedback, or a profile example.</summary>
internal sealed record LabelledTitle(string Title, bool Positive, DateOnly? Day = null);

/// <summary>A trained model with the examples it was trained on, in order (<see cref="TopicModel.OutOfFold"/> follows it).</summary>
internal sealed record TrainedTopicModel(TopicModel Model, IReadOnlyList<TrainingExample> Examples)
{
    /// <summary>Held-out confusion at a threshold (over the examples that were held out): what the training data says about choosing one.</summary>
    public Confusion OutOfFoldAt(double threshold) =>
        Confusion.Count(Examples.Select((e, i) => (Score: Model.OutOfFold[i], e.Positive)).Where(x => x.Score is not null).Select(x => (x.Score >= threshold, x.Positive)));
}

/// <summary>
/// Builds the topic model from labelled titles and the profile's own example headlines. Deterministic: the same
/// labels in the same order give the same model bytes.
/// </summary>
internal static class TopicTrainer
{
    public static TrainedTopicModel Train(TopicProfile profile, IEnumerable<LabelledTitle> labelled, TrainingSettings? settings = null)
    {
        var features = new TopicFeatures(profile);
        var examples = labelled
            .Concat(profile.PositiveExamples.Select(t => new LabelledTitle(t, true)))
            .Concat(profile.NegativeExamples.Select(t => new LabelledTitle(t, false)))
            .Select(l => new TrainingExample(features.Extract(TopicFeatures.TextOf(new ClassifierInput(l.Title))), l.Positive, l.Day))
            .ToList();
        return new TrainedTopicModel(TopicModel.Train(examples, settings ?? new TrainingSettings()), examples);
    }
}
