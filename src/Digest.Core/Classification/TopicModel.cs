namespace Digest.Core.Classification;

/// <summary>A labelled example for training: the item's features, whether it is about the story, and how much it counts.</summary>
internal sealed record TrainingExample(ItemFeatures Features, bool Positive, double Weight = 1);

/// <summary>
/// L2-regularised logistic regression over <see cref="TopicFeatures"/>, calibrated with Platt scaling on out-of-fold
/// scores. Training is full-batch and deterministic (fixed folds and order), so the same labels give the same bytes.
/// </summary>
internal sealed class TopicModel
{
    private const int Magic = 0x314D4744; // "DGM1"
    private readonly float[] weights;
    private readonly double[] dense;

    private TopicModel(float[] weights, double[] dense, double bias, double plattA, double plattB)
    {
        this.weights = weights;
        this.dense = dense;
        Bias = bias;
        PlattA = plattA;
        PlattB = plattB;
    }

    public double Bias { get; }
    public double PlattA { get; }
    public double PlattB { get; }

    public double DenseWeight(int index) => dense[index];

    public double Weight(int index) => weights[index];

    public double Logit(ItemFeatures f)
    {
        var z = Bias;
        for (var i = 0; i < f.Indices.Length; i++)
        {
            z += weights[f.Indices[i]] * f.Values[i];
        }

        for (var j = 0; j < dense.Length; j++)
        {
            z += dense[j] * f.Dense[j];
        }

        return z;
    }

    public double Probability(ItemFeatures f) => Sigmoid(PlattA * Logit(f) + PlattB);

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Trains on all examples, calibrating on out-of-fold logits from <paramref name="folds"/> folds.</summary>
    public static TopicModel Train(IReadOnlyList<TrainingExample> examples, TrainingSettings settings, int folds = 5)
    {
        var outOfFold = new double[examples.Count];
        for (var fold = 0; fold < folds; fold++)
        {
            var train = examples.Where((_, i) => i % folds != fold).ToList();
            var model = Fit(train, settings);
            for (var i = fold; i < examples.Count; i += folds)
            {
                outOfFold[i] = model.Logit(examples[i].Features);
            }
        }

        var (a, b) = FitPlatt(outOfFold, [.. examples.Select(e => e.Positive)]);
        var final = Fit(examples, settings);
        return new TopicModel(final.weights, final.dense, final.Bias, a, b) { OutOfFold = [.. outOfFold.Select(z => Sigmoid(a * z + b))] };
    }

    /// <summary>Calibrated out-of-fold probabilities of the training examples (for choosing a threshold); empty after loading.</summary>
    public IReadOnlyList<double> OutOfFold { get; private init; } = [];

    private static TopicModel Fit(IReadOnlyList<TrainingExample> examples, TrainingSettings settings)
    {
        var size = 1 << TopicFeatures.HashBits;
        var denseCount = TopicFeatures.DenseNames.Length;
        var positives = examples.Count(e => e.Positive);
        var negatives = examples.Count - positives;
        var positiveBoost = positives == 0 ? 1 : Math.Sqrt((double)negatives / positives);
        var total = examples.Sum(e => e.Weight * (e.Positive ? positiveBoost : 1));

        // Parameters: hashed weights, then dense weights, then the bias; optimised with Adam on the full batch.
        var parameters = new double[size + denseCount + 1];
        var gradient = new double[parameters.Length];
        var m = new double[parameters.Length];
        var v = new double[parameters.Length];
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        for (var step = 1; step <= settings.Iterations; step++)
        {
            Array.Clear(gradient);
            foreach (var example in examples)
            {
                var f = example.Features;
                var z = parameters[^1];
                for (var i = 0; i < f.Indices.Length; i++)
                {
                    z += parameters[f.Indices[i]] * f.Values[i];
                }

                for (var j = 0; j < denseCount; j++)
                {
                    z += parameters[size + j] * f.Dense[j];
                }

                var g = (Sigmoid(z) - (example.Positive ? 1 : 0)) * example.Weight * (example.Positive ? positiveBoost : 1) / total;
                for (var i = 0; i < f.Indices.Length; i++)
                {
                    gradient[f.Indices[i]] += g * f.Values[i];
                }

                for (var j = 0; j < denseCount; j++)
                {
                    gradient[size + j] += g * f.Dense[j];
                }

                gradient[^1] += g;
            }

            var correction1 = 1 - Math.Pow(beta1, step);
            var correction2 = 1 - Math.Pow(beta2, step);
            for (var p = 0; p < parameters.Length; p++)
            {
                var l2 = p < size ? settings.TextL2 : p < size + denseCount ? settings.ProfileL2 : 0;
                var grad = gradient[p] + l2 * parameters[p];
                if (grad == 0 && m[p] == 0)
                {
                    continue;
                }

                m[p] = beta1 * m[p] + (1 - beta1) * grad;
                v[p] = beta2 * v[p] + (1 - beta2) * grad * grad;
                parameters[p] -= settings.LearningRate * (m[p] / correction1) / (Math.Sqrt(v[p] / correction2) + epsilon);
            }
        }

        var hashed = new float[size];
        for (var i = 0; i < size; i++)
        {
            hashed[i] = (float)parameters[i];
        }

        return new TopicModel(hashed, parameters[size..(size + denseCount)], parameters[^1], 1, 0);
    }

