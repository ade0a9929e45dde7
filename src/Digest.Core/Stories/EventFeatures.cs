using Digest.Core.Classification;

namespace Digest.Core.Stories;

/// <summary>What an item is, for the story clusterer: one document of the window to cluster.</summary>
/// <param name="ItemId">The item's id (a handle; never used to order).</param>
/// <param name="Key">The item's stable key (guid, canonical link or content hash): with <paramref name="Published"/> it orders documents, so fetch order never matters.</param>
/// <param name="Summary">The summary, or only its opening that the clusterer reads (<see cref="EventFeatureExtractor.SummaryLead"/>):
/// the process stage's window keeps that much of each item.</param>
/// <param name="Outlet">The feed or outlet; a trailing " - Outlet" is cut from the title.</param>
internal sealed record StoryDocument(long ItemId, string Key, string Title, string Summary, string? Outlet, DateTimeOffset Published)
{
    /// <summary>The order every clustering step follows: time, then key, then id.</summary>
    public static readonly IComparer<StoryDocument> Order = Comparer<StoryDocument>.Create((a, b) =>
    {
        var byTime = a.Published.CompareTo(b.Published);
        if (byTime != 0)
        {
            return byTime;
        }

        var byKey = string.CompareOrdinal(a.Key, b.Key);
        return byKey != 0 ? byKey : a.ItemId.CompareTo(b.ItemId);
    });
}

/// <summary>The kind of development a headline leads with; stories of different kinds stay apart.</summary>
internal enum Development
{
    None = 0,
    Talks,
    Plan,
    Strike,
    Leak,
    Visit,
    Personnel,
    Markets,
}

/// <summary>A word that may name who speaks in a headline.</summary>
/// <param name="Word">The word that must be a name in the window (or a collective such as "senators").</param>
/// <param name="Speaker">Who speaks: the name, a collective ("lawmakers"), or "envoy:putin" for "Putin aide says".</param>
/// <param name="TakesPart">A negotiator (a profile entity whose frame is talks) or someone's envoy: part of the talks, not a
/// bystander commenting on them.</param>
/// <param name="Named">Known to be a name without the window's help: a collective, someone's envoy, or the headline's
/// first word right before its verb ("Trump says…", which no capital can show).</param>
internal readonly record struct SpeakerCandidate(string Word, string Speaker, bool TakesPart, bool Named);

/// <summary>
/// An item's features for event clustering, computed once per item and cached: its content terms (proper nouns
/// weighted up), the venues it places an event at, the development it leads with, its figures, a near-copy signature
/// and, when an embedder is available, its sentence embedding.
/// </summary>
internal sealed class EventFeatures
{
    private StoryDocument document = null!;

    public required StoryDocument Document { get => document; init => document = value; }

    /// <summary>
    /// Points the features at an equal copy of their document (the same item read again from the store): the features
    /// are the same, and the window then keeps one copy of the item's title and summary, not two.
    /// </summary>
    internal void ShareDocument(StoryDocument equal) => document = equal;

    /// <summary>The title as read (outlet suffix cut): what the embedder and the titles see.</summary>
    public required string Text { get; init; }

    /// <summary>Venues named as where something happens ("talks in Geneva", "Abu Dhabi meeting"): profile venue indices.</summary>
    public required int[] Venues { get; init; }

    /// <summary>Venues only referred to ("after Moscow talks", "before Geneva"): a link, never a conflict.</summary>
    public required int[] VenueMentions { get; init; }

    /// <summary>The title's tokens (lower-case, folded, one spelling per name).</summary>
    public required List<string> TitleTokens { get; init; }

    /// <summary>The first words of the summary, as tokens.</summary>
    public required List<string> LeadTokens { get; init; }

    /// <summary>Names in this title: the profile's people, and words written with a capital inside a sentence-case
    /// headline. The clusterer treats a word as a name in every headline of the window once one headline shows it is.</summary>
    public required string[] Capitalised { get; init; }

    /// <summary>Figures that identify a thing ("28-point", "19-point", "25 killed").</summary>
    public required string[] Figures { get; init; }

    public required Development Lead { get; init; }

    /// <summary>The headline reports how talks went: progress, a breakthrough or none, an agreement.</summary>
    public required bool Outcome { get; init; }

    /// <summary>
    /// Who the headline's leading clause reports as speaking ("Putin insists…", "…, Rubio says", "US senators slam…"):
    /// the words before its first verb of saying, nearest first; the window decides which of them is a name.
    /// </summary>
    public required SpeakerCandidate[] SpeakerCandidates { get; init; }

