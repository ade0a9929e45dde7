using Digest.Core.Storage;

namespace Digest.Core.Stories;

/// <summary>Chooses the headline that best stands for a story: the one sharing the most words with the others.</summary>
public static class StoryTitles
{
    public static StoredItem MostRepresentative(IReadOnlyList<StoredItem> members)
    {
        if (members.Count <= 2)
        {
            return members.MaxBy(m => m.Relevance?.Score ?? 0) ?? members[0];
        }

        var words = members.Select(m => Words(m.Item.Title)).ToList();
        var best = 0;
        var bestScore = double.MinValue;
        for (var i = 0; i < members.Count; i++)
        {
            double shared = 0;
            for (var j = 0; j < members.Count; j++)
            {
                if (i != j)
                {
                    shared += (double)words[i].Intersect(words[j]).Count() / Math.Max(1, Math.Sqrt(words[i].Count * words[j].Count));
                }
            }

            if (shared > bestScore)
            {
                bestScore = shared;
                best = i;
            }
        }

        return members[best];
    }

    private static HashSet<string> Words(string title) => title.ToLowerInvariant()
        .Split([' ', ',', '.', ':', ';', '"', '“', '”', '‘', '’', '-', '–', '—', '(', ')', '?', '!'], StringSplitOptions.RemoveEmptyEntries)
        .Where(w => w.Length > 2)
        .ToHashSet();
}