    /// <summary>Platt scaling: the a, b that make sigmoid(a·z + b) a calibrated probability on held-out logits.</summary>
    private static (double A, double B) FitPlatt(double[] logits, bool[] labels)
    {
        // Platt's smoothed targets keep the fit finite when the classes separate.
        var positives = labels.Count(l => l);
        var negatives = labels.Length - positives;
        var high = (positives + 1.0) / (positives + 2.0);
        var low = 1.0 / (negatives + 2.0);
        double a = 1, b = 0;
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            double ga = 0, gb = 0;
            for (var i = 0; i < logits.Length; i++)
            {
                var err = Sigmoid(a * logits[i] + b) - (labels[i] ? high : low);
                ga += err * logits[i];
                gb += err;
            }

            a -= 0.5 * ga / logits.Length;
            b -= 0.5 * gb / logits.Length;
        }

        return (a, b);
    }

    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(TopicFeatures.HashBits);
        writer.Write(dense.Length);
        foreach (var d in dense)
        {
            writer.Write(d);
        }

        writer.Write(Bias);
        writer.Write(PlattA);
        writer.Write(PlattB);
        var kept = Enumerable.Range(0, weights.Length).Where(i => Math.Abs(weights[i]) >= 1e-4f).ToList();
        writer.Write(kept.Count);
        foreach (var i in kept)
        {
            writer.Write(i);
            writer.Write(weights[i]);
        }
    }

    public static TopicModel Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (reader.ReadInt32() != Magic || reader.ReadInt32() != TopicFeatures.HashBits)
        {
            throw new InvalidDataException("not a topic model of this version (retrain with `digest train`)");
        }

        var denseCount = reader.ReadInt32();
        if (denseCount != TopicFeatures.DenseNames.Length)
        {
            throw new InvalidDataException("the topic model has other profile features than this version (retrain with `digest train`)");
        }

        var dense = new double[denseCount];
        for (var j = 0; j < denseCount; j++)
        {
            dense[j] = reader.ReadDouble();
        }

        var bias = reader.ReadDouble();
        var a = reader.ReadDouble();
        var b = reader.ReadDouble();
        var weights = new float[1 << TopicFeatures.HashBits];
        var count = reader.ReadInt32();
        for (var k = 0; k < count; k++)
        {
            var index = reader.ReadInt32();
            if ((uint)index >= (uint)weights.Length)
            {
                throw new InvalidDataException("the topic model is corrupt");
            }

            weights[index] = reader.ReadSingle();
        }

        return new TopicModel(weights, dense, bias, a, b);
    }

    public static TopicModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }
}

/// <summary>How hard the trainer regularises text and profile weights, and how long it runs.</summary>
internal sealed record TrainingSettings(double TextL2 = 3e-3, double ProfileL2 = 1e-4, double LearningRate = 0.05, int Iterations = 300);
