using System.Globalization;

namespace Digest.Core.Classification;

/// <summary>Confusion counts of a yes/no decision against labels, with precision, recall and F1.</summary>
internal readonly record struct Confusion(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static Confusion Count(IEnumerable<(bool Predicted, bool Actual)> pairs)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var (predicted, actual) in pairs)
        {
            _ = (predicted, actual) switch
            {
                (true, true) => tp++,
                (true, false) => fp++,
                (false, true) => fn++,
                _ => tn++,
            };
        }

        return new Confusion(tp, fp, fn, tn);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"precision {Precision:0.000} recall {Recall:0.000} F1 {F1:0.000} (TP {TruePositives}, FP {FalsePositives}, FN {FalseNegatives}, TN {TrueNegatives})");
}
