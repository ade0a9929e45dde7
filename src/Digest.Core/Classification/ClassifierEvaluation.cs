namespace Digest.Core.Classification;

/// <summary>One origin of a rolling-origin evaluation: a model trained on the labels up to <see cref="Origin"/>, tested on the days after.</summary>
internal sealed record OriginResult(
    DateOnly Origin,
    int Trained,
    int TrainedPositives,
    DateOnly TestFrom,
    DateOnly TestTo,
    Confusion Confusion,
    int Borderline,
    int BorderlinePositives,
    IReadOnlyList<(double Score, bool Positive)> Scores,
    IReadOnlyList<(Headline Headline, Relevance Verdict)> Mistakes);

/// <summary>A band of scores with how many items fell in it and how many of those are about the story.</summary>
internal sealed record CalibrationBin(double From, double To, int Count, int Positives)
{
    public double Rate => Count == 0 ? 0 : (double)Positives / Count;
}

/// <summary>
/// Measures the classifier on labelled headlines: on a fixed split, and with a rolling origin — train on the labels up
/// to day d, test on the days after d, for several d — so that what the model does on news it has not seen yet (the
/// story moves on: new rounds, new proposals, new names) shows in the repository, not only after it ships.
/// </summary>
internal static class ClassifierEvaluation
{
    /// <summary>Each labelled (not '?') headline's verdict against its label.</summary>
    public static Confusion Score(TopicClassifier classifier, IEnumerable<Headline> labelled) =>
        Confusion.Count(labelled.Where(h => h.Relevant is not null).Select(h => (classifier.Classify(h.Input).Relevant, h.Relevant!.Value)));

    /// <summary>
    /// Origins from the first day by which <paramref name="minimumPositives"/> positive labels have been seen, every
    /// <paramref name="step"/> days, leaving at least <paramref name="minimumTestDays"/> labelled days after the last.
    /// </summary>
    public static List<DateOnly> DefaultOrigins(IReadOnlyList<Headline> labelled, int minimumPositives = 20, int step = 2, int minimumTestDays = 2)
    {
        var days = labelled.Where(h => h.Relevant is not null && h.Day is not null).GroupBy(h => h.Day!.Value).OrderBy(g => g.Key).ToList();
        if (days.Count == 0)
        {
            return [];
        }

        var last = days[^1].Key.AddDays(-minimumTestDays);
        var seen = 0;
        DateOnly? first = null;
        foreach (var day in days)
        {
            seen += day.Count(h => h.Relevant == true);
            if (seen >= minimumPositives)
            {
                first = day.Key;
                break;
            }
        }

        var origins = new List<DateOnly>();
        for (var origin = first ?? last; origin <= last; origin = origin.AddDays(step))
        {
            origins.Add(origin);
        }

        return origins;
    }

    /// <summary>
    /// Trains on the labelled headlines first seen up to <paramref name="origin"/> (and the profile's examples), then
    /// classifies those of the following <paramref name="horizonDays"/> days (all later ones when null).
    /// </summary>
    public static OriginResult EvaluateOrigin(TopicProfile profile, IReadOnlyList<Headline> labelled, DateOnly origin, int? horizonDays, TrainingSettings? settings = null)
    {
        var train = labelled.Where(h => h.Relevant is not null && h.Day <= origin).ToList();
        var end = horizonDays is { } days ? origin.AddDays(days) : DateOnly.MaxValue;
        var test = labelled.Where(h => h.Relevant is not null && h.Day > origin && h.Day <= end).ToList();
        var trained = TopicTrainer.Train(profile, train.Select(h => new LabelledTitle(h.Title, h.Relevant!.Value, h.Day)), settings);
        var classifier = new TopicClassifier(profile, trained.Model);
        var verdicts = test.Select(h => (Headline: h, Verdict: classifier.Classify(h.Input), Positive: h.Relevant!.Value)).ToList();
        var borderline = verdicts.Where(v => v.Verdict.Borderline).ToList();
        return new OriginResult(
            origin,
            train.Count,
            train.Count(h => h.Relevant == true),
            test.Count > 0 ? test.Min(h => h.Day!.Value) : origin,
            test.Count > 0 ? test.Max(h => h.Day!.Value) : origin,
            Confusion.Count(verdicts.Select(v => (v.Verdict.Relevant, v.Positive))),
            borderline.Count,
            borderline.Count(v => v.Positive),
            [.. verdicts.Select(v => (v.Verdict.Score, v.Positive))],
            [.. verdicts.Where(v => v.Verdict.Relevant != v.Positive).Select(v => (v.Headline, v.Verdict))]);
    }

    /// <summary>How often items are about the story in each band of scores: a calibrated score is close to the rate.</summary>
    public static List<CalibrationBin> Calibration(IEnumerable<(double Score, bool Positive)> scores, IReadOnlyList<double> edges)
    {
        var bins = new List<CalibrationBin>();
        var all = scores.ToList();
        for (var i = 0; i + 1 < edges.Count; i++)
        {
            var (from, to) = (edges[i], edges[i + 1]);
            var inBin = all.Where(s => s.Score >= from && (s.Score < to || (i + 2 == edges.Count && s.Score <= to))).ToList();
            bins.Add(new CalibrationBin(from, to, inBin.Count, inBin.Count(s => s.Positive)));
        }

        return bins;
    }
}
