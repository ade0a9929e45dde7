using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

/// <summary>
/// The classifier judged on news it has not seen: trained on the dev labels up to a day, tested on the days after.
/// These read the headlines and labels under ../shared and skip without them.
/// </summary>
public sealed class RollingOriginTests
{
    private static readonly Lazy<List<Headline>> DevLabelled = new(() => Headlines.WithLabels(
        Headlines.ReadJsonLines(SharedData.PathOf("data/headlines/headlines.jsonl")),
        SharedData.PathOf("data/headlines/labels-dev.tsv")));

    private static TopicProfile Profile => TopicProfile.Load(ShippedClassifier.ProfilePath);

    [Theory]
    [InlineData("2025-11-24")]
    [InlineData("2025-11-30")]
    public void EvaluateOrigin_DevLabels_KeepsPrecisionOnTheDaysAfter(string origin)
    {
        SharedData.PathOf("data/headlines/labels-dev.tsv");

        var result = ClassifierEvaluation.EvaluateOrigin(Profile, DevLabelled.Value, DateOnly.Parse(origin, System.Globalization.CultureInfo.InvariantCulture), horizonDays: null);

        result.TestFrom.ShouldBe(DateOnly.Parse(origin, System.Globalization.CultureInfo.InvariantCulture).AddDays(1));
        result.Confusion.Precision.ShouldBeGreaterThanOrEqualTo(0.95, result.Confusion.ToString());
        result.Confusion.F1.ShouldBeGreaterThanOrEqualTo(0.9, result.Confusion.ToString());
    }

    [Fact]
    public void DefaultOrigins_DevLabels_StartOnceTheStoryHasEnoughExamplesAndLeaveDaysToTest()
    {
        SharedData.PathOf("data/headlines/labels-dev.tsv");
        var labelled = DevLabelled.Value;

        var origins = ClassifierEvaluation.DefaultOrigins(labelled);

        origins.Count.ShouldBeGreaterThanOrEqualTo(5);
        labelled.Count(h => h.Relevant == true && h.Day <= origins[0]).ShouldBeGreaterThanOrEqualTo(20);
        labelled.Max(h => h.Day!.Value).DayNumber.ShouldBeGreaterThanOrEqualTo(origins[^1].DayNumber + 2);
        origins.Zip(origins.Skip(1)).ShouldAllBe(pair => pair.Second.DayNumber - pair.First.DayNumber == 2);
    }

    [Fact]
    public void Calibration_CountsItemsAndPositivesPerBand()
    {
        var bins = ClassifierEvaluation.Calibration([(0.05, false), (0.1, true), (0.6, true), (1.0, true), (0.7, false)], [0, 0.5, 1]);

        bins.Select(b => (b.Count, b.Positives)).ShouldBe([(2, 1), (3, 2)]);
    }
}
