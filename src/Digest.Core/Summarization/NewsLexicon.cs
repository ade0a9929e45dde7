namespace Digest.Core.Summarization;

/// <summary>
/// The closed word classes attribution reads news English with: reporting verbs and how they take a complement,
/// titles that stand before a name, nouns that name a role, a body or a document, and function words. They are
/// general classes of the language of news reports, not a list of the names any article mentions.
/// </summary>
internal static class NewsLexicon
{
    /// <summary>How a reporting verb must be followed before it counts as reporting speech.</summary>
    internal enum Complement
    {
        /// <summary>Any continuation: said, told, insisted.</summary>
        Any,

        /// <summary>Not a figure or a determiner: "added that…" but not "added 5,000 jobs"; "conceded there were…" but not "conceded a goal".</summary>
        Clause,

        /// <summary>Only with a quotation after it, or the preposition of a speech act: "called for…", "described it as…".</summary>
        Marked,
    }

    private static readonly (string[] Forms, Complement Complement)[] VerbTable =
    [
        (["say", "says", "said", "saying"], Complement.Any),
        (["tell", "tells", "told", "telling"], Complement.Any),
        (["state", "states", "stated"], Complement.Clause),
        (["claim", "claims", "claimed", "claiming"], Complement.Any),
        (["insist", "insists", "insisted", "insisting"], Complement.Any),
        (["argue", "argues", "argued", "arguing"], Complement.Any),
        (["warn", "warns", "warned", "warning"], Complement.Any),
        (["stress", "stresses", "stressed", "stressing"], Complement.Any),
        (["explain", "explains", "explained", "explaining"], Complement.Any),
        (["declare", "declares", "declared", "declaring"], Complement.Clause),
        (["assert", "asserts", "asserted", "asserting"], Complement.Any),
        (["reply", "replies", "replied", "replying"], Complement.Any),
        (["respond", "responds", "responded"], Complement.Clause),
        (["urge", "urges", "urged", "urging"], Complement.Any),
        (["suggest", "suggests", "suggested", "suggesting"], Complement.Clause),
        (["predict", "predicts", "predicted", "predicting"], Complement.Any),
        (["believe", "believes", "believed", "believing"], Complement.Any),
        (["think", "thinks", "thought"], Complement.Clause),
        (["reckon", "reckons", "reckoned"], Complement.Any),
        (["feel", "feels", "felt"], Complement.Clause),
        (["fear", "fears", "feared"], Complement.Clause),
        (["hope", "hopes", "hoped", "hoping"], Complement.Clause),
        (["expect", "expects", "expected", "expecting"], Complement.Clause),
        (["acknowledge", "acknowledges", "acknowledged", "acknowledging"], Complement.Any),
        (["admit", "admits", "admitted", "admitting"], Complement.Any),
        (["concede", "concedes", "conceded", "conceding"], Complement.Clause),
        (["announce", "announces", "announced", "announcing"], Complement.Clause),
        (["confirm", "confirms", "confirmed", "confirming"], Complement.Any),
        (["deny", "denies", "denied", "denying"], Complement.Any),
        (["reveal", "reveals", "revealed", "revealing"], Complement.Any),
        (["disclose", "discloses", "disclosed", "disclosing"], Complement.Any),
        (["recall", "recalls", "recalled"], Complement.Clause),
        (["comment", "comments", "commented", "commenting"], Complement.Clause),
        (["apologise", "apologises", "apologised", "apologising", "apologize", "apologizes", "apologized", "apologizing"], Complement.Any),
        (["speak", "speaks", "spoke", "speaking"], Complement.Marked),
        (["complain", "complains", "complained", "complaining"], Complement.Any),
        (["add", "adds", "added", "adding"], Complement.Clause),
        (["note", "notes", "noted", "noting"], Complement.Clause),
        (["indicate", "indicates", "indicated"], Complement.Clause),
        (["hint", "hints", "hinted", "hinting"], Complement.Any),
        (["maintain", "maintains", "maintained"], Complement.Clause),
        (["observe", "observes", "observed"], Complement.Clause),
        (["remark", "remarks", "remarked"], Complement.Any),
        (["write", "writes", "wrote"], Complement.Clause),
        (["tweet", "tweets", "tweeted"], Complement.Any),
        (["joke", "jokes", "joked"], Complement.Any),
        (["quip", "quips", "quipped"], Complement.Any),
        (["boast", "boasts", "boasted", "boasting"], Complement.Any),
        (["contend", "contends", "contended"], Complement.Any),
        (["allege", "alleges", "alleged", "alleging"], Complement.Clause),
        (["accuse", "accuses", "accused", "accusing"], Complement.Clause),
        (["criticise", "criticises", "criticised", "criticising", "criticize", "criticizes", "criticized", "criticizing"], Complement.Any),
        (["condemn", "condemns", "condemned", "condemning"], Complement.Any),
        (["praise", "praises", "praised", "praising"], Complement.Any),
        (["laud", "lauds", "lauded"], Complement.Any),
        (["welcome", "welcomes", "welcomed"], Complement.Any),
        (["question", "questions", "questioned", "questioning"], Complement.Clause),
        (["ask", "asks", "asked", "asking"], Complement.Clause),
        (["describe", "describes", "described"], Complement.Marked),
        (["call", "calls", "called", "calling"], Complement.Marked),
        (["brand", "brands", "branded"], Complement.Marked),
        (["dub", "dubs", "dubbed", "dubbing"], Complement.Marked),
        (["confess", "confesses", "confessed", "confessing"], Complement.Any),
        (["highlight", "highlights", "highlighted"], Complement.Clause),
        (["emphasise", "emphasises", "emphasised", "emphasising", "emphasize", "emphasizes", "emphasized", "emphasizing"], Complement.Any),
        (["reiterate", "reiterates", "reiterated", "reiterating"], Complement.Any),
        (["recommend", "recommends", "recommended"], Complement.Any),
        (["propose", "proposes", "proposed"], Complement.Marked),
        (["back", "backs", "backed", "backing"], Complement.Marked),
        (["promise", "promises", "promised", "promising"], Complement.Clause),
        (["pledge", "pledges", "pledged"], Complement.Clause),
        (["vow", "vows", "vowed", "vowing"], Complement.Any),
        (["forecast", "forecasts"], Complement.Clause),
        (["estimate", "estimates", "estimated"], Complement.Clause),
        (["calculate", "calculates", "calculated"], Complement.Clause),
        (["blame", "blames", "blamed", "blaming"], Complement.Clause),
        (["report", "reports", "reported"], Complement.Clause),
        (["find", "finds", "found"], Complement.Marked),
        (["rule", "rules", "ruled"], Complement.Marked),
        (["object", "objects", "objected"], Complement.Marked),
        (["lash", "lashes", "lashed"], Complement.Marked),
        (["echo", "echoes", "echoed"], Complement.Clause),
        (["agree", "agrees", "agreed"], Complement.Marked),
        (["point", "points", "pointed", "pointing"], Complement.Marked),
        (["conclude", "concludes", "concluded"], Complement.Clause),
        (["recount", "recounts", "recounted"], Complement.Any),
        (["continue", "continues", "continued"], Complement.Marked),
        (["demand", "demands", "demanded", "demanding"], Complement.Clause),
        (["advise", "advises", "advised"], Complement.Clause),
        (["caution", "cautions", "cautioned", "cautioning"], Complement.Any),
        (["signal", "signals", "signalled", "signaled"], Complement.Marked),
        (["assure", "assures", "assured"], Complement.Clause),
        (["dismiss", "dismisses", "dismissed"], Complement.Marked),
        (["issue", "issues", "issued"], Complement.Marked),
        (["deem", "deems", "deemed", "deeming"], Complement.Clause),
        (["attribute", "attributes", "attributed"], Complement.Clause),
        (["show", "shows", "showed"], Complement.Marked),
        (["understand", "understands", "understood"], Complement.Clause),
        (["affirm", "affirms", "affirmed", "affirming"], Complement.Any),
        (["express", "expresses", "expressed", "expressing"], Complement.Clause),
        (["consider", "considers", "considered", "considering"], Complement.Marked),
        (["speculate", "speculates", "speculated"], Complement.Clause),
        (["underline", "underlines", "underlined"], Complement.Clause),
        (["underscore", "underscores", "underscored"], Complement.Clause),
        (["identify", "identifies", "identified"], Complement.Marked),
        (["worry", "worries"], Complement.Clause),
        (["showcase", "showcases", "showcased"], Complement.Clause),
        (["remember", "remembers", "remembered"], Complement.Marked),
        (["specify", "specifies", "specified"], Complement.Clause),
        (["reason", "reasons", "reasoned"], Complement.Marked),
        (["flag", "flags", "flagged"], Complement.Marked),
        (["hail", "hails", "hailed"], Complement.Any),
        (["go", "goes", "went"], Complement.Marked),
        (["retort", "retorts", "retorted", "retorting"], Complement.Any),
        (["attack", "attacks", "attacked", "attacking"], Complement.Marked),
        (["realise", "realises", "realised", "realize", "realizes", "realized"], Complement.Clause),
        (["wonder", "wonders", "wondered"], Complement.Clause),
        (["voiced", "voicing"], Complement.Any),
        (["liken", "likens", "likened"], Complement.Marked),
    ];