    /// <summary>Distinct masked word shingles of title and lead, for near-copy detection, in <see cref="Shingle"/> order.</summary>
    public required Shingle[] Shingles { get; init; }

    /// <summary>Unit-length sentence embedding, or null when the clusterer runs without one.</summary>
    public float[]? Embedding { get; set; }

    private (string Word, double Weight)[]? termWords;
    private string[]? titleWords;

    /// <summary>
    /// The words of the clusterer's TF-IDF vector (no stop words, none shorter than two letters), each once, in the order
    /// they first appear in the title and then the lead, with their counts (1 per time in the title, 0.5 in the lead). The
    /// same for every window this item is in, so worked out once, when first asked; the window doubles a name's.
    /// </summary>
    internal (string Word, double Weight)[] TermWords => termWords ??= CountTermWords();

    /// <summary>The title's distinct words of <see cref="TermWords"/>.</summary>
    internal string[] TitleWords => titleWords ??= [.. TitleTokens.Where(IsTermWord).Distinct(StringComparer.Ordinal)];

    internal static bool IsTermWord(string token) => token.Length >= 2 && !Tokenizer.IsStopWord(token);

    private (string, double)[] CountTermWords()
    {
        var words = new List<(string Word, double Weight)>();
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (tokens, weight) in new[] { (TitleTokens, 1.0), (LeadTokens, 0.5) })
        {
            foreach (var token in tokens.Where(IsTermWord))
            {
                if (at.TryGetValue(token, out var k))
                {
                    words[k] = (token, words[k].Weight + weight);
                }
                else
                {
                    at[token] = words.Count;
                    words.Add((token, weight));
                }
            }
        }

        return [.. words];
    }
}

/// <summary>
/// Extracts <see cref="EventFeatures"/> from an item's text with the topic profile's venues and entities. Stateless
/// apart from its lexicons: the same text gives the same features.
/// </summary>
internal sealed class EventFeatureExtractor
{
    private const int LeadTokens = 40;

    /// <summary>Words before a venue that make it the place where something happens.</summary>
    private static readonly HashSet<string> Locative = new(StringComparer.Ordinal)
    {
        "in", "to", "at", "into", "visit", "visiting", "visited", "arrive", "arrived", "arrive", "arrives", "land", "lands",
        "head", "heads", "headed", "fly", "flies", "host", "hosts", "hosted", "hosting", "travel", "travels", "trip",
    };

    /// <summary>Words before a venue that make it a reference to another event ("after Moscow talks").</summary>
    private static readonly HashSet<string> Reference = new(StringComparer.Ordinal)
    {
        "after", "before", "since", "following", "ahead", "post", "than", "like", "from",
    };

    /// <summary>Words after a venue that make it the place of an event ("Geneva talks", "Abu Dhabi meeting").</summary>
    private static readonly HashSet<string> EventNouns = new(StringComparer.Ordinal)
    {
        "talk", "meeting", "meet", "summit", "round", "negotiation", "visit", "trip", "session", "discussion", "conference",
    };

    /// <summary>The development a headline leads with: the first of these cues in the title decides.</summary>
    private static readonly Dictionary<string, Development> Cues = new(StringComparer.Ordinal)
    {
        ["strike"] = Development.Strike, ["struck"] = Development.Strike, ["attack"] = Development.Strike,
        ["missile"] = Development.Strike, ["drone"] = Development.Strike, ["bombard"] = Development.Strike,
        ["bombardment"] = Development.Strike, ["pound"] = Development.Strike, ["pummel"] = Development.Strike,
        ["barrage"] = Development.Strike, ["assault"] = Development.Strike, ["shelling"] = Development.Strike,
        ["killed"] = Development.Strike, ["killing"] = Development.Strike, ["kill"] = Development.Strike,
        ["leak"] = Development.Leak, ["leaked"] = Development.Leak, ["recording"] = Development.Leak,
        ["transcript"] = Development.Leak, ["wiretap"] = Development.Leak,
        ["resign"] = Development.Personnel, ["resignation"] = Development.Personnel, ["fired"] = Development.Personnel,
        ["firing"] = Development.Personnel, ["dismiss"] = Development.Personnel, ["dismissed"] = Development.Personnel,
        ["sacked"] = Development.Personnel, ["quit"] = Development.Personnel, ["appoint"] = Development.Personnel,
        ["appointed"] = Development.Personnel,
        ["oil"] = Development.Markets, ["stock"] = Development.Markets, ["market"] = Development.Markets,
        ["price"] = Development.Markets, ["shares"] = Development.Markets, ["investor"] = Development.Markets,
        ["visit"] = Development.Visit, ["visiting"] = Development.Visit, ["trip"] = Development.Visit,
        ["talk"] = Development.Talks, ["meet"] = Development.Talks, ["meeting"] = Development.Talks,
        ["negotiation"] = Development.Talks, ["negotiator"] = Development.Talks, ["summit"] = Development.Talks,
        ["round"] = Development.Talks, ["delegation"] = Development.Talks, ["met"] = Development.Talks,
        ["plan"] = Development.Plan, ["proposal"] = Development.Plan, ["draft"] = Development.Plan,
        ["framework"] = Development.Plan, ["document"] = Development.Plan, ["blueprint"] = Development.Plan,
        ["counterproposal"] = Development.Plan,
    };

