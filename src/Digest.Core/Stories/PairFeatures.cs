namespace Digest.Core.Stories;

/// <summary>
/// What the same-event model (<see cref="StoryPairModel"/>) reads of two items: how close their meanings and words are,
/// what they share (venue, figure, names, speaker, the kind of development they lead with) and what sets them apart
/// (different speakers, a bystander's remark, a development of its own), and the hours between them.
/// </summary>
internal static class PairFeatures
{
    public static readonly IReadOnlyList<string> Names =
    [
        "bias",
        "embedding cosine",
        "embedding cosine above 0.5",
        "tf-idf cosine",
        "same venue",
        "venue referred to",
        "one placed at a venue, the other nowhere",
        "same figure",
        "different development, one of its own",
        "same development",
        "same speaker",
        "different speakers",
        "a bystander against no speaker",
        "a participant against no speaker",
        "days apart",
        "fading (hours beyond the full span)",
        "shared names (Jaccard)",
        "shared title words (Jaccard)",
        "both lead with talks",
        "both lead with a plan",
    ];

    public static int Count => Names.Count;

    /// <summary>The features that need both embeddings; zero when either item has none.</summary>
    private static readonly int[] EmbeddingFeatures = [1, 2];

    public static double[] WithoutEmbedding(double[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var copy = (double[])features.Clone();
        foreach (var k in EmbeddingFeatures)
        {
            copy[k] = 0;
        }

        return copy;
    }

    /// <summary>Fills <paramref name="f"/> with the pair's features; returns whether both items have an embedding.</summary>
    internal static bool Compute(EventClusterer.Prepared px, EventClusterer.Prepared py, double hours, double termCosine, double fullHours, double fadeHours, Span<double> f)
    {
        EventFeatures x = px.Features, y = py.Features;
        f.Clear();
        f[0] = 1;
        var embedded = x.Embedding is { } ex && y.Embedding is { } ey;
        if (embedded)
        {
            var cosine = System.Numerics.Tensors.TensorPrimitives.Dot(x.Embedding!, y.Embedding!);
            f[1] = cosine;
            f[2] = Math.Max(0, cosine - 0.5);
        }

        f[3] = termCosine;
        if (Overlaps(x.Venues, y.Venues))
        {
            f[4] = 1;
        }
        else if (Overlaps(x.Venues, y.VenueMentions) || Overlaps(y.Venues, x.VenueMentions))
        {
            f[5] = 1;
        }

        if ((x.Venues.Length > 0) != (y.Venues.Length > 0))
        {
            f[6] = 1;
        }

        f[7] = Overlaps(x.Figures, y.Figures) ? 1 : 0;
        if (x.Lead != y.Lead && (EventClusterer.IsApart(x.Lead) || EventClusterer.IsApart(y.Lead)))
        {
            f[8] = 1;
        }

        f[9] = x.Lead != Development.None && x.Lead == y.Lead ? 1 : 0;
        if (px.Speaker is not null && py.Speaker is not null)
        {
            f[px.Speaker == py.Speaker ? 10 : 11] = 1;
        }
        else if (px.Bystander || py.Bystander)
        {
            f[12] = 1;
        }
        else if (px.Speaker is not null || py.Speaker is not null)
        {
            f[13] = 1;
        }

        f[14] = hours / 24;
        f[15] = Math.Max(0, hours - fullHours) / fadeHours;
        f[16] = Jaccard(px.NameIds, py.NameIds);
        f[17] = Jaccard(px.WordIds, py.WordIds);
        f[18] = x.Lead == Development.Talks && y.Lead == Development.Talks ? 1 : 0;
        f[19] = x.Lead == Development.Plan && y.Lead == Development.Plan ? 1 : 0;
        return embedded;
    }

    private static bool Overlaps<T>(T[] a, T[] b)
    {
        foreach (var item in a)
        {
            if (Array.IndexOf(b, item) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Jaccard of two sorted, distinct arrays of ids.</summary>
    private static double Jaccard(int[] a, int[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        int i = 0, j = 0, shared = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                shared++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)shared / (a.Length + b.Length - shared);
    }
}
