namespace Digest.Core.Classification;

/// <summary>
/// Splits text into lower-case word tokens once per item; the classifier and the clusterer both match on these.
/// Possessive 's is dropped and simple plurals are folded ("talks" → "talk"), so profile terms need fewer spellings.
/// </summary>
internal static class Tokenizer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is", "are", "was",
        "were", "be", "been", "it", "its", "that", "this", "these", "those", "after", "before", "over", "amid", "into", "about",
        "says", "say", "said", "will", "would", "could", "can", "may", "might", "has", "have", "had", "not", "no", "new", "up", "out",
        "than", "then", "his", "her", "their", "he", "she", "they", "we", "you", "who", "what", "why", "how", "when", "where", "live",
        "update", "news", "latest", "report", "more", "s", "u",
    };

    /// <summary>Function words and headline filler that say nothing about which event an item is about.</summary>
    public static bool IsStopWord(string token) => StopWords.Contains(token);

    public static List<string> Tokenize(string text, int maxTokens = int.MaxValue)
    {
        var tokens = new List<string>(24);
        Span<char> buffer = stackalloc char[64];
        var length = 0;
        for (var i = 0; i <= text.Length && tokens.Count < maxTokens; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (length < buffer.Length)
                {
                    buffer[length++] = char.ToLowerInvariant(c);
                }

                continue;
            }

            if (IsApostrophe(c) && length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                // "Trump's" → "trump"; "don't" → "dont".
                var possessive = (text[i + 1] is 's' or 'S') && (i + 2 >= text.Length || !char.IsLetterOrDigit(text[i + 2]));
                if (possessive)
                {
                    i++;
                }

                continue;
            }

            if (length > 0)
            {
                tokens.Add(Fold(buffer[..length]));
                length = 0;
            }
        }

        return tokens;
    }

    /// <summary>
    /// The shortest opening of <paramref name="text"/> that <see cref="Tokenize"/> reads for its first
    /// <paramref name="maxTokens"/> tokens: it ends with the character that closed the last of them, so tokenizing it
    /// gives exactly those tokens (an apostrophe looks at most one character past itself, never past a token's end).
    /// The whole text when it has fewer tokens.
    /// </summary>
    public static string Opening(string text, int maxTokens)
    {
        var tokens = 0;
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                length++;
                continue;
            }

            if (IsApostrophe(c) && length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                if ((text[i + 1] is 's' or 'S') && (i + 2 >= text.Length || !char.IsLetterOrDigit(text[i + 2])))
                {
                    i++;
                }

                continue;
            }

            if (length > 0 && ++tokens == maxTokens)
            {
                return i + 1 == text.Length ? text : text[..(i + 1)];
            }

            length = 0;
        }

        return text;
    }

    private static bool IsApostrophe(char c) => c is '\'' or '’' or '‘' or 'ʼ';

    /// <summary>The word with a simple plural folded, from the shared pool (the word's characters are overwritten).</summary>
    private static string Fold(Span<char> word)
    {
        if (word.Length > 4 && word.EndsWith("ies"))
        {
            word[^3] = 'y';
            return TokenPool.Shared.Get(word[..^2]);
        }

        if (word.Length > 3 && word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i'))
        {
            return TokenPool.Shared.Get(word[..^1]);
        }

        return TokenPool.Shared.Get(word);
    }
}
