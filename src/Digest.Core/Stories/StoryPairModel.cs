using System.Globalization;
using System.Text.Json;

namespace Digest.Core.Stories;

/// <summary>
/// The learned same-event model: a logistic regression over an item pair's features (<see cref="PairFeatures"/>) that
/// says how likely an editor puts the two headlines under one story. Two weight vectors: one for pairs whose items both
/// have a sentence embedding, one for pairs where either has none (the embedding features are then left out), so the
/// clusterer degrades to words, names, venues, speakers and time when the model can't load.
/// </summary>
internal sealed class StoryPairModel
{
    /// <summary>Where the shipped model lives, relative to the config folder.</summary>
    public const string DefaultPath = "models/story-pairs.json";

    public StoryPairModel(double[] withEmbeddings, double[] wordsOnly, string trainedOn)
    {
        ArgumentNullException.ThrowIfNull(withEmbeddings);
        ArgumentNullException.ThrowIfNull(wordsOnly);
        if (withEmbeddings.Length != PairFeatures.Count || wordsOnly.Length != PairFeatures.Count)
        {
            throw new InvalidDataException($"a story pair model has {PairFeatures.Count} weights per variant, not {withEmbeddings.Length}/{wordsOnly.Length}");
        }

        WithEmbeddings = withEmbeddings;
        WordsOnly = wordsOnly;
        TrainedOn = trainedOn;
    }

    public double[] WithEmbeddings { get; }

    public double[] WordsOnly { get; }

    /// <summary>What the model was trained on, for the file's reader.</summary>
    public string TrainedOn { get; }

    /// <summary>The probability that the pair is one event.</summary>
    public double Probability(ReadOnlySpan<double> features, bool embedded)
    {
        var weights = embedded ? WithEmbeddings : WordsOnly;
        double z = 0;
        for (var k = 0; k < weights.Length; k++)
        {
            z += weights[k] * features[k];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    public void Save(Stream stream)
    {
        var file = new ModelFile(
            "story-pairs/1",
            TrainedOn,
            [.. PairFeatures.Names],
            [.. WithEmbeddings.Select(Round)],
            [.. WordsOnly.Select(Round)]);
        JsonSerializer.Serialize(stream, file, Json);
    }

    public static StoryPairModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        ModelFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ModelFile>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a story pair model ({e.Message})", e);
        }

        if (file is null || file.Format != "story-pairs/1" || !file.Features.SequenceEqual(PairFeatures.Names))
        {
            throw new InvalidDataException($"{path}: a story pair model for other features (rebuild it with `digest train stories`)");
        }

        return new StoryPairModel([.. file.WithEmbeddings], [.. file.WordsOnly], file.TrainedOn);
    }

    /// <summary>Weights are written to 9 significant digits: the file reads the same on every platform.</summary>
    private static double Round(double w) => double.Parse(w.ToString("G9", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    internal sealed record ModelFile(string Format, string TrainedOn, string[] Features, double[] WithEmbeddings, double[] WordsOnly);
}

/// <summary>
/// Trains <see cref="StoryPairModel"/> on labelled pairs: L2-regularised logistic regression fitted by Newton's method
/// (a few dozen features, so each step solves a small linear system exactly). Deterministic: the same pairs in the
/// same order give the same weights.
/// </summary>
internal static class StoryPairTrainer
{
    /// <summary>The L2 penalty on every weight but the bias.</summary>
    public const double Penalty = 1.0;

    /// <param name="pairs">The examples; <c>Weight</c> is how much each counts (1 for a labelled pair).</param>
    public static StoryPairModel Train(IReadOnlyList<(double[] Features, bool Embedded, bool Same, double Weight)> pairs, string trainedOn)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var embedded = pairs.Where(p => p.Embedded).Select(p => (p.Features, p.Same, p.Weight)).ToList();
        // The words-only variant learns from every pair with its embedding features zeroed, as it will see them.
        var wordsOnly = pairs.Select(p => (Features: PairFeatures.WithoutEmbedding(p.Features), p.Same, p.Weight)).ToList();
        return new StoryPairModel(Fit(embedded.Count > 0 ? embedded : wordsOnly), Fit(wordsOnly), trainedOn);
    }

    private static double[] Fit(List<(double[] Features, bool Same, double Weight)> pairs)
    {
        var d = PairFeatures.Count;
        var w = new double[d];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var gradient = new double[d];
            var hessian = new double[d, d];
            foreach (var (x, same, weight) in pairs)
            {
                double z = 0;
                for (var k = 0; k < d; k++)
                {
                    z += w[k] * x[k];
                }

                var p = 1 / (1 + Math.Exp(-z));
                var r = weight * ((same ? 1 : 0) - p);
                var v = weight * Math.Max(p * (1 - p), 1e-9);
                for (var a = 0; a < d; a++)
                {
                    if (x[a] == 0)
                    {
                        continue;
                    }

                    gradient[a] += r * x[a];
                    for (var b = 0; b <= a; b++)
                    {
                        hessian[a, b] += v * x[a] * x[b];
                    }
                }
            }

            for (var a = 0; a < d; a++)
            {
                var penalty = a == 0 ? 1e-6 : Penalty;
                gradient[a] -= penalty * w[a];
                hessian[a, a] += penalty;
                for (var b = 0; b < a; b++)
                {
                    hessian[b, a] = hessian[a, b];
                }
            }

            var step = Solve(hessian, gradient);
            var change = 0.0;
            for (var k = 0; k < d; k++)
            {
                w[k] += step[k];
                change = Math.Max(change, Math.Abs(step[k]));
            }

            if (change < 1e-10)
            {
                break;
            }
        }

        return w;
    }

    /// <summary>Solves A x = b for a symmetric positive definite A (Cholesky).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                l[i, j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / l[j, j];
            }
        }

        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i, k] * y[k];
            }

            y[i] = sum / l[i, i];
        }

        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return x;
    }
}