    /// <summary>What must follow a <see cref="Complement.Marked"/> verb (besides a quotation later in the sentence).</summary>
    private static readonly Dictionary<string, string[]> Markers = new(StringComparer.Ordinal)
    {
        ["describe"] = ["as"],
        ["remember"] = ["how", "that"],
        ["flag"] = ["up"],
        ["reason"] = ["that"],
        ["call"] = ["for", "on", "it"],
        ["find"] = ["that"],
        ["rule"] = ["that", "out"],
        ["liken"] = ["to"],
        ["object"] = ["to"],
        ["lash"] = ["out"],
        ["agree"] = ["that"],
        ["point"] = ["out", "to"],
        ["continue"] = [":", ","],
        ["propose"] = ["that"],
        ["consider"] = ["that"],
        ["show"] = ["that", "how"],
        ["speak"] = ["about", "to", "of", "out", "on", "at"],
        ["signal"] = ["that"],
        ["dismiss"] = ["as"],
        ["brand"] = ["as"],
    };

    private static readonly Dictionary<string, (string Lemma, Complement Complement)> Verbs = VerbTable
        .SelectMany(v => v.Forms.Select(f => (Form: f, Lemma: v.Forms[0], v.Complement)))
        .ToDictionary(v => v.Form, v => (v.Lemma, v.Complement), StringComparer.Ordinal);

