namespace Digest.Storage;

/// <summary>
/// What a member types into <c>/search</c>: words (all required), "quoted phrases" (the words in that order), and
/// <c>OR</c> between alternatives (<c>Geneva OR Miami</c>; AND binds tighter). The last bare word is a prefix. Nothing
/// else reaches the engine: every word is quoted by the dialect, so no operator of its own can be typed.
/// </summary>
internal static class SearchSyntax
{
    /// <summary>A word or a phrase: its words in order, and whether the last one is a prefix.</summary>
    public sealed record Term(IReadOnlyList<string> Words, bool Prefix);

    private static readonly char[] Separators = [' ', '\t', '\n', '\r', '\'', '(', ')', '*', ':', '^', '-', '+', ',', '.', ';', '!', '?', '{', '}', '[', ']', '&', '|', '<', '>', '\\', '"'];

    /// <summary>Alternatives (joined by OR), each a list of terms that must all match. Empty when there is nothing to look for.</summary>
    public static IReadOnlyList<IReadOnlyList<Term>> Parse(string query)
    {
        var alternatives = new List<List<Term>> { new() };
        var tokens = new List<(string Text, bool Quoted)>();
        var parts = query.Split('"');
        for (var i = 0; i < parts.Length; i++)
        {
            // Odd parts are inside quotes; an unclosed quote runs to the end of the query.
            if (i % 2 == 1)
            {
                tokens.Add((parts[i], true));
            }
            else
            {
                tokens.AddRange(parts[i].Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(w => (w, false)));
            }
        }

        var lastBare = tokens.FindLastIndex(t => !t.Quoted && t.Text != "OR");
        for (var i = 0; i < tokens.Count; i++)
        {
            var (text, quoted) = tokens[i];
            if (!quoted && text == "OR")
            {
                if (alternatives[^1].Count > 0)
                {
                    alternatives.Add([]);
                }

                continue;
            }

            var words = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0)
            {
                alternatives[^1].Add(new Term(words, !quoted && i == lastBare && i == tokens.Count - 1));
            }
        }

        return alternatives.Where(a => a.Count > 0).ToList();
    }
}
