using Digest.Core.Classification;
using Digest.Core.Storage;

namespace Digest.Core.Stories;

/// <summary>
/// Chooses the headline that stands for a story: the one whose lead — the words before its first "as", "amid",
/// "after", colon or dash — says what most of the story's members lead with. A headline that leads with something
/// else ("Russia strikes Kyiv as talks resume" in a talks story) is passed over even when it shares many words.
/// </summary>
public static class StoryTitles
{
    private static readonly string[] Breaks = [" as ", " amid ", " after ", " while ", " even as ", ": ", " — ", " – ", " - ", "; "];

    public static StoredItem MostRepresentative(IReadOnlyList<StoredItem> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var index = Choose([.. members.Select(m => m.Item.Title)], [.. members.Select(m => m.Relevance?.Score ?? 0)]);
        return members[index];
    }

    /// <summary>The index of the title that stands for the story; with two or fewer, the best-scored (then the first).</summary>
    public static int Choose(IReadOnlyList<string> titles, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(titles);
        ArgumentNullException.ThrowIfNull(scores);
        if (titles.Count == 0)
        {
            throw new ArgumentException("a story has at least one member", nameof(titles));
        }

        if (titles.Count <= 2)
        {
            return titles.Count == 2 && scores[1] > scores[0] ? 1 : 0;
        }

        var words = titles.Select(t => Words(t)).ToList();
        var leads = titles.Select(t => Words(Lead(t))).ToList();
        var best = 0;
        var bestScore = double.MinValue;
        for (var i = 0; i < titles.Count; i++)
        {
            double shared = 0;
            for (var j = 0; j < titles.Count; j++)
            {
                if (i != j && leads[i].Count > 0)
                {
                    shared += leads[i].Count(words[j].Contains) / Math.Sqrt(leads[i].Count * (double)Math.Max(1, words[j].Count));
                }
            }

            if (shared > bestScore + 1e-9)
            {
                bestScore = shared;
                best = i;
            }
        }

        return best;
    }

    /// <summary>The headline's leading clause (the whole headline when what precedes a break is too short to stand alone).</summary>
    internal static string Lead(string title)
    {
        var cut = title.Length;
        foreach (var mark in Breaks)
        {
            var at = title.IndexOf(mark, StringComparison.OrdinalIgnoreCase);
            if (at > 0 && at < cut && title[..at].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3)
            {
                cut = at;
            }
        }

        return title[..cut];
    }

    private static HashSet<string> Words(string title) =>
        Tokenizer.Tokenize(title).Where(w => w.Length > 2 && !Tokenizer.IsStopWord(w)).ToHashSet(StringComparer.Ordinal);
}