    /// <summary>The lemma and complement rule of a reporting verb form, or null.</summary>
    public static (string Lemma, Complement Complement)? ReportingVerb(string lowerWord) =>
        Verbs.TryGetValue(lowerWord, out var verb) ? verb : null;

    public static IReadOnlyList<string> MarkersOf(string lemma) => Markers.TryGetValue(lemma, out var m) ? m : [];

    /// <summary>Adjectives of stance that report a view when a clause follows: "is confident she can win".</summary>
    public static readonly HashSet<string> StanceAdjectives = new(StringComparer.Ordinal)
    {
        "confident", "hopeful", "optimistic", "pessimistic", "convinced", "adamant", "sure", "certain", "adamant", "insistent", "sceptical",
        "skeptical", "doubtful", "upbeat", "bullish", "gloomy", "worried", "concerned", "proud",
    };

    /// <summary>Forms of "be" and the verbs that link a subject to a stance adjective.</summary>
    public static readonly HashSet<string> Linking = new(StringComparer.Ordinal)
    {
        "is", "are", "was", "were", "remains", "remained", "remain", "seems", "seemed", "sounded", "sounds", "appeared", "appears", "felt",
        "feels", "'s", "’s", "been",
    };

    public static readonly HashSet<string> Be = new(StringComparer.Ordinal)
    {
        "is", "are", "was", "were", "be", "been", "being",
    };

    /// <summary>Words that, right before a verb form, make it an infinitive, a modal or a future: not a report of what was said.</summary>
    public static readonly HashSet<string> NotReported = new(StringComparer.Ordinal)
    {
        "to", "will", "would", "could", "should", "may", "might", "must", "can", "cannot", "shall", "won't", "wouldn't", "couldn't",
        "shouldn't", "can't", "not", "never", "didn't", "doesn't", "don't", "refused", "declined",
    };

    /// <summary>Auxiliaries and adverbs that may stand between a subject and its reporting verb.</summary>
    public static readonly HashSet<string> BetweenSubjectAndVerb = new(StringComparer.Ordinal)
    {
        "has", "have", "had", "also", "later", "then", "now", "once", "previously", "earlier", "repeatedly", "again", "recently",
        "still", "further", "already", "publicly", "privately", "separately", "himself", "herself", "itself", "themselves", "however",
        "immediately", "subsequently", "simply", "just", "even", "only", "frequently", "often", "always", "yesterday", "today", "tonight",
        "reportedly", "apparently", "initially", "originally", "first", "last", "too", "clearly", "openly", "strongly", "quickly",
        "firmly", "flatly", "angrily", "bluntly", "candidly", "jokingly", "confidently", "cautiously", "previously", "has", "does", "did",
        "both", "instead", "meanwhile", "though", "likewise", "nevertheless", "nonetheless", "similarly",
    };

