using System.Globalization;

namespace Digest.Harness.Infrastructure;

/// <summary>Latency samples and their percentiles (nearest rank).</summary>
internal sealed class Latency
{
    private readonly List<double> milliseconds = [];

    public int Count => milliseconds.Count;

    public void Add(TimeSpan sample) => milliseconds.Add(sample.TotalMilliseconds);

    public double Percentile(double p)
    {
        if (milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public double Max => milliseconds.Count == 0 ? double.NaN : milliseconds.Max();

    public string Summary() => string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(50):0} ms, p95 {Percentile(95):0} ms, p99 {Percentile(99):0} ms, max {Max:0} ms ({Count} samples)");
}
