using Digest.Core.Classification;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Classification;

public sealed class ShippedModelTests
{
    /// <summary>
    /// The model in config/models/ was trained on headlines first seen up to 2025-11-24 (plus the profile's examples);
    /// these are the labelled headlines after that, which it has never seen.
    /// </summary>
    [Fact]
    public void ShippedModel_OnLaterLabelledHeadlines_MeetsPrecisionAndF1Targets()
    {
        var headlines = Headlines.ReadJsonLines(SharedData.PathOf("data/headlines/headlines.jsonl")).ToDictionary(h => h.Id);
        var labels = File.ReadLines(SharedData.PathOf("data/headlines/labels-dev.tsv")).Skip(1).Select(l => l.Split('\t'));
        var test = labels
            .Select(f => (Headline: headlines[f[0]], Label: Headlines.ParseLabel(f[1])))
            .Where(x => x.Label is not null && x.Headline.InDays(new DateOnly(2025, 11, 25), new DateOnly(2025, 12, 5)))
            .ToList();

        var confusion = Confusion.Count(test.Select(x => (ShippedClassifier.Instance.Classify(x.Headline.Input).Relevant, x.Label!.Value)));

        test.Count.ShouldBeGreaterThan(1000);
        confusion.Precision.ShouldBeGreaterThanOrEqualTo(0.95, confusion.ToString());
        confusion.F1.ShouldBeGreaterThanOrEqualTo(0.92, confusion.ToString());
    }
}