    /// <summary>Determiners and pronouns that make the next word a noun: "the forecast", "its report".</summary>
    public static readonly HashSet<string> Determiners = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your", "some", "any", "no", "each",
        "every", "another", "such", "many", "several", "few", "more", "most", "much", "both", "all", "one", "two", "three", "four", "five",
    };

    /// <summary>Words in "-ly" that are no adverbs of manner: nouns ("family", "ally") and adjectives ("likely", "elderly").</summary>
    private static readonly HashSet<string> NotMannerAdverbs = new(StringComparer.Ordinal)
    {
        "family", "assembly", "supply", "ally", "rally", "tally", "monopoly", "anomaly", "reply", "bully", "jelly", "belly", "folly",
        "daily", "weekly", "monthly", "quarterly", "yearly", "hourly", "nightly", "early", "likely", "unlikely", "elderly", "friendly",
        "costly", "lonely", "lovely", "ugly", "silly", "holy", "only", "deadly", "orderly", "lively", "comply", "apply", "fly", "july",
    };

    /// <summary>An adverb of manner or time in "-ly": "quietly", "formally", "proudly".</summary>
    public static bool IsMannerAdverb(string lower) => lower.Length > 4 && lower.EndsWith("ly", StringComparison.Ordinal) && !NotMannerAdverbs.Contains(lower);

    /// <summary>Nouns of a need or a weight voiced: "stressed the importance of …", "emphasised the need to …".</summary>
    public static readonly HashSet<string> VoicedNeeds = new(StringComparer.Ordinal)
    {
        "importance", "need", "needs", "necessity", "urgency", "value", "significance", "role", "benefits", "dangers", "risks",
    };

    /// <summary>Articles and possessives: what makes the word after them an object ("backed a plan") or a noun ("says a report").</summary>
    public static readonly HashSet<string> ArticlesAndPossessives = new(StringComparer.Ordinal) { "a", "an", "the", "its", "their", "his", "her" };

    /// <summary>Words that open a segment which is not the subject: prepositions, subordinators, participles of scene-setting.</summary>
    public static readonly HashSet<string> Subordinators = new(StringComparer.Ordinal)
    {
        "after", "before", "because", "while", "whilst", "when", "although", "though", "since", "if", "unless", "until", "whereas",
        "as", "once", "despite", "following", "during", "in", "on", "at", "for", "with", "without", "by", "from", "to", "of", "ahead",
        "amid", "amidst", "among", "under", "over", "against", "into", "through", "than", "like", "where", "whether", "so", "given", "upon",
    };

    /// <summary>Sentence adverbs and conjunctions that may open a clause before its subject.</summary>
    public static readonly HashSet<string> Openers = new(StringComparer.Ordinal)
    {
        "but", "and", "yet", "so", "or", "however", "meanwhile", "separately", "instead", "also", "still", "now", "then", "indeed",
        "nevertheless", "nonetheless", "moreover", "furthermore", "elsewhere", "later", "earlier", "today", "yesterday", "overall",
        "last", "next", "this", "finally", "previously", "likewise", "similarly", "meantime", "thus", "therefore", "besides",
    };

    public static readonly HashSet<string> Relatives = new(StringComparer.Ordinal)
    {
        "who", "whom", "whose", "which", "where", "when", "that",
    };

    /// <summary>
    /// Honorifics and titles of office dropped from the front of a name ("Sir Digby Jones", "Chancellor Gordon Brown") and
    /// kept as role words, so "the chancellor" finds him later. Words that also begin bodies' names ("World", "Home",
    /// "State") are not here: they are dropped only together with a title that follows them.
    /// </summary>
    public static readonly HashSet<string> Titles = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "baron", "baroness", "earl",
        "countess", "duke", "duchess", "king", "queen", "prince", "princess", "sheikh", "emir", "rev", "reverend", "rt", "hon",
        "rabbi", "imam", "bishop", "archbishop", "cardinal", "pope", "president", "vice-president", "premier", "chancellor", "minister",
        "secretary", "senator", "sen", "rep", "congressman", "congresswoman", "governor", "gov", "mayor", "judge", "justice", "general",
        "gen", "admiral", "adm", "colonel", "col", "lieutenant", "lt", "major", "maj", "captain", "capt", "sergeant", "sgt", "commander",
        "cmdr", "inspector", "detective", "constable", "commissioner", "ambassador", "envoy", "chairman", "chairwoman", "chief",
        "executive", "officer", "director", "coach", "manager", "boss", "skipper", "mp", "mep", "msp", "qc", "kc", "spokesman",
        "spokeswoman", "spokesperson", "leader", "speaker", "attorney", "attorney-general", "solicitor-general", "director-general",
        "secretary-general", "general-secretary", "undersecretary", "chairperson", "controller", "editor", "founder", "producer",
        "presenter", "superintendent", "bishop-elect", "cllr", "councillor", "dean", "provost", "principal",
    };

    private static readonly HashSet<string> Honorifics = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "baron", "baroness", "earl", "countess",
        "duke", "duchess", "rev", "reverend", "rt", "hon", "king", "queen", "prince", "princess", "sheikh", "emir", "rabbi", "imam",
    };

    /// <summary>A title of office ("minister", "leader", "editor"), not an honorific ("Mr", "Sir", "Dr").</summary>
    public static bool IsOffice(string word) => Titles.Contains(word) && !Honorifics.Contains(word);

    /// <summary>Seats in a parliament, held beside any office: "the MEP", "the MP".</summary>
    public static readonly HashSet<string> Seats = new(StringComparer.OrdinalIgnoreCase) { "mp", "mep", "msp", "am", "mla", "senator", "congressman", "congresswoman", "peer" };

    /// <summary>Capitalised role nouns dropped from the front of a name besides the titles: "Chief Negotiator Rustem Umerov".</summary>
    public static readonly HashSet<string> RoleWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "negotiator", "adviser", "advisor", "aide", "analyst", "economist", "strategist", "correspondent", "reporter", "diplomat",
        "lawmaker", "candidate", "investor", "official", "consultant", "campaigner", "activist", "organiser", "organizer", "deputy",
        "shadow", "acting", "interim", "former", "assistant", "associate", "senior", "junior", "vice", "head", "ceo", "cfo", "cto",
        "coo", "cio", "vp", "svp", "evp", "rival",
    };

    /// <summary>Titles that tell a person's sex: "Mr", "Sir" / "Ms", "Dame".</summary>
    public static readonly HashSet<string> MaleTitles = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "sir", "lord", "baron", "earl", "count", "duke", "king", "prince", "sheikh", "emir", "father", "brother", "congressman",
        "chairman", "spokesman", "actor", "husband", "son", "uncle", "grandfather",
    };

    public static readonly HashSet<string> FemaleTitles = new(StringComparer.OrdinalIgnoreCase)
    {
        "mrs", "ms", "miss", "dame", "lady", "baroness", "countess", "duchess", "queen", "princess", "sister", "congresswoman",
        "chairwoman", "spokeswoman", "actress", "wife", "daughter", "aunt", "grandmother", "sportswoman", "businesswoman",
    };

    /// <summary>Nouns of speaking for a body: "a Treasury spokesman", "a spokeswoman for the council".</summary>
    public static readonly HashSet<string> Spokes = new(StringComparer.Ordinal)
    {
        "spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokeswomen", "spokespeople", "spokespersons", "representative",
        "representatives", "statement", "statements", "announcement", "press", "release", "letter", "website", "filing", "source",
    };

    /// <summary>
    /// People who speak for the body they belong to: "Labour campaign chiefs", "the Intel researchers", "leaders of
    /// Germany and France" speak for Labour, Intel, Germany and France. Not "officials" or "sources" before a name ("US
    /// officials"), which stay anonymous, nor fans, MPs or members, who speak for themselves.
    /// </summary>
    public static readonly HashSet<string> ActingFor = new(StringComparer.Ordinal)
    {
        "chiefs", "executives", "bosses", "leaders", "heads", "researchers", "scientists", "engineers", "negotiators", "delegates",
        "envoys", "representatives", "spokesmen", "spokeswomen", "spokespeople",
    };

    /// <summary>Last words of public bodies' names: "the company", "the firm" never stands for the Home Office or a union.</summary>
    public static readonly HashSet<string> InstitutionHeads = new(StringComparer.OrdinalIgnoreCase)
    {
        "office", "department", "ministry", "council", "committee", "commission", "court", "government", "parliament", "party", "police",
        "agency", "authority", "treasury", "executive", "assembly", "senate", "congress", "union", "federation", "confederation",
        "tribunal", "regulator", "army", "navy", "force", "commissioner", "street", "university", "college", "school", "hospital",
        "charity", "foundation", "trust", "society", "institute", "watch",
    };

    /// <summary>"Home Office", "Office for National Statistics", "Department of Health": a public body, not a firm.</summary>
    public static bool IsInstitution(string name)
    {
        var words = name.Split(' ');
        return InstitutionHeads.Contains(words[^1]) || (words.Length > 2 && InstitutionHeads.Contains(words[0]) && words[1] is "of" or "for");
    }

    /// <summary>Nouns of a document or a figure, whose author is the speaker: "a report from…", "Labor Department figures".</summary>
    public static readonly HashSet<string> Documents = new(StringComparer.Ordinal)
    {
        "report", "reports", "study", "studies", "survey", "surveys", "poll", "polls", "figures", "data", "statistics", "research",
        "analysis", "review", "ruling", "judgment", "judgement", "verdict", "paper", "document", "documents", "findings", "estimates",
        "forecast", "forecasts", "projections", "index", "audit", "inquiry", "investigation", "memo", "briefing", "note", "notes",
        "blog", "article", "editorial", "bulletin", "assessment", "survey's", "calculations", "numbers", "minutes", "commentary",
        "e-mail", "email", "letter",
    };

    /// <summary>Nouns that name a body: "the company", "the council", "investment bank Morgan Stanley".</summary>
    public static readonly HashSet<string> BodyNouns = new(StringComparer.Ordinal)
    {
        "company", "companies", "firm", "firms", "group", "groups", "bank", "banks", "business", "businesses", "carrier", "airline",
        "airlines", "retailer", "retailers", "maker", "makers", "manufacturer", "producer", "operator", "supplier", "giant", "chain",
        "corporation", "conglomerate", "insurer", "lender", "broker", "brokerage", "fund", "agency", "authority", "regulator",
        "watchdog", "council", "court", "tribunal", "commission", "committee", "panel", "board", "government", "administration",
        "ministry", "department", "office", "union", "unions", "association", "federation", "confederation", "organisation",
        "organization", "institute", "institution", "charity", "club", "clubs", "team", "teams", "side", "league", "body", "bodies",
        "party", "parties", "parliament", "senate", "congress", "assembly", "executive", "cabinet", "network", "broadcaster",
        "newspaper", "newspapers", "paper", "magazine", "journal", "publisher", "studio", "label", "website", "site", "service",
        "police", "force", "army", "navy", "military", "ministry", "embassy", "consortium", "partnership", "alliance", "coalition",
        "opposition", "campaign", "campaigners", "pressure", "organisers", "organizers", "developer", "provider", "telecoms", "operator",
        "exchange", "market", "university", "college", "school", "hospital", "trust", "foundation", "society", "bureau", "unit",
        "division", "subsidiary", "owner", "owners", "parent", "entity", "outlet", "channel", "station", "programme", "program",
        "council's", "government's", "state", "states", "country", "countries", "nation", "nations", "city", "region", "regions",
        "media", "press", "think-tank", "thinktank", "administrator", "administrators", "liquidator", "liquidators",
    };

    /// <summary>
    /// Nouns for a trading firm. "The software giant", "the carrier" may stand for any body an article names (an
    /// institution — "the court", "the council" — only for one called so), and a body called a firm is written without
    /// "the" ("research firm IDC" → IDC).
    /// </summary>
    public static readonly HashSet<string> CompanyNouns = new(StringComparer.Ordinal)
    {
        "company", "firm", "group", "business", "corporation", "giant", "maker", "manufacturer", "retailer", "carrier", "airline", "bank",
        "lender", "insurer", "operator", "provider", "supplier", "publisher", "broadcaster", "network", "developer", "chain",
        "conglomerate", "producer", "studio", "label", "website", "brand", "outfit", "rival", "subsidiary", "startup", "start-up",
        "consultancy", "brokerage",
    };

    /// <summary>The last words of a proper name that make it a body's: "… Association", "… Group", "… Times".</summary>
    public static readonly HashSet<string> BodyHeads = new(StringComparer.OrdinalIgnoreCase)
    {
        "association", "union", "organisation", "organization", "department", "council", "commission", "committee", "federation",
        "confederation", "programme", "program", "fund", "court", "ministry", "office", "agency", "authority", "institute", "chambers",
        "campaign",         "treasury", "government", "parliament", "senate", "congress", "party", "group", "bank", "corporation", "corp", "company", "co",
        "inc", "ltd", "plc", "llc", "ag", "sa", "airways", "airlines", "motors", "times", "journal", "post", "telegraph", "guardian",
        "independent", "observer", "herald", "mirror", "express", "tribune", "gazette", "news", "media", "network", "foundation",
        "trust", "society", "university", "college", "school", "board", "league", "club", "reserve", "service", "services", "police",
        "army", "navy", "force", "executive", "assembly", "council", "alliance", "coalition", "partnership", "holdings", "industries",
        "systems", "technologies", "communications", "telecom", "pharmaceuticals", "entertainment", "records", "pictures", "studios",
        "international", "worldwide", "global", "capital", "partners", "securities", "insurance", "energy", "petroleum", "oil",
        "electric", "motor", "labs", "laboratories", "project", "unit", "bureau", "commissioner", "tribunal", "panel", "regulator", "exchange",
        "house", "street", "hall", "academy", "institution", "centre", "center", "forum", "network", "broadcasting", "radio", "tv",
        "television", "channel", "magazine", "review", "economist", "monitor", "watch", "fc", "united", "city", "rovers", "athletic",
        "athletics", "cricket", "rugby", "football", "olympic", "committee", "games", "cup", "nations", "republic", "kingdom", "states",
    };

    /// <summary>Newspapers and bodies written with "the" even when the article drops it: "the Financial Times".</summary>
    public static readonly HashSet<string> TheHeads = new(StringComparer.OrdinalIgnoreCase)
    {
        "association", "union", "organisation", "organization", "department", "council", "commission", "committee", "federation",
        "confederation", "programme", "program", "fund", "court", "ministry", "office", "agency", "authority", "institute", "chambers",
        "treasury", "government", "parliament", "senate", "congress", "party", "times", "journal", "post", "telegraph", "guardian",
        "independent", "observer", "herald", "mirror", "express", "tribune", "gazette", "reserve", "foundation", "society", "board",
        "league", "executive", "assembly", "alliance", "coalition", "bureau", "tribunal", "panel", "academy", "forum", "economist",
        "monitor", "army", "navy", "police", "service", "kingdom", "states", "republic", "nations",
    };

    /// <summary>Relatives and neighbours: "Santiago-Ruiz's aunt" is a person, but not the one named.</summary>
    public static readonly HashSet<string> Relations = new(StringComparer.Ordinal)
    {
        "aunt", "uncle", "cousin", "niece", "nephew", "relative", "neighbour", "neighbor",
    };

    /// <summary>Kinds of body whose name alone is the body ("PC Pro magazine" is PC Pro), unlike "the US government".</summary>
    public static readonly HashSet<string> KindsNamedBare = new(StringComparer.Ordinal)
    {
        "magazine", "newspaper", "paper", "website", "site", "firm", "company", "network", "channel", "station", "agency",
    };

    /// <summary>Someone's family and friends as a group: "the parents of Sam Tully" speak for themselves, not for him.</summary>
    public static readonly HashSet<string> Kin = new(StringComparer.Ordinal)
    {
        "parents", "family", "families", "relatives", "friends", "widow", "widower", "children", "sons", "daughters", "neighbours", "neighbors",
    };

    /// <summary>Nouns for a person by role, used to resolve "the minister", "the 28-year-old", "the actor".</summary>
    public static readonly HashSet<string> PersonNouns = new(
    [
        "man", "woman", "person", "boy", "girl", "actor", "actress", "singer", "star", "musician", "rapper", "artist", "painter",
        "writer", "author", "novelist", "poet", "playwright", "director", "producer", "presenter", "host", "comedian", "dancer", "model",
        "designer", "photographer", "journalist", "reporter", "correspondent", "editor", "critic", "columnist", "broadcaster", "pundit",
        "commentator", "player", "striker", "midfielder", "defender", "goalkeeper", "keeper", "forward", "winger", "captain", "skipper",
        "coach", "manager", "boss", "trainer", "athlete", "runner", "sprinter", "hurdler", "jumper", "swimmer", "cyclist", "boxer",
        "golfer", "champion", "winner", "medallist", "medalist", "holder", "olympian", "veteran", "rookie", "youngster",
        "teenager", "minister", "secretary", "chancellor", "president", "premier", "leader", "politician", "lawmaker", "senator",
        "congressman", "congresswoman", "mp", "mep", "councillor", "mayor", "governor", "ambassador", "envoy", "diplomat", "negotiator",
        "official", "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair", "chief", "executive", "head",
        "founder", "owner", "investor", "analyst", "economist", "strategist", "expert", "scientist", "researcher", "academic",
        "professor", "lecturer", "teacher", "student", "doctor", "surgeon", "nurse", "lawyer", "attorney", "solicitor", "barrister",
        "judge", "prosecutor", "detective", "officer", "inspector", "bishop", "archbishop", "priest", "vicar", "clergyman", "cleric",
        "rabbi", "imam", "pope", "king", "queen", "prince", "princess", "duke", "duchess", "monarch", "wife", "husband", "son",
        "daughter", "father", "mother", "brother", "sister", "widow", "partner", "friend", "colleague", "campaigner", "activist",
        "organiser", "organizer", "consultant", "adviser", "advisor", "aide", "deputy", "director-general", "commissioner", "candidate",
        "veteran", "retailer", "entrepreneur", "tycoon", "businessman", "businesswoman", "banker", "trader", "dealer", "broker",
        "chef", "impresario", "promoter", "agent", "referee", "umpire", "jockey", "driver", "rider", "pilot", "sportsman", "sportswoman",
        "year-old", "frontman", "guitarist", "drummer", "vocalist", "composer", "conductor", "filmmaker", "film-maker", "screenwriter",
        "designer", "architect", "engineer", "inventor", "programmer", "developer", "hacker", "blogger", "user", "victim", "witness",
        "survivor", "mp's", "peer", "baroness", "lord", "campaigner", "member", "soldier", "resident", "donor", "passenger", "bystander",
        "eyewitness", "worker", "employee", "panellist", "panelist", .. Relations,
    ], StringComparer.Ordinal);

    /// <summary>Plural or quantified nouns for unnamed people and bodies: "analysts", "officials", "critics", "some".</summary>
    public static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal)
    {
        "analysts", "officials", "experts", "critics", "sources", "source", "insiders", "insider", "observers", "commentators", "economists",
        "observers", "diplomats", "investors", "traders", "dealers", "brokers", "campaigners", "activists", "residents", "witnesses",
        "people", "some", "many", "others", "several", "most", "few", "one", "someone", "somebody", "aides", "advisers", "advisors",
        "lawmakers", "politicians", "ministers", "mps", "peers", "scientists", "researchers", "doctors", "lawyers", "fans", "supporters",
        "opponents", "rivals", "colleagues", "friends", "staff", "workers", "employees", "members", "executives", "bosses", "players",
        "managers", "users", "consumers", "customers", "shoppers", "respondents", "parents", "teachers", "pupils", "students", "voters",
        "leaders", "figures", "insiders", "pundits", "bankers", "economists", "strategists", "organisers", "organizers", "critics",
        "protesters", "demonstrators", "authorities", "them", "those", "everyone", "nobody", "anyone", "relatives", "neighbours",
        "neighbors", "passengers", "soldiers", "advocates", "panellists", "panelists", "agencies", "donors", "charities",
    };

    /// <summary>A whole trade speaking as one, named by no body: "the music industry said", "the games sector warns".</summary>
    public static readonly HashSet<string> Trades = new(StringComparer.Ordinal) { "industry", "industries", "sector", "sectors" };

    /// <summary>Nationality adjectives in front of a name: "Russian Dmitry Peskov".</summary>
    public static bool IsDemonym(string word) =>
        word.Length > 4 && char.IsUpper(word[0]) && !FirstNamesLikeDemonyms.Contains(word) && (word.EndsWith("ian", StringComparison.Ordinal) || word.EndsWith("ean", StringComparison.Ordinal)
            || word.EndsWith("ese", StringComparison.Ordinal) || word.EndsWith("ish", StringComparison.Ordinal)
            || word.EndsWith("can", StringComparison.Ordinal) || word.EndsWith("man", StringComparison.Ordinal) && IsDemonym(word[..^3])
            || word.EndsWith("woman", StringComparison.Ordinal) && IsDemonym(word[..^5])
            || word is "French" or "Dutch" or "Greek" or "Swiss" or "Thai" or "Scots" or "Welsh" or "Czech" or "Iraqi" or "Israeli" or "Pakistani"
                or "Saudi" or "Kuwaiti" or "Qatari" or "Yemeni" or "Somali" or "Bangladeshi" or "Nepali" or "Afghan" or "Filipino");

    /// <summary>Nouns for a person of a nation that <see cref="IsDemonym"/> does not catch: "the Scot", "the Dane".</summary>
    public static readonly HashSet<string> DemonymNouns = new(StringComparer.Ordinal)
    {
        "Scot", "Briton", "Brit", "Swede", "Dane", "Pole", "Finn", "Turk", "Kiwi", "Aussie", "Frenchman", "Frenchwoman", "Englishman",
        "Englishwoman", "Irishman", "Irishwoman", "Welshman", "Welshwoman", "Scotsman", "Scotswoman", "Dutchman", "Spaniard", "Argentine",
        "Kenyan", "Ugandan", "Nigerian", "Brazilian", "Australian", "Canadian", "American", "Italian", "German", "Russian",
    };

    /// <summary>Words of political parties' names that stand before a member's name as an affiliation ("Labour", "Liberal Democrat").</summary>
    /// <summary>Parties' names as a last word: "New Labour", "the Scottish Conservatives".</summary>
    public static readonly HashSet<string> PartyNames = new(StringComparer.Ordinal) { "Labour", "Tories", "Conservatives", "Democrats", "Republicans", "UKIP", "SNP" };

    public static readonly HashSet<string> PartyWords = new(StringComparer.Ordinal)
    {
        "Labour", "Tory", "Conservative", "Liberal", "Democrat", "Lib", "Dem", "Republican", "Democratic", "SNP", "Plaid", "Green", "UKIP", "Unionist",
    };

    /// <summary>A party the article names without "Party": "Labour", "the Tories", "the Liberal Democrats" are "the party" later.</summary>
    public static bool IsPartyName(string name) =>
        name is "Labour" or "Tories" or "Conservatives" or "Liberal Democrats" or "Lib Dems" or "Greens" or "SNP" or "Plaid Cymru" or "UKIP"
            or "Democrats" or "Republicans" or "Scottish National Party";

    /// <summary>First names that end as nationalities do ("Christian", "Hamish", "Duncan"): a person's name, not where they are from.</summary>
    private static readonly HashSet<string> FirstNamesLikeDemonyms = new(StringComparer.Ordinal)
    {
        "Adrian", "Brian", "Bryan", "Christian", "Damian", "Damien", "Fabian", "Gillian", "Julian", "Lilian", "Lillian", "Marian", "Maximilian",
        "Sebastian", "Vivian", "Vivien", "Jillian", "Florian", "Cristian", "Kristian", "Tristan", "Hamish", "Duncan", "Dominican", "Morgan",
    };

    /// <summary>Capitalised words that start a sentence or clause without being a name.</summary>
    public static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their",
        "our", "my", "but", "and", "or", "yet", "so", "however", "meanwhile", "also", "in", "on", "at", "for", "with", "from", "by", "to",
        "of", "as", "after", "before", "while", "when", "if", "although", "though", "since", "because", "despite", "during", "there",
        "here", "then", "now", "still", "some", "many", "most", "all", "both", "one", "two", "three", "others", "another", "such", "what",
        "who", "which", "where", "why", "how", "last", "next", "each", "every", "no", "not", "only", "even", "just", "indeed", "instead",
        "separately", "overall", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "according", "speaking",
        "writing", "asked", "looking", "following", "ahead", "following", "earlier", "later", "today", "yesterday", "tonight", "shares",
        "sales", "profits", "analysts", "officials", "experts", "critics", "sources", "reports", "under", "over", "among", "about",
        "around", "into", "than", "like", "unlike", "until", "without", "within", "whether", "whose", "whom", "please", "hopefully",
        "unfortunately", "fortunately", "clearly", "obviously", "surely", "certainly", "apparently", "ultimately", "eventually",
        "finally", "interestingly", "importantly", "thankfully", "luckily", "sadly", "frankly", "admittedly", "arguably", "notably",
        "similarly", "additionally", "initially", "originally", "recently", "currently", "previously", "ideally", "naturally",
        "through", "throughout", "via", "towards", "toward", "upon", "amid", "amidst", "beyond", "behind", "between", "across", "along",
        "near", "outside", "inside", "below", "above", "beside", "besides", "except", "unless", "whereas", "whilst",
    };

    /// <summary>Pronouns a speaker may be given by, with the kind of referent each takes.</summary>
    public static readonly Dictionary<string, char> Pronouns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["he"] = 'm', ["she"] = 'f', ["it"] = 'b', ["they"] = 'p', ["we"] = 'p', ["i"] = 'i',
    };

    public static readonly HashSet<string> MalePronouns = new(StringComparer.OrdinalIgnoreCase) { "he", "his", "him", "himself" };

    public static readonly HashSet<string> FemalePronouns = new(StringComparer.OrdinalIgnoreCase) { "she", "her", "hers", "herself" };
}
