namespace Digest.Core.Classification;

/// <summary>Where a term was found: its index, the first token and how many tokens it covers.</summary>
internal readonly record struct TermHit(int Term, int Start, int Length);

/// <summary>
/// Finds which of a set of terms occur in a token sequence: each spelling is tokenized once and indexed by its first
/// token, so matching an item costs one dictionary look-up per token instead of a regex per term. A spelling may hold
/// "…" (or "..."): up to <see cref="MaxGap"/> other words may stand there, so "end … war" finds "end the war",
/// "ending the Ukraine war" needs its own first word ("ending … war").
/// </summary>
internal sealed class TermMatcher
{
    /// <summary>How many words a "…" in a spelling stands for at most.</summary>
    public const int MaxGap = 3;

    private static readonly string[] GapMarks = ["…", "..."];
    private readonly Dictionary<string, List<(string[][] Segments, int Term)>> byFirstToken = new(StringComparer.Ordinal);

    /// <param name="terms">For each term, its spellings; a hit reports the term's index.</param>
    public TermMatcher(IReadOnlyList<IEnumerable<string>> terms)
    {
        Count = terms.Count;
        for (var t = 0; t < terms.Count; t++)
        {
            foreach (var spelling in terms[t])
            {
                var segments = spelling.Split(GapMarks, StringSplitOptions.None)
                    .Select(s => Tokenizer.Tokenize(s).ToArray())
                    .Where(s => s.Length > 0)
                    .ToArray();
                if (segments.Length == 0)
                {
                    continue;
                }

                if (!byFirstToken.TryGetValue(segments[0][0], out var list))
                {
                    list = [];
                    byFirstToken[segments[0][0]] = list;
                }

                list.Add((segments, t));
            }
        }
    }

    public int Count { get; }

    /// <summary>The indices of the terms found, each once, in order of first occurrence.</summary>
    public List<int> Match(List<string> tokens)
    {
        var found = new List<int>();
        foreach (var hit in Hits(tokens))
        {
            if (!found.Contains(hit.Term))
            {
                found.Add(hit.Term);
            }
        }

        return found;
    }

    /// <summary>Every occurrence, in token order; at one position the longest spelling of each term.</summary>
    public List<TermHit> Hits(List<string> tokens)
    {
        var hits = new List<TermHit>();
        if (byFirstToken.Count == 0)
        {
            return hits;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            if (!byFirstToken.TryGetValue(tokens[i], out var candidates))
            {
                continue;
            }

            var before = hits.Count;
            foreach (var (segments, term) in candidates)
            {
                var end = End(tokens, i, segments, 0);
                if (end < 0)
                {
                    continue;
                }

                var existing = -1;
                for (var k = before; k < hits.Count; k++)
                {
                    if (hits[k].Term == term)
                    {
                        existing = k;
                        break;
                    }
                }

                if (existing < 0)
                {
                    hits.Add(new TermHit(term, i, end - i));
                }
                else if (end - i > hits[existing].Length)
                {
                    hits[existing] = new TermHit(term, i, end - i);
                }
            }
        }

        return hits;
    }

    /// <summary>Where the spelling ends when its segment <paramref name="segment"/> starts at <paramref name="start"/>; -1 when it does not fit.</summary>
    private static int End(List<string> tokens, int start, string[][] segments, int segment)
    {
        if (!Follows(tokens, start, segments[segment]))
        {
            return -1;
        }

        var next = start + segments[segment].Length;
        if (segment + 1 == segments.Length)
        {
            return next;
        }

        for (var gap = 0; gap <= MaxGap && next + gap < tokens.Count; gap++)
        {
            var end = End(tokens, next + gap, segments, segment + 1);
            if (end >= 0)
            {
                return end;
            }
        }

        return -1;
    }

    private static bool Follows(List<string> tokens, int start, string[] words)
    {
        if (start + words.Length > tokens.Count)
        {
            return false;
        }

        for (var k = 0; k < words.Length; k++)
        {
            if (!string.Equals(tokens[start + k], words[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
