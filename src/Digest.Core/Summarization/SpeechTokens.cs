using Digest.Core.Items;

namespace Digest.Core.Summarization;

internal enum TokenKind
{
    Word,
    Comma,
    Colon,
    Semicolon,
    Dash,
    OpenParen,
    CloseParen,
    Quote,
    Stop,
    Possessive,
    Other,
}

/// <summary>A word or mark of a sentence; <see cref="Quoted"/> when it lies inside quotation marks.</summary>
internal readonly record struct Token(string Text, TokenKind Kind, bool Quoted)
{
    public bool IsWord => Kind == TokenKind.Word;

    public bool IsCapitalized => Kind == TokenKind.Word && char.IsUpper(Text[0]);

    public bool Is(string lower) => Kind == TokenKind.Word && string.Equals(Text, lower, StringComparison.OrdinalIgnoreCase);

    public string Lower { get; } = Text.ToLowerInvariant();
}

/// <summary>A sentence as tokens, with where its quotation marks leave it: quotes may run on across sentences.</summary>
internal sealed class TokenizedSentence
{
    public required string Text { get; init; }

    public required IReadOnlyList<Token> Tokens { get; init; }

    /// <summary>The sentence opens with a quotation mark.</summary>
    public bool OpensWithQuote { get; init; }

    /// <summary>The sentence begins inside a quotation opened in an earlier sentence.</summary>
    public bool BeginsInsideQuote { get; init; }

    /// <summary>A quotation is still open at the end of the sentence.</summary>
    public bool EndsInsideQuote { get; init; }

    public bool HasQuotation => Tokens.Any(t => t.Quoted);

    /// <summary>Every word of the sentence is inside quotation marks.</summary>
    public bool AllQuoted => Tokens.Where(t => t.IsWord).All(t => t.Quoted) && Tokens.Any(t => t.IsWord);
}