    /// <summary>Words (folded) that report how talks went.</summary>
    private static readonly HashSet<string> OutcomeWords = new(StringComparer.Ordinal)
    {
        "progress", "breakthrough", "productive", "constructive", "agree", "agreed", "agreement", "impasse", "stalemate",
        "deadlock", "stall", "stalled",
    };

    /// <summary>Capitalised words that are headline filler, not names.</summary>
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "live", "update", "updates", "exclusive", "scoop", "analysis", "opinion", "breaking", "watch", "video", "explainer",
        "i", "a", "the", "as", "in", "on", "but", "and", "what", "why", "how", "who", "here", "after", "before", "its",
    };

    private readonly TermMatcher venues;
    private readonly Dictionary<string, string> spellings = new(StringComparer.Ordinal);
    private readonly List<string> people;
    private readonly HashSet<string> negotiators = new(StringComparer.Ordinal);

    public EventFeatureExtractor(TopicProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        venues = TopicFeatures.Matcher(profile.Venues);
        // The people, places and bodies the profile names are names in every headline, Title Case or not; a
        // one-word alias that spells the same name (Zelenskyy, Zelenskiy) is folded into it.
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var person in profile.Entities)
        {
            var canonical = Tokenizer.Tokenize(person.Name).LastOrDefault();
            if (canonical is null)
            {
                continue;
            }

            names.Add(canonical);
            foreach (var alias in person.Aliases.Select(a => Tokenizer.Tokenize(a)).Where(t => t.Count == 1).Select(t => t[0]))
            {
                if (alias != canonical && alias.Length >= 5 && canonical.Length >= 5 && string.CompareOrdinal(alias, 0, canonical, 0, 5) == 0)
                {
                    spellings[alias] = canonical;
                }
            }
        }

        // Negotiators are the people the profile marks as marking talks (envoys, delegation heads).
        foreach (var negotiator in profile.Entities.Where(e => e.Frame == TopicFrames.Talks))
        {
            negotiators.UnionWith(Tokenizer.Tokenize(negotiator.Name).TakeLast(1));
        }

        people = [.. names]; // sorted: looked up by binary search
    }

    /// <summary>Names every window knows: the profile's people.</summary>
    public IReadOnlyList<string> People => people;

    /// <summary>
    /// The opening of a summary that <see cref="Extract"/> reads (its first 40 words): all a window's document needs to
    /// keep of it, the same features from it as from the whole summary. A farm item's summary is 3.7 KB; this, a few
    /// hundred characters.
    /// </summary>
    public static string SummaryLead(string summary) => Tokenizer.Opening(summary, LeadTokens);

    public EventFeatures Extract(StoryDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = TitleOf(document);
        var titleTokens = Canonical(Tokenizer.Tokenize(text));
        var leadTokens = document.Summary.Length > 0 ? Canonical(Tokenizer.Tokenize(document.Summary, LeadTokens)) : [];
        // A venue places the event only in the headline's leading clause: "Trump says offer not final as officials
        // meet in Geneva" is Trump's story, with Geneva as its backdrop.
        var leadClause = Canonical(Tokenizer.Tokenize(StoryTitles.Lead(text)));
        var (placed, mentioned) = FindVenues(leadClause);
        var (inTitle, referredTo) = FindVenues(titleTokens);
        mentioned = [.. mentioned.Concat(inTitle).Concat(referredTo).Except(placed).Distinct().Order()];
        var lead = LeadOf(titleTokens);
        if (lead is Development.Strike or Development.Leak or Development.Personnel or Development.Markets)
        {
            // "Missile strike on Kyiv as negotiators meet in Geneva" is a strike story: the venue is only its backdrop.
            mentioned = [.. mentioned.Concat(placed).Distinct().Order()];
            placed = [];
        }

        return new EventFeatures
        {
            Document = document,
            Text = text,
            TitleTokens = titleTokens,
            LeadTokens = leadTokens,
            Capitalised = [.. Canonical([.. ProperNouns(text)]).Concat(titleTokens.Where(t => people.BinarySearch(t, StringComparer.Ordinal) >= 0)).Distinct().Order(StringComparer.Ordinal)],
            Venues = placed,
            VenueMentions = mentioned,
            Figures = [.. Figures(titleTokens)],
            Lead = lead,
            Outcome = titleTokens.Any(OutcomeWords.Contains),
            SpeakerCandidates = SpeakerCandidatesOf(leadClause),
            Shingles = Shingles(titleTokens, leadTokens),
        };
    }

    private List<string> Canonical(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (spellings.TryGetValue(tokens[i], out var canonical))
            {
                tokens[i] = canonical;
            }
        }

        return tokens;
    }

    /// <summary>The headline without a trailing " - Outlet" (Google News style) and without "LIVE:"-style labels.</summary>
    public static string TitleOf(StoryDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var title = document.Title.Trim();
        if (document.Outlet is { Length: > 0 } outlet && title.EndsWith(" - " + outlet, StringComparison.OrdinalIgnoreCase))
        {
            title = title[..^(outlet.Length + 3)].TrimEnd();
        }

        return title;
    }

    /// <summary>
    /// Capitalised words that are not the first word, in a headline that is not in Title Case; in a Title Case headline
    /// nothing can be told from capitals, so only the profile's entities count as names there.
    /// </summary>
    private static HashSet<string> ProperNouns(string title)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var words = title.Split([' ', '\u00a0'], StringSplitOptions.RemoveEmptyEntries);
        var lettered = words.Where(w => w.Any(char.IsLetter)).ToList();
        var capitalised = lettered.Count(w => char.IsUpper(w.First(char.IsLetter)));
        if (lettered.Count == 0 || capitalised > 0.6 * lettered.Count)
        {
            return names;
        }

        for (var i = 1; i < words.Length; i++)
        {
            var word = words[i];
            var first = word.FirstOrDefault(char.IsLetter);
            var previous = words[i - 1];
            if (first == default || !char.IsUpper(first) || previous.EndsWith(':') || previous.EndsWith('.'))
            {
                continue;
            }

            foreach (var token in Tokenizer.Tokenize(word))
            {
                if (token.Length > 1 && !NotNames.Contains(token) && !Tokenizer.IsStopWord(token) && !char.IsDigit(token[0]))
                {
                    names.Add(token);
                }
            }
        }

        return names;
    }

    private (int[] Placed, int[] Mentioned) FindVenues(List<string> tokens)
    {
        var placed = new SortedSet<int>();
        var mentioned = new SortedSet<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            // The venue spelling that starts at token i ("abu dhabi", "new delhi", "geneva").
            List<int>? hits = null;
            var end = i;
            for (var k = i; k < Math.Min(tokens.Count, i + 3) && hits is null; k++)
            {
                var found = venues.Match(tokens.GetRange(i, k - i + 1));
                if (k > i)
                {
                    found.RemoveAll(venues.Match(tokens.GetRange(i + 1, k - i)).Contains);
                }

                if (found.Count > 0)
                {
                    hits = found;
                    end = k;
                }
            }

            if (hits is null)
            {
                continue;
            }

            var before = i > 0 ? tokens[i - 1] : "";
            var after = end + 1 < tokens.Count ? tokens[end + 1] : "";
            var isPlace = (Locative.Contains(before) || EventNouns.Contains(after)) && !Reference.Contains(before);
            foreach (var venue in hits)
            {
                (isPlace ? placed : mentioned).Add(venue);
            }

            i = end;
        }

        mentioned.ExceptWith(placed);
        return ([.. placed], [.. mentioned]);
    }

    private static IEnumerable<string> Figures(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (char.IsDigit(tokens[i][0]) && i + 1 < tokens.Count && tokens[i + 1] is "point")
            {
                yield return tokens[i] + "-point";
            }
        }
    }

    /// <summary>Verbs (folded) that make the words before them a speaker.</summary>
    private static readonly HashSet<string> Speech = new(StringComparer.Ordinal)
    {
        "say", "said", "warn", "warned", "insist", "urge", "accuse", "defend", "signal", "hail", "slam", "rip", "call",
        "tell", "told", "blast", "brushe", "back", "double", "threaten", "voice", "seek", "rule", "respond", "agree", "want",
        "break", "pushe", "claim", "vow", "reject", "demand", "dismisse", "praise", "criticise", "criticize", "admit", "deny",
    };

    /// <summary>Words after a name that make the speaker that person's envoy ("Putin aide says", "Trump envoy told").</summary>
    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal)
    {
        "envoy", "aide", "official", "administration", "negotiator", "adviser", "advisor", "delegation", "team", "spokesman", "spokeswoman", "spokesperson",
    };

    /// <summary>Collective speakers, folded into one name each ("US senators", "lawmakers", "Ukraine's allies").</summary>
    private static readonly Dictionary<string, string> Collectives = new(StringComparer.Ordinal)
    {
        ["senator"] = "lawmakers", ["lawmaker"] = "lawmakers", ["representative"] = "lawmakers", ["congress"] = "lawmakers",
        ["republican"] = "lawmakers", ["democrat"] = "lawmakers", ["rep"] = "lawmakers",
        ["europe"] = "europe", ["european"] = "europe", ["ally"] = "europe", ["eu"] = "europe",
    };

    /// <summary>Countries and capitals stand for a side, not for one speaker.</summary>
    private static readonly HashSet<string> NotSpeakers = new(StringComparer.Ordinal)
    {
        "ukraine", "ukrainian", "russia", "russian", "kyiv", "kiev", "moscow", "kremlin", "washington", "white", "house", "us",
        "america", "american", "china", "chinese", "nato", "west", "western", "official", "source", "report", "analyst", "expert",
    };

    private SpeakerCandidate[] SpeakerCandidatesOf(List<string> lead)
    {
        var verb = lead.FindIndex(Speech.Contains);
        if (verb <= 0)
        {
            return [];
        }

        var candidates = new List<SpeakerCandidate>();
        for (var j = verb - 1; j >= Math.Max(0, verb - 5); j--)
        {
            var word = lead[j];
            if (Collectives.TryGetValue(word, out var collective))
            {
                candidates.Add(new SpeakerCandidate(word, collective, false, Named: true));
            }
            else if (j + 1 < lead.Count && Roles.Contains(lead[j + 1]))
            {
                candidates.Add(new SpeakerCandidate(word, "envoy:" + word, true, Named: true));
            }
            else if (!NotSpeakers.Contains(word) && !Tokenizer.IsStopWord(word) && !char.IsDigit(word[0]))
            {
                candidates.Add(new SpeakerCandidate(word, word, negotiators.Contains(word), Named: j == 0 && verb == 1));
            }
        }

        return [.. candidates];
    }

    private static Development LeadOf(List<string> tokens)
    {
        foreach (var token in tokens)
        {
            if (Cues.TryGetValue(token, out var kind))
            {
                return kind;
            }
        }

        return Development.None;
    }

    private static Shingle[] Shingles(List<string> title, List<string> lead)
    {
        var words = title.Concat(lead).Where(t => !Tokenizer.IsStopWord(t)).Select(t => char.IsDigit(t[0]) ? "#" : t).ToList();
        var shingles = new Shingle[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            shingles[i] = new Shingle(words[i], i + 1 < words.Count ? words[i + 1] : null);
        }

        Array.Sort(shingles);
        var distinct = 0;
        for (var i = 0; i < shingles.Length; i++)
        {
            if (distinct == 0 || shingles[i] != shingles[distinct - 1])
            {
                shingles[distinct++] = shingles[i];
            }
        }

        return shingles[..distinct];
    }
}

/// <summary>
/// Two neighbouring words of an item's title and lead, or its last word alone. A pair of the words the item's token
/// lists hold already, not a string made of them: the window keeps some forty shingles for each of its items.
/// </summary>
internal readonly record struct Shingle(string First, string? Second) : IComparable<Shingle>
{
    public int CompareTo(Shingle other)
    {
        var byFirst = string.CompareOrdinal(First, other.First);
        return byFirst != 0 ? byFirst : string.CompareOrdinal(Second, other.Second);
    }
}
