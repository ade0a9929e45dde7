using System.Text.RegularExpressions;

namespace Digest.Core.Summarization;

/// <summary>
/// Finds who is speaking in a sentence: <c>"…," Peskov said</c>, <c>said Peskov</c>, <c>according to …</c>,
/// <c>X told …</c>, <c>X stated that …</c>. A surname alone is widened to the full name the text gives elsewhere
/// ("Peskov" → "Dmitry Peskov"); titles and nationalities in front of a name are dropped.
/// </summary>
internal static partial class Attribution
{
    private const string Verbs = "said|says|say|told|tells|stated|states|added|adds|warned|warns|cautioned|claimed|claims|insisted|insists|noted|notes|argued|argues|announced|announces|confirmed|confirms|denied|denies|wrote|writes|posted|tweeted|accused|accuses|stressed|stresses|explained|explains|declared|declares|acknowledged|admitted|asserted|replied|responded|urged|urges|called|calls|described|describes|predicted|suggested|believes|thinks|hopes|expects|emphasized|emphasised|reiterated|dismissed|rejected";

    // A name: capitalised words (any script), with an apostrophe, hyphen or a few particles inside.
    private const string Name = @"(?<!\p{L})(?<name>\p{Lu}[\p{L}'’\-\.]*(?:\s+(?:(?:de|van|von|der|al|bin|da|di|le|la)\s+)?\p{Lu}[\p{L}'’\-\.]*){0,5})";

    [GeneratedRegex(@"[,!?…]\s*[""”’»]\s*(?:" + Verbs + @")\s+" + Name, RegexOptions.CultureInvariant)]
    private static partial Regex QuoteThenVerbName();

    [GeneratedRegex(@"[,!?…]\s*[""”’»]\s*(?:the\s+)?(?<role>[\p{Ll}\s]{0,40}?)" + Name + @"\s+(?:has\s+|had\s+)?(?:" + Verbs + @")\b", RegexOptions.CultureInvariant)]
    private static partial Regex QuoteThenNameVerb();

    [GeneratedRegex(@"\baccording\s+to\s+(?:the\s+)?(?:[\p{L}\s]{0,60}?)" + Name + @"(?=\s*[,.;:!?)]|\s*$)", RegexOptions.CultureInvariant)]
    private static partial Regex AccordingTo();

    [GeneratedRegex(Name + @"\s*(?:,[^,]{1,60},\s*)?(?:has\s+|had\s+|also\s+|later\s+|on\s+\p{Lu}\p{Ll}+day\s+)?(?:" + Verbs + @")\b", RegexOptions.CultureInvariant)]
    private static partial Regex NameThenVerb();

    [GeneratedRegex(@"^(?:He|She)\s+(?:" + Verbs + @")\b|[""”]\s*,?\s*(?:he|she)\s+(?:" + Verbs + @")\b", RegexOptions.CultureInvariant)]
    private static partial Regex PronounSpeaks();

    /// <summary>Capitalised words that name a role, a place of origin or a body rather than a person, dropped from the front of a name.</summary>
    private static readonly HashSet<string> Titles = new(StringComparer.OrdinalIgnoreCase)
    {
        "president", "prime", "minister", "foreign", "defence", "defense", "secretary", "state", "chancellor", "senator", "sen", "rep",
        "representative", "gov", "governor", "mayor", "general", "gen", "adm", "admiral", "colonel", "col", "lt", "captain", "capt",
        "special", "envoy", "chief", "negotiator", "spokesman", "spokeswoman", "spokesperson", "press", "deputy", "vice", "ambassador",
        "commander", "chairman", "chairwoman", "chair", "director", "ceo", "executive", "officer", "leader", "speaker", "king", "queen",
        "prince", "pope", "judge", "justice", "dr", "mr", "mrs", "ms", "prof", "professor", "sir", "dame", "lord", "lady", "kremlin",
        "white", "house", "us", "u.s.", "uk", "u.k.", "eu", "un", "nato", "former", "top", "senior", "then", "national", "security",
        "adviser", "advisor", "aide", "coach", "manager", "boss", "head", "finance", "economy", "interior", "trade",
    };