/// <summary>
/// Splits one sentence into words and marks, tracking quotation marks (straight, curly and guillemets) and whether
/// each word is inside a quotation. A quotation left open runs on into the next sentence, as in news prose where a
/// quoted paragraph continues; a sentence that opens with a quotation mark always opens a quotation.
/// </summary>
internal static class SpeechTokens
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "gen", "sen", "rep", "gov", "lt", "col", "sgt",
        "capt", "rev", "hon", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s",
        "u.k", "u.n", "e.g", "i.e", "adm", "cmdr", "maj", "bros", "dept", "est", "approx",
    };

    public static TokenizedSentence Tokenize(string text, bool beginsInsideQuote)
    {
        text = Mojibake.Repair(text);
        var tokens = new List<Token>();
        var first = 0;
        while (first < text.Length && char.IsWhiteSpace(text[first]))
        {
            first++;
        }

        var opensWithQuote = first < text.Length && IsQuoteMark(text[first]);
        var inQuote = beginsInsideQuote && !opensWithQuote;
        var i = first;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (IsQuoteMark(c))
            {
                bool open = c is '“' or '«' or '„' || (c is not ('”' or '»') && (i == first || !inQuote));
                var rest = OnlyPunctuationAfter(text, i + 1);
                if ((open && rest) || (!open && !inQuote))
                {
                    i++; // a stray mark: an opening one with nothing after it, or a closing one with nothing open
                    continue;
                }

                inQuote = open;
                tokens.Add(new Token(c.ToString(), TokenKind.Quote, false));
                i++;
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                i = ReadWord(text, i, inQuote, tokens);
                continue;
            }

            var kind = c switch
            {
                ',' => TokenKind.Comma,
                ':' => TokenKind.Colon,
                ';' => TokenKind.Semicolon,
                '(' or '[' => TokenKind.OpenParen,
                ')' or ']' => TokenKind.CloseParen,
                '—' or '–' => TokenKind.Dash,
                '-' when i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1]) => TokenKind.Dash,
                '.' or '!' or '?' or '…' => TokenKind.Stop,
                '&' => TokenKind.Word, // "Rob Kent & Partners": a word of the name it joins
                _ => TokenKind.Other,
            };
            if (c is '\'' or '’' or '‘')
            {
                i++; // a single quotation mark around a phrase ('laughable') carries no attribution
                continue;
            }

            tokens.Add(new Token(c.ToString(), kind, inQuote));
            i++;
        }

        return new TokenizedSentence
        {
            Text = text,
            Tokens = tokens,
            OpensWithQuote = opensWithQuote,
            BeginsInsideQuote = beginsInsideQuote && !opensWithQuote,
            EndsInsideQuote = inQuote,
        };
    }

    private static int ReadWord(string text, int start, bool quoted, List<Token> tokens)
    {
        var j = start;
        while (j < text.Length)
        {
            var c = text[j];
            if (char.IsLetterOrDigit(c))
            {
                j++;
                continue;
            }

            var next = j + 1 < text.Length ? text[j + 1] : '\0';
            if (c is '\'' or '’')
            {
                if ((next is 's' or 'S') && (j + 2 >= text.Length || !char.IsLetter(text[j + 2])) && j > start)
                {
                    tokens.Add(new Token(text[start..j], TokenKind.Word, quoted));
                    tokens.Add(new Token("'s", TokenKind.Possessive, quoted));
                    return j + 2;
                }

                if (char.IsLetter(next) && char.IsLetter(text[j - 1]))
                {
                    j++; // O'Sullivan, don't
                    continue;
                }

                if (text[j - 1] is 's' && (next == ' ') && j + 2 < text.Length && char.IsLetter(text[j + 2]))
                {
                    tokens.Add(new Token(text[start..j], TokenKind.Word, quoted));
                    tokens.Add(new Token("'", TokenKind.Possessive, quoted)); // Kenteris' lawyer
                    return j + 1;
                }

                break;
            }

            if (c is '-' or '&' && char.IsLetterOrDigit(next))
            {
                j++;
                continue;
            }

            // "In-Stat/MDR", "AC/DC": a slash between capitals is inside one name ("his/her" stays two words).
            if (c == '/' && char.IsUpper(text[start]) && char.IsUpper(next))
            {
                j++;
                continue;
            }

            if (c is ',' or '.' && char.IsDigit(text[j - 1]) && char.IsDigit(next))
            {
                j++;
                continue;
            }

            if (c == '.' && char.IsLetter(next))
            {
                j++; // U.S, e.g
                continue;
            }

            if (c == '.' && IsAbbreviation(text[start..j]) && !OnlyPunctuationAfter(text, j + 1))
            {
                tokens.Add(new Token(text[start..j], TokenKind.Word, quoted));
                return j + 1;
            }

            break;
        }

        tokens.Add(new Token(text[start..j], TokenKind.Word, quoted));
        return j;
    }

    private static bool IsAbbreviation(string word) => Abbreviations.Contains(word) || (word.Length == 1 && char.IsUpper(word[0]));

    public static bool IsQuoteMark(char c) => c is '"' or '“' or '”' or '«' or '»' or '„';

    private static bool OnlyPunctuationAfter(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (char.IsLetterOrDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The proper names in tokens[from..to): runs of capitalised words, joined by "of"/"for" after a title or a body's
    /// word (Bank of America, Secretary of State), by "and" inside a one-word start (Food and Agriculture Organisation),
    /// and by name particles (van den, de). A possessive ends a run. Sentence-opening words are not names.
    /// </summary>
    public static List<(int Start, int End)> NameRuns(IReadOnlyList<Token> tokens, int from, int to)
    {
        var runs = new List<(int, int)>();
        var i = from;
        while (i < to)
        {
            if (!IsNameWord(tokens, i))
            {
                i++;
                continue;
            }

            var start = i;
            var end = i + 1;
            while (end < to)
            {
                if (IsNameWord(tokens, end))
                {
                    end++;
                    continue;
                }

                var t = tokens[end];
                if (!t.IsWord || end + 1 >= to)
                {
                    break;
                }

                var lower = t.Lower;
                if (lower is "van" or "von" or "de" or "der" or "den" or "da" or "di" or "du" or "del" or "la" or "le" or "al" or "bin" or "ben" or "dos" or "das" or "ter"
                    && char.IsUpper(t.Text[0]) is false && IsNameWord(tokens, end + 1) && end > start)
                {
                    end++;
                    continue;
                }

                var chained = Enumerable.Range(start, end - start).Any(x => tokens[x].Lower is "of" or "for");
                if (lower is "of" or "for" && (chained || NewsLexicon.BodyHeads.Contains(tokens[end - 1].Text) || NewsLexicon.Titles.Contains(tokens[end - 1].Text)))
                {
                    var k = end + 1;
                    if (k < to && tokens[k].Is("the"))
                    {
                        k++;
                    }

                    if (k < to && IsNameWord(tokens, k))
                    {
                        end = k + 1;
                        continue;
                    }
                }

                // "the Hume of Garran Institute", "the Value in Policy Unit": one word, then a preposition and capitalised words
                // running on to a body's head noun, are one name (a person "of Leeds University" is written after a title or in full);
                // "in" so joins a longer run too ("the Interactive Media in Retail Group"), as nobody is "in" a body with no "the".
                if (lower is "of" or "in" or "for" or "on" && (end - start == 1 || lower is "in") && !NewsLexicon.Titles.Contains(tokens[start].Text) && !TitleBefore(tokens, start)
                    && RunsOnToBodyHead(tokens, end + 1, to) is var head && head > end + 1)
                {
                    end = head;
                    continue;
                }

                // "Committee to Protect Journalists", "Campaign to Protect Rural England": a body's name that goes on after "to".
                if (lower is "to" && NewsLexicon.BodyHeads.Contains(tokens[end - 1].Text) && end + 2 < to && IsNameWord(tokens, end + 1) && IsNameWord(tokens, end + 2))
                {
                    end += 2;
                    continue;
                }

                // "Marks and Spencer"; "&" joins a name of any length ("Rob Kent & Partners"), as prose never lists people with it.
                // A body's name already closed by its head noun ends before "and": "the Harbour Commission and National
                // Union of Students" are two.
                var closedBody = end - start > 1 && NewsLexicon.BodyHeads.Contains(tokens[end - 1].Text);
                if ((lower is "&" || (lower is "and" && !closedBody && (end - start == 1 || chained || EndsAsBodyAfter(tokens, end, to, start)) && !EndsARemit(tokens, end - 1))) && IsNameWord(tokens, end + 1) && !tokens[end + 1].Is("the"))
                {
                    end++;
                    continue;
                }

                break;
            }

            // "Minister for Schools, Colleges and Families Sarah Dunn": the word after "and" ends the office's remit, not the name.
            if (end - start >= 3 && start > 1 && tokens[start - 1].Is("and") && EndsARemit(tokens, start - 2))
            {
                start++;
            }

            runs.Add((start, end));
            i = end;
        }

        return runs;
    }

    /// <summary>
    /// "the Pew Internet and American Life Project": the capitalised words after "and" run on to a body's head noun, and
    /// those before it do not end in one ("Barclays Bank and Lloyds Bank" are two).
    /// </summary>
    private static bool EndsAsBodyAfter(IReadOnlyList<Token> tokens, int and, int to, int start)
    {
        if (NewsLexicon.BodyHeads.Contains(tokens[and - 1].Text))
        {
            return false;
        }

        var end = and + 1;
        while (end < to && IsNameWord(tokens, end))
        {
            end++;
        }

        return end - and > 2 && NewsLexicon.BodyHeads.Contains(tokens[end - 1].Text) && and - start >= 2;
    }

    /// <summary>The end of the capitalised words from <paramref name="from"/> when the last is an institution's head noun ("… Institute", "… Unit"), else <paramref name="from"/>.</summary>
    private static int RunsOnToBodyHead(IReadOnlyList<Token> tokens, int from, int to)
    {
        var end = from;
        while (end < to && IsNameWord(tokens, end))
        {
            end++;
        }

        return end > from && SpokenForHeads.Contains(tokens[end - 1].Text) ? end : from;
    }

    /// <summary>Heads of bodies that speak through reports and spokespeople; not "University", "College", after which "of" names a person's post.</summary>
    private static readonly HashSet<string> SpokenForHeads = new(StringComparer.OrdinalIgnoreCase)
    {
        "institute", "unit", "council", "office", "agency", "authority", "commission", "committee", "foundation", "trust", "society",
        "association", "federation", "bureau", "board", "centre", "center", "forum", "network", "alliance", "campaign", "fund", "group",
    };

    /// <summary>Capitalised words and commas back from <paramref name="last"/> to "for" or "of" after a title: "Minister for Schools, Colleges".</summary>
    private static bool EndsARemit(IReadOnlyList<Token> tokens, int last)
    {
        var k = last;
        while (k > 0 && (IsNameWord(tokens, k) || tokens[k].Kind == TokenKind.Comma))
        {
            k--;
        }

        return k > 0 && k < last && tokens[k].Lower is "for" or "of" && NewsLexicon.Titles.Contains(tokens[k - 1].Text);
    }

    private static bool TitleBefore(IReadOnlyList<Token> tokens, int start) =>
        start > 0 && tokens[start - 1].IsWord && NewsLexicon.Titles.Contains(tokens[start - 1].Text);

    private static readonly HashSet<string> Calendar = new(StringComparer.OrdinalIgnoreCase)
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "july",
        "september", "october", "november", "december", "christmas", "easter",
    };

    /// <summary>A capitalised word that can be part of a name: not a sentence opener, not a weekday or month, not "I".</summary>
    public static bool IsNameWord(IReadOnlyList<Token> tokens, int i)
    {
        var t = tokens[i];
        if (!t.IsCapitalized || t.Text is "I" or "Please" || Calendar.Contains(t.Text) || char.IsDigit(t.Text[0]))
        {
            return false;
        }

        if (t.Text.Split('-').Skip(1).Any(p => p.Length > 0 && char.IsLower(p[0])))
        {
            return false; // "Oslo-based", "Oscar-nominated", "Off-colour": an adjective, not a name
        }

        if (t.Text is "May" or "June" or "April" or "August" && (i + 1 < tokens.Count && char.IsDigit(tokens[i + 1].Text[0]) || i > 0 && tokens[i - 1].IsWord && (char.IsDigit(tokens[i - 1].Text[0]) || tokens[i - 1].Lower is "in" or "since" or "until" or "last" or "next" or "early" or "late" or "mid" or "of")))
        {
            return false;
        }

        var opensClause = i == 0 || tokens[i - 1].Kind is TokenKind.Quote or TokenKind.Colon or TokenKind.Semicolon or TokenKind.Dash or TokenKind.Stop or TokenKind.OpenParen;
        return !(opensClause || (i > 0 && tokens[i - 1].Kind == TokenKind.Comma)) || !NewsLexicon.NotNames.Contains(t.Text);
    }
}
