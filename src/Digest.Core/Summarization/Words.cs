using Digest.Core.Classification;

namespace Digest.Core.Summarization;

/// <summary>Lower-cased word tokens (letters and digits of any script) and the English function words that carry no topic.</summary>
internal static class Words
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "was", "were",
        "be", "been", "being", "are", "it", "its", "it's", "this", "that", "these", "those", "he", "she", "they", "we", "you", "i", "his",
        "her", "their", "our", "your", "my", "me", "him", "them", "us", "not", "no", "so", "than", "then", "there", "here", "which", "who",
        "whom", "whose", "what", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such",
        "only", "own", "same", "too", "very", "can", "will", "just", "should", "would", "could", "may", "might", "must", "do", "does", "did",
        "has", "have", "had", "having", "also", "about", "into", "over", "after", "before", "under", "again", "further", "once", "up", "down",
        "out", "off", "said", "says", "say", "mr", "mrs", "ms",
    };

    /// <summary>All word tokens, lower-cased; an apostrophe inside a word stays (don't, Kremlin's → kremlin's).</summary>
    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        Span<char> lower = stackalloc char[TokenPool.MaxLength];
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || IsInnerJoiner(text, i) || IsDigitGroup(text, i)))
            {
                i++;
            }

            var word = text.AsSpan(start, i - start);
            tokens.Add(word.Length <= lower.Length && word.ToLowerInvariant(lower) == word.Length
                ? TokenPool.Shared.Get(lower[..word.Length])
                : word.ToString().ToLowerInvariant());
        }

        return tokens;
    }

    /// <summary>Tokens that carry content: no function words, no single letters.</summary>
    public static List<string> ContentTokens(string text)
    {
        var tokens = Tokens(text);
        tokens.RemoveAll(t => t.Length < 2 || StopWords.Contains(t));
        return tokens;
    }

    /// <summary>1,300 and 3.5 are one token.</summary>
    private static bool IsDigitGroup(string text, int i) =>
        text[i] is ',' or '.' && i > 0 && char.IsDigit(text[i - 1]) && i + 1 < text.Length && char.IsDigit(text[i + 1]);

    private static bool IsInnerJoiner(string text, int i) =>
        text[i] is '\'' or '’' && i + 1 < text.Length && char.IsLetter(text[i + 1]) && i > 0 && char.IsLetter(text[i - 1]);
}
