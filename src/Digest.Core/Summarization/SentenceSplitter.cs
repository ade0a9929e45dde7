using System.Text;

namespace Digest.Core.Summarization;

/// <summary>
/// Splits news prose into sentences. A full stop ends a sentence only when the next word can start one, and not after
/// a title (Mr.), an initial (John F. Kennedy), a dotted acronym before a name (U.S. President) or a month before a
/// day (Dec. 5). A quotation that closes later in the paragraph is kept whole, so <c>"A. B," Peskov said.</c> stays
/// one line with its speaker. Line breaks are paragraph ends. Letters of any script pass through untouched.
/// </summary>
internal static class SentenceSplitter
{
    private static readonly HashSet<string> Titles = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep", "st", "jr", "sr",
        "rev", "hon", "pres", "messrs", "mt", "ft", "no", "nos", "vs", "v", "approx", "est", "dept", "fig", "inc", "ltd", "corp", "co", "bros",
        "etc", "al", "cf", "ca", "vol", "pp", "ed", "eds",
    };

    private static readonly HashSet<string> Months = new(StringComparer.OrdinalIgnoreCase)
    {
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    };

    /// <summary>Words that begin a new sentence after an ambiguous stop such as "U.S." or "Inc.".</summary>
    private static readonly HashSet<string> Openers = new(StringComparer.Ordinal)
    {
        "The", "A", "An", "It", "Its", "He", "She", "They", "We", "I", "You", "But", "And", "In", "On", "At", "This", "That", "These",
        "Those", "There", "His", "Her", "Their", "Our", "However", "Meanwhile", "Yet", "So", "Still", "Now", "Then", "As", "If", "When",
    };

    public static List<string> Split(string text) => SplitParagraphs(text).Sentences;

    /// <summary>The sentences, and which of them open a paragraph (journalists put a paragraph's point first).</summary>
    public static (List<string> Sentences, List<bool> OpensParagraph) SplitParagraphs(string text)
    {
        var sentences = new List<string>();
        var opens = new List<bool>();
        foreach (var paragraph in text.Split('\n'))
        {
            var before = sentences.Count;
            SplitParagraph(paragraph.Trim(), sentences);
            for (var i = before; i < sentences.Count; i++)
            {
                opens.Add(i == before);
            }
        }

        return (sentences, opens);
    }

    private static void SplitParagraph(string p, List<string> sentences)
    {
        var start = 0;
        var openQuote = -1; // index of an opening quotation mark whose closing mark lies ahead
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (IsOpeningQuote(p, i) && openQuote < 0)
            {
                if (ClosingQuoteAt(p, i) > 0)
                {
                    openQuote = i;
                }

                continue;
            }

            if (openQuote >= 0 && IsClosingQuote(p, i, openQuote))
            {
                openQuote = -1;
                if (i > 0 && p[i - 1] is '.' or '!' or '?' or '…' && EndsHere(p, start, i + 1, i - 1))
                {
                    start = Emit(p, start, i + 1, sentences);
                }

                continue;
            }

            if (openQuote >= 0 || c is not ('.' or '!' or '?' or '…'))
            {
                continue;
            }

            var end = i + 1;
            while (end < p.Length && p[end] is '.' or '!' or '?' or '…')
            {
                end++;
            }

            while (end < p.Length && p[end] is ')' or ']' or '"' or '”' or '’' or '»' or '\'')
            {
                end++;
            }

            if (EndsHere(p, start, end, i))
            {
                start = Emit(p, start, end, sentences);
            }

            i = end - 1;
        }

        Emit(p, start, p.Length, sentences);
    }

    private static int Emit(string p, int start, int end, List<string> sentences)
    {
        var sentence = p[start..end].Trim();
        if (sentence.Length > 0)
        {
            sentences.Add(sentence);
        }

        return end;
    }

    /// <summary>Whether the stop at <paramref name="stop"/> (the run of marks and closers ending at <paramref name="end"/>) ends a sentence.</summary>
    private static bool EndsHere(string p, int start, int end, int stop)
    {
        if (end >= p.Length)
        {
            return true;
        }

        if (!char.IsWhiteSpace(p[end]))
        {
            return false; // 3.5, example.com, "U.S.-led"
        }

        var next = end;
        while (next < p.Length && char.IsWhiteSpace(p[next]))
        {
            next++;
        }

        if (next >= p.Length)
        {
            return true;
        }

        var first = p[next];
        var nextWord = WordAt(p, next);
        var startsSentence = char.IsUpper(first) || char.IsDigit(first) || first is '"' or '“' or '«' or '\'' or '‘' or '(' or '[';
        if (!startsSentence)
        {
            return false; // an ellipsis inside a sentence, "approx. three"
        }

        if (p[stop] != '.')
        {
            return true;
        }

        if (stop + 1 < p.Length && p[stop + 1] == '.' || stop > 0 && p[stop - 1] == '.')
        {
            return true; // an ellipsis before a capital
        }

        var word = WordBefore(p, start, stop);
        if (word.Length == 0)
        {
            return true;
        }

        if (IsDottedAcronym(p, start, stop))
        {
            return Openers.Contains(nextWord); // "the U.S. The talks" ends; "U.S. President" does not
        }

        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return false; // an initial: John F. Kennedy, J. K. Rowling, В. Путин
        }

        if (Titles.Contains(word))
        {
            return word.Equals("no", StringComparison.OrdinalIgnoreCase) ? !char.IsDigit(first) : Openers.Contains(nextWord);
        }

        if (Months.Contains(word))
        {
            return !char.IsDigit(first);
        }

        return true;
    }

    private static string WordBefore(string p, int start, int stop)
    {
        var i = stop;
        while (i > start && char.IsLetter(p[i - 1]))
        {
            i--;
        }

        return p[i..stop];
    }

    private static string WordAt(string p, int index)
    {
        var i = index;
        while (i < p.Length && char.IsLetter(p[i]))
        {
            i++;
        }

        return p[index..i];
    }

    /// <summary>U.S., U.K., D.C., e.g., i.e.: single letters each followed by a stop.</summary>
    private static bool IsDottedAcronym(string p, int start, int stop)
    {
        return stop - 3 >= start && p[stop - 2] == '.' && char.IsLetter(p[stop - 1]) && char.IsLetter(p[stop - 3])
            && (stop - 4 < start || !char.IsLetter(p[stop - 4]));
    }

    private static bool IsOpeningQuote(string p, int i) => p[i] switch
    {
        '“' or '«' => true,
        '"' => i == 0 || char.IsWhiteSpace(p[i - 1]) || p[i - 1] is '(' or '[' or '—' or '–' or ':',
        _ => false,
    };

    private static bool IsClosingQuote(string p, int i, int open) => p[open] switch
    {
        '“' => p[i] is '”' or '"',
        '«' => p[i] == '»',
        _ => p[i] is '"' or '”',
    };

    /// <summary>Where the quotation opened at <paramref name="open"/> closes, within the paragraph and a sane length, or -1.</summary>
    private static int ClosingQuoteAt(string p, int open)
    {
        var limit = Math.Min(p.Length, open + 600);
        for (var i = open + 1; i < limit; i++)
        {
            if (IsClosingQuote(p, i, open) && !(p[open] == '"' && IsOpeningQuote(p, i)))
            {
                return i;
            }
        }

        return -1;
    }
}
