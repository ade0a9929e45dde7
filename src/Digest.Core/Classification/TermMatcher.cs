namespace Digest.Core.Classification;

/// <summary>
/// Finds which of a set of terms occur in a token sequence: each spelling is tokenized once and indexed by its first
/// token, so matching an item costs one dictionary look-up per token instead of a regex per term.
/// </summary>
internal sealed class TermMatcher
{
    private readonly Dictionary<string, List<(string[] Tail, int Term)>> byFirstToken = new(StringComparer.Ordinal);

    /// <param name="terms">For each term, its spellings; a hit reports the term's index.</param>
    public TermMatcher(IReadOnlyList<IEnumerable<string>> terms)
    {
        Count = terms.Count;
        for (var t = 0; t < terms.Count; t++)
        {
            foreach (var spelling in terms[t])
            {
                var tokens = Tokenizer.Tokenize(spelling);
                if (tokens.Count == 0)
                {
                    continue;
                }

                if (!byFirstToken.TryGetValue(tokens[0], out var list))
                {
                    list = [];
                    byFirstToken[tokens[0]] = list;
                }

                list.Add(([.. tokens.Skip(1)], t));
            }
        }
    }

    public int Count { get; }

    /// <summary>The indices of the terms found, each once, in order of first occurrence.</summary>
    public List<int> Match(List<string> tokens)
    {
        var found = new List<int>();
        if (byFirstToken.Count == 0)
        {
            return found;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            if (!byFirstToken.TryGetValue(tokens[i], out var candidates))
            {
                continue;
            }

            foreach (var (tail, term) in candidates)
            {
                if (!found.Contains(term) && Follows(tokens, i + 1, tail))
                {
                    found.Add(term);
                }
            }
        }

        return found;
    }

    private static bool Follows(List<string> tokens, int start, string[] rest)
    {
        if (start + rest.Length > tokens.Count)
        {
            return false;
        }

        for (var k = 0; k < rest.Length; k++)
        {
            if (!string.Equals(tokens[start + k], rest[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