    /// <summary>Sentence-initial capitals that are not speakers.</summary>
    private static readonly HashSet<string> NotSpeakers = new(StringComparer.OrdinalIgnoreCase)
    {
        "analysts", "officials", "experts", "critics", "sources", "police", "officers", "investigators", "reports", "witnesses",
        "residents", "doctors", "scientists", "researchers", "lawyers", "prosecutors", "observers", "it", "this", "that", "there",
        "they", "we", "he", "she", "i", "you", "but", "and", "the", "a", "an", "in", "on", "at", "however", "meanwhile", "also",
        "statement", "report", "reports", "data", "figures", "survey", "study", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "many", "some", "others", "both", "all", "one", "most",
    };

    /// <summary>The speaker of <paramref name="sentence"/>, or null; <paramref name="previousSpeaker"/> stands in for a he/she.</summary>
    public static string? SpeakerOf(string sentence, string document, string? previousSpeaker)
    {
        foreach (var pattern in new[] { QuoteThenVerbName(), QuoteThenNameVerb(), AccordingTo(), NameThenVerb() })
        {
            foreach (Match match in pattern.Matches(sentence))
            {
                if (Clean(match.Groups["name"].Value, document) is { } name)
                {
                    return name;
                }
            }
        }

        return previousSpeaker is not null && PronounSpeaks().IsMatch(sentence) ? previousSpeaker : null;
    }

    private static string? Clean(string raw, string document)
    {
        var parts = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(p => p.TrimEnd('.', '\'', '’')).ToList();
        for (var i = 0; i < parts.Count; i++)
        {
            // "Kremlin's", "Ukraine's": a possessive ends the phrase before the name (Kremlin's Dmitry Peskov).
            if (parts[i].EndsWith("'s", StringComparison.Ordinal) || parts[i].EndsWith("’s", StringComparison.Ordinal))
            {
                parts.RemoveRange(0, i + 1);
                i = -1;
            }
        }

        while (parts.Count > 0 && (Titles.Contains(parts[0]) || IsDemonym(parts[0])))
        {
            parts.RemoveAt(0);
        }

        if (parts.Count == 0 || parts.Count > 4 || NotSpeakers.Contains(parts[0]))
        {
            return null;
        }

        var name = string.Join(' ', parts);
        return parts.Count == 1 ? FullName(name, document) : name;
    }

    /// <summary>Adjectives of origin in front of a name: Ukrainian, Russian, American, European, British, French, Chinese.</summary>
    private static bool IsDemonym(string word) =>
        word.Length > 4 && (word.EndsWith("ian", StringComparison.Ordinal) || word.EndsWith("ean", StringComparison.Ordinal)
            || word.EndsWith("ese", StringComparison.Ordinal) || word.EndsWith("ish", StringComparison.Ordinal)
            || word.EndsWith("can", StringComparison.Ordinal) || word is "French" or "Dutch" or "Greek" or "Swiss" or "Thai");

    /// <summary>The longest "First Last" the document gives for a surname, or the surname itself.</summary>
    private static string FullName(string surname, string document)
    {
        var best = surname;
        var at = 0;
        while ((at = document.IndexOf(surname, at, StringComparison.Ordinal)) >= 0)
        {
            var end = at + surname.Length;
            var after = end >= document.Length || !char.IsLetter(document[end]);
            if (after && at > 1 && document[at - 1] == ' ')
            {
                var i = at - 1;
                var words = new List<string> { surname };
                while (i > 0 && words.Count < 3)
                {
                    var wordEnd = i;
                    var wordStart = wordEnd;
                    while (wordStart > 0 && (char.IsLetter(document[wordStart - 1]) || document[wordStart - 1] is '-' or '.'))
                    {
                        wordStart--;
                    }

                    var word = document[wordStart..wordEnd];
                    if (word.Length < 2 || !char.IsUpper(word[0]) || Titles.Contains(word.TrimEnd('.')) || IsDemonym(word) || NotSpeakers.Contains(word))
                    {
                        break;
                    }

                    words.Insert(0, word);
                    if (wordStart < 2 || document[wordStart - 1] != ' ')
                    {
                        break;
                    }

                    i = wordStart - 1;
                }

                if (words.Count > 1 && words.Count > best.Split(' ').Length)
                {
                    best = string.Join(' ', words);
                }
            }

            at = end;
        }

        return best;
    }
}
