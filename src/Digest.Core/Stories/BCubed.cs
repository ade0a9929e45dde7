namespace Digest.Core.Stories;

/// <summary>B-cubed precision, recall and F1 of a clustering against reference stories.</summary>
internal sealed record BCubedScore(double Precision, double Recall, int Items, int ReferenceStories, int Stories)
{
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>
    /// Scores <paramref name="predicted"/> (item → story) against <paramref name="reference"/> over the reference's items.
    /// For each item, precision is the share of its predicted story that shares its reference story, recall the share of
    /// its reference story that shares its predicted story; both are averaged over items. An item the prediction left
    /// out counts as a story of its own.
    /// </summary>
    public static BCubedScore Score<TKey>(IReadOnlyDictionary<TKey, string> reference, IReadOnlyDictionary<TKey, string> predicted)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(predicted);
        var items = reference.Keys.ToList();
        if (items.Count == 0)
        {
            return new BCubedScore(0, 0, 0, 0, 0);
        }

        // Items the prediction did not place get a story of their own (a key no story can have).
        var predictedOf = items.ToDictionary(i => i, i => predicted.TryGetValue(i, out var s) ? "p:" + s : "alone:" + i);
        var byReference = items.GroupBy(i => reference[i]).ToDictionary(g => g.Key, g => g.ToHashSet());
        var byPredicted = items.GroupBy(i => predictedOf[i]).ToDictionary(g => g.Key, g => g.ToHashSet());
        double precision = 0, recall = 0;
        foreach (var item in items)
        {
            var mine = byPredicted[predictedOf[item]];
            var gold = byReference[reference[item]];
            var both = mine.Count(gold.Contains);
            precision += (double)both / mine.Count;
            recall += (double)both / gold.Count;
        }

        return new BCubedScore(precision / items.Count, recall / items.Count, items.Count, byReference.Count, byPredicted.Count);
    }
}
