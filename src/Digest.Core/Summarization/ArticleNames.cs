namespace Digest.Core.Summarization;

internal enum EntityKind
{
    Unknown,
    Person,
    Body,
}

/// <summary>Someone or something an article names, under the fullest name it gives.</summary>
internal sealed class Entity(string name)
{
    public string Name { get; set; } = name;

    public int PersonEvidence { get; set; }

    public int BodyEvidence { get; set; }

    public int Male { get; set; }

    public int Female { get; set; }

    public bool WrittenWithThe { get; set; }

    /// <summary>A mention in the body, in the name's own form, stands as a noun phrase without "the" ("Acme is a firm in Leeds"); headlines drop articles.</summary>
    public bool WrittenBare { get; set; }

    /// <summary>Every mention opens a sentence or a quotation, where any word is capitalised.</summary>
    public bool OpeningsOnly { get; set; } = true;

    /// <summary>Called a firm beside its name ("research firm IDC", "Acme, the chip maker"): a company, written without "the".</summary>
    public bool Company { get; set; }

    /// <summary>Role words seen around the name: "finance", "minister", "bishop", "lawyer".</summary>
    public HashSet<string> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>Sentences (−1 = headline) that mention it, with whether the mention is inside a quotation.</summary>
    public List<(int Sentence, bool Quoted)> Mentions { get; } = [];

    /// <summary>The last sentence before <paramref name="sentence"/> that mentions it, or null (by binary search: <see cref="Mentions"/> are in sentence order).</summary>
    public int? LastMentionBefore(int sentence)
    {
        var index = ArticleNames.LastBelow(Mentions.Count, k => Mentions[k].Sentence, sentence);
        return index >= 0 ? Mentions[index].Sentence : null;
    }

    /// <summary>Mentioned in one of the <paramref name="lookback"/> sentences before <paramref name="sentence"/>.</summary>
    public bool MentionedWithin(int sentence, int lookback) => LastMentionBefore(sentence) is { } last && last >= sentence - lookback;

    /// <summary>A person or a body when the article gives evidence either way; a name it only mentions stays unknown.</summary>
    public EntityKind Kind =>
        BodyEvidence > PersonEvidence ? EntityKind.Body
        : PersonEvidence > BodyEvidence ? EntityKind.Person
        : EntityKind.Unknown;

    /// <summary>
    /// A person, or a name of two or three words the article gives no kind for ("Jason Gardener" who only runs); never a
    /// document's title ("the Gershon Report"), which "he" or "she" cannot point to.
    /// </summary>
    public bool IsPersonLike => !NewsLexicon.Documents.Contains(Name.Split(' ')[^1].ToLowerInvariant())
        && (Kind == EntityKind.Person || (Kind == EntityKind.Unknown && !WrittenWithThe && Name.Split(' ').Length is 2 or 3 && !IsAcronym(Name)));

    /// <summary>'m', 'f' or '\0' when the article does not tell.</summary>
    public char Gender => Male > Female ? 'm' : Female > Male ? 'f' : '\0';

    public static bool IsAcronym(string name) => name.Length is >= 2 and <= 6 && name.All(c => char.IsUpper(c) || c == '&');

    public override string ToString() => Name;
}

/// <summary>
/// The names an article gives and what it says about them: the fullest form of each (a surname, a first name after
/// "Sir", an acronym or a short form all lead to it), whether it names a person or a body (titles, role nouns,
/// appositions, "said it"), a person's sex (titles, the pronouns that follow), the role words around it (for "the
/// bishop"), and the sentences that mention it.
/// </summary>
internal sealed partial class ArticleNames
{
    private readonly List<Entity> entities = [];
    private readonly Dictionary<string, Entity> byName = new(StringComparer.Ordinal);

    // The name index, kept as entities are added, so that finding what a name stands for looks up keys instead of
    // comparing it with every entity: a name's proper first and last words → the longer names that begin or end with
    // them; a name without spaces, upper case → the names written so; initials → the names of several words.
    private readonly Dictionary<string, List<Entity>> byPart = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Entity>> byUnspaced = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Entity>> byInitials = new(StringComparer.Ordinal);
    private readonly Dictionary<Entity, int> order = [];
    private readonly HashSet<string> wordsOfLongerNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> writtenIn = new(StringComparer.Ordinal);
    private readonly Dictionary<int, HashSet<Entity>> unquoted = [];
    private readonly Dictionary<int, List<(Entity Entity, int Token, int End)>> mentions = [];
    private IReadOnlyList<TokenizedSentence> sentences = [];
    private HashSet<string> common = [];

    /// <summary>
    /// A capitalised word the article otherwise writes in lower case and never gives as a name ("Revised figures…",
    /// "Less welcome was…"): it opens a sentence, it names nobody.
    /// </summary>
    public bool IsOnlyAnOpeningWord(string word) =>
        !word.Contains(' ', StringComparison.Ordinal)
        && (common.Contains(word) && !wordsOfLongerNames.Contains(word)
            || (byName.GetValueOrDefault(word) is { OpeningsOnly: true, PersonEvidence: 0, BodyEvidence: 0 } && EnglishSuffix().IsMatch(word)));

    /// <summary>
    /// "Music industry bosses said": a word the article writes in lower case and never as a name of its own (only inside
    /// "Lark Music"), capitalised here only because it opens the sentence.
    /// </summary>
    public bool IsOnlyACommonWord(string word) =>
        !word.Contains(' ', StringComparison.Ordinal) && common.Contains(word) && !entities.Any(e => e.Name.Equals(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>Endings of English words rather than of names: "Revised", "Improvements", "Less", "Latest".</summary>
    [System.Text.RegularExpressions.GeneratedRegex("(?:ed|ing|ments?|ness|tions?|sions?|ly|ity|ances?|ences?|less|ful|ous|ive|\\w{3}est)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex EnglishSuffix();
    private readonly Dictionary<string, Entity> acronyms = new(StringComparer.Ordinal);

    /// <summary>One-word names written at least once without "the" before them ("Nintendo said").</summary>
    private readonly HashSet<string> bare = new(StringComparer.Ordinal);

    /// <summary>Names written at least once in the body where no sentence or quotation opens, so not capitalised only for that.</summary>
    private readonly HashSet<string> midSentence = new(StringComparer.Ordinal);

    /// <summary>Names the article writes after "the" every time ("the Nintendo DS").</summary>
    private readonly HashSet<string> alwaysWithThe = new(StringComparer.Ordinal);

    private static readonly HashSet<string> OwnedRoles = new(StringComparer.Ordinal)
    {
        "chief", "executive", "chairman", "chairwoman", "chair", "director", "head", "spokesman", "spokeswoman", "spokesperson", "president",
        "boss", "ceo", "founder", "shares", "profits", "profit", "sales", "board", "shareholders", "analyst", "economist", "strategist",
        "chief's", "managing", "deputy", "finance", "owner", "staff", "workers", "customers", "revenues", "results", "subsidiary",
    };

    public IReadOnlyList<Entity> Entities => entities;

    public Entity? MainPerson { get; private set; }

    public Entity? MainBody { get; private set; }

    /// <summary>The named entities mentioned in a sentence, in order, outside quotations only when asked.</summary>
    public IEnumerable<Entity> MentionsIn(int sentence, bool outsideQuotes) =>
        mentions.TryGetValue(sentence, out var list)
            ? list.Where(m => !outsideQuotes || (unquoted.TryGetValue(sentence, out var outside) && outside.Contains(m.Entity))).Select(m => m.Entity).Distinct()
            : [];

    /// <summary>The name that opens a sentence as its first words ("Delta has been hit by …"), or null.</summary>
    public Entity? OpeningName(int sentence) =>
        mentions.TryGetValue(sentence, out var list) && sentence >= 0 && sentence < sentences.Count
            ? list.Where(m => m.Token == 0 && !sentences[sentence].Tokens[0].Quoted).Select(m => m.Entity).FirstOrDefault()
            : null;

    /// <summary>The body a sentence opens with as its subject ("The Harbour Trust says …", "The Home Office declined to comment …"), or null.</summary>
    public Entity? OpeningBody(int sentence) =>
        mentions.TryGetValue(sentence, out var list) && sentence >= 0 && sentence < sentences.Count
            ? list.Where(m => m.Entity.Kind == EntityKind.Body && !sentences[sentence].Tokens[m.Token].Quoted
                    && (m.Token == 0 || (m.Token == 1 && sentences[sentence].Tokens[0].Is("the"))))
                .Select(m => m.Entity).FirstOrDefault()
            : null;

    /// <summary>
    /// The people a sentence names outside quotations, in order, each with whether it stands as the sentence's subject
    /// (near its start or right after a scene-setting clause, not after a preposition, not a possessive).
    /// </summary>
    public IEnumerable<(Entity Entity, bool Subject)> PeopleIn(int sentence)
    {
        if (!mentions.TryGetValue(sentence, out var list) || sentence < 0 || sentence >= sentences.Count)
        {
            yield break;
        }

        var t = sentences[sentence].Tokens;
        var seen = new HashSet<Entity>();
        foreach (var (entity, start, end) in list.OrderBy(m => m.Token))
        {
            if (t[start].Quoted || !entity.IsPersonLike || !seen.Add(entity))
            {
                continue;
            }

            yield return (entity, IsSubject(t, start, end));
        }
    }

    /// <summary>A name near the start of its sentence or right after a scene-setting clause, not after a preposition, not a possessive.</summary>
    private static bool IsSubject(IReadOnlyList<Token> t, int start, int end)
    {
        var before = start > 0 ? t[start - 1] : default;
        var afterPreposition = start > 0 && before.IsWord && before.Lower is "at" or "of" or "for" or "with" or "by" or "in" or "from" or "to" or "on" or "starring"
            or "including" or "against" or "behind" or "like" or "than" or "and" or "over" or "under" or "beat" or "as";
        var possessive = end < t.Count && t[end].Kind == TokenKind.Possessive;
        // "On Sunday, Green leader Ann Pike repeated …": the title before a name after the opening clause is part of the subject.
        var titled = start;
        while (titled > 0 && start - titled < 4 && t[titled - 1].IsWord && !t[titled - 1].Quoted && (t[titled - 1].IsCapitalized || NewsLexicon.Titles.Contains(t[titled - 1].Text) || SpeakerPhrase.IsPersonNoun(t[titled - 1].Lower)))
        {
            titled--;
        }

        var early = start <= 4 || (before.Kind == TokenKind.Comma && start <= 14) || (titled < start && titled > 0 && t[titled - 1].Kind == TokenKind.Comma && titled <= 14);
        // "Chelsea boss Jose Mourinho", "Labour MP Kate Hoey": the first name is an affiliation of the person named after it.
        var affiliation = end + 1 < t.Count && t[end].IsWord && !t[end].Quoted && !t[end].IsCapitalized && SpeakerPhrase.IsPersonNoun(t[end].Lower) && t[end + 1].IsCapitalized;
        return early && !afterPreposition && !possessive && !affiliation && !t[start].Quoted;
    }

    public static ArticleNames Build(IReadOnlyList<TokenizedSentence> sentences, TokenizedSentence? headline)
    {
        var names = new ArticleNames { sentences = sentences };
        var occurrences = new List<Occurrence>();
        var common = sentences.Prepend(headline).OfType<TokenizedSentence>()
            .SelectMany(s => s.Tokens).Where(t => t.IsWord && char.IsLower(t.Text[0])).Select(t => t.Text)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        names.common = common;
        for (var i = 0; i < sentences.Count; i++)
        {
            Collect(sentences[i], i, occurrences, common);
        }

        if (headline is not null)
        {
            // "Stop Grant rumours, Lee tells board" over a story that only says "President Grant": a headline's first word is
            // capitalised whatever it is, so it is no part of a name the body gives without it.
            var inHeadline = new List<Occurrence>();
            Collect(headline, -1, inHeadline, common, occurrences.Select(o => o.Name).ToHashSet(StringComparer.Ordinal));
            occurrences.InsertRange(0, inHeadline);
        }

        names.Assign(occurrences);
        Evidence(occurrences);
        names.Genders(sentences);
        // An entity can be left without mentions (a shorter form whose every mention went to the fuller one): it names no
        // one the article writes about.
        var mentioned = names.entities.Where(e => e.Mentions.Count > 0).ToList();
        var persons = mentioned.Where(e => e.IsPersonLike).ToList();
        names.MainPerson = persons
            .OrderByDescending(e => e.Mentions.Count(m => !m.Quoted) + (e.Mentions.Any(m => m.Sentence == -1) ? 2 : 0))
            .ThenByDescending(e => e.Kind == EntityKind.Person)
            .ThenBy(e => e.Mentions[0].Sentence)
            .FirstOrDefault();
        names.MainBody = mentioned.Where(e => e.Kind == EntityKind.Body).OrderByDescending(e => e.Mentions.Count + (e.Mentions.Any(m => m.Sentence == -1) ? 2 : 0)).ThenBy(e => e.Mentions[0].Sentence).FirstOrDefault();
        return names;
    }

    private sealed record Occurrence(int Sentence, TokenizedSentence Source, int Start, int End, string Name, List<string> Titles, bool Quoted)
    {
        public Entity? Entity { get; set; }
    }

    private static void Collect(TokenizedSentence sentence, int index, List<Occurrence> occurrences, HashSet<string> common, HashSet<string>? body = null)
    {
        var t = sentence.Tokens;
        var words = t.Where(x => x.IsWord).ToList();
        if (words.Count >= 3 && words.Count(x => x.IsCapitalized) >= 0.8 * words.Count)
        {
            return; // a heading in title case ("Kremlin Downplays Progress") names nothing
        }

        foreach (var (runStart, end) in SpeechTokens.NameRuns(t, 0, t.Count))
        {
            // A capital that only opens the sentence ("Off-colour Gardener storms…", "Novelist Arthur Hailey") is not a name's.
            var start = runStart;
            var opens = start == 0 || t[start - 1].Kind is TokenKind.Quote or TokenKind.Colon or TokenKind.Stop;
            var defined = end + 2 < t.Count && t[end].Kind == TokenKind.OpenParen && t[end + 1].IsWord
                && Initials(string.Join(' ', t.Skip(start).Take(end - start).Select(x => x.Text))) is var initials
                && (initials == t[end + 1].Text || SpelledAsAWord(initials, t[end + 1].Text));
            var title = NewsLexicon.Titles.Contains(t[start].Text) || NewsLexicon.RoleWords.Contains(t[start].Text) || NewsLexicon.PersonNouns.Contains(t[start].Lower) || NewsLexicon.IsDemonym(t[start].Text);
            // "Home Secretary Tom Field" opening a sentence keeps "Home": the opening word qualifies the title after it.
            var ofTitle = end - start > 1 && NewsLexicon.Titles.Contains(t[start + 1].Text);
            if (opens && end - start > 1 && !defined && !title && !ofTitle && (common.Contains(t[start].Text) || (body is not null && OnlyTheRestIsNamed(t, start, end, body))))
            {
                start++;
            }

            var (name, titles) = SpeakerPhrase.CleanName(t.Skip(start).Take(end - start).ToList());
            if (name is null)
            {
                continue;
            }

            occurrences.Add(new Occurrence(index, sentence, start, end, name, titles, t[start].Quoted));
        }
    }

    private static bool OnlyTheRestIsNamed(IReadOnlyList<Token> t, int start, int end, HashSet<string> body) =>
        SpeakerPhrase.CleanName(t.Skip(start + 1).Take(end - start - 1).ToList()).Name is { } rest && body.Contains(rest)
        && !(SpeakerPhrase.CleanName(t.Skip(start).Take(end - start).ToList()).Name is { } whole && body.Contains(whole));

    /// <summary>Each occurrence to the entity of its fullest form, the nearest one when a surname fits two people.</summary>
    private void Assign(List<Occurrence> occurrences)
    {
        // Acronyms defined in place: "the European Regions Airline Association (ERAA)".
        foreach (var o in occurrences)
        {
            var t = o.Source.Tokens;
            var paren = o.End < t.Count && t[o.End].Kind == TokenKind.Possessive ? o.End + 1 : o.End; // "the Film Council's (UKFC) plan"
            // The first definition holds: a later "the Planning Tools (PT)" adds no entity of its own.
            if (paren + 2 < t.Count && t[paren].Kind == TokenKind.OpenParen && t[paren + 1].IsWord && t[paren + 2].Kind == TokenKind.CloseParen
                && (Entity.IsAcronym(t[paren + 1].Text) || SpelledAsAWord(Initials(o.Name), t[paren + 1].Text)) && !acronyms.ContainsKey(t[paren + 1].Text))
            {
                acronyms[t[paren + 1].Text] = GetOrAdd(o.Name);
            }
        }

        foreach (var o in occurrences)
        {
            if (!writtenIn.TryGetValue(o.Name, out var written))
            {
                writtenIn[o.Name] = written = [];
            }

            written.Add(o.Sentence);
        }

        static bool AfterThe(Occurrence o) => o.Start > 0 && o.Source.Tokens[o.Start - 1].Is("the");
        bare.UnionWith(occurrences.Where(o => !o.Name.Contains(' ', StringComparison.Ordinal) && !AfterThe(o)).Select(o => o.Name));
        midSentence.UnionWith(occurrences.Where(o => o.Sentence >= 0 && o.Start > 0 && o.Source.Tokens[o.Start - 1].Kind is not (TokenKind.Quote or TokenKind.Colon or TokenKind.Stop)).Select(o => o.Name));
        alwaysWithThe.UnionWith(occurrences.GroupBy(o => o.Name, StringComparer.Ordinal).Where(g => g.All(AfterThe)).Select(g => g.Key));

        // The fullest forms: names of several words no longer name of the article begins or ends with, or spells unspaced.
        var distinct = occurrences.Select(o => o.Name).Distinct(StringComparer.Ordinal).ToList();
        var parts = new HashSet<string>(StringComparer.Ordinal);
        var longestUnspaced = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in distinct)
        {
            // "Rob Kent" stays a name of its own beside the firm "Rob Kent & Partners".
            parts.UnionWith(ProperParts(name).Where(p => !name.StartsWith(p + " & ", StringComparison.Ordinal) && !name.StartsWith(p + " and ", StringComparison.Ordinal)));
            var key = Unspaced(name);
            longestUnspaced[key] = Math.Max(longestUnspaced.GetValueOrDefault(key), name.Length);
        }

        foreach (var full in distinct.Where(n => n.Contains(' ', StringComparison.Ordinal)
            && (Entity.IsAcronym(n) || !(parts.Contains(n) || longestUnspaced[Unspaced(n)] > n.Length))))
        {
            GetOrAdd(full);
        }

        // Occurrences come in sentence order, so each name's sentences are sorted.
        // A surname two full names share goes to the one named last outside quotations, which may misspell a name.
        var at = occurrences.Where(o => !o.Quoted).GroupBy(o => o.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(o => o.Sentence).ToList(), StringComparer.Ordinal);
        foreach (var o in occurrences)
        {
            o.Entity = Resolve(o.Name, o.Sentence, at) ?? GetOrAdd(o.Name);
            o.Entity.Mentions.Add((o.Sentence, o.Quoted));
            if (!mentions.TryGetValue(o.Sentence, out var list))
            {
                mentions[o.Sentence] = list = [];
            }

            list.Add((o.Entity, o.Start, o.End));
            if (!o.Quoted)
            {
                if (!unquoted.TryGetValue(o.Sentence, out var outside))
                {
                    unquoted[o.Sentence] = outside = [];
                }

                outside.Add(o.Entity);
            }
        }

        foreach (var e in entities)
        {
            e.Mentions.Sort((a, b) => a.Sentence.CompareTo(b.Sentence));
        }
    }

    private Entity GetOrAdd(string name)
    {
        if (byName.TryGetValue(name, out var existing))
        {
            return existing;
        }

        var entity = new Entity(name);
        order[entity] = entities.Count;
        entities.Add(entity);
        byName[name] = entity;
        foreach (var part in ProperParts(name).Distinct(StringComparer.Ordinal))
        {
            AddTo(byPart, part, entity);
        }

        AddTo(byUnspaced, Unspaced(name), entity);
        if (name.Contains(' ', StringComparison.Ordinal))
        {
            AddTo(byInitials, Initials(name), entity);
            wordsOfLongerNames.UnionWith(name.Split(' '));
        }

        return entity;
    }

    private static void AddTo(Dictionary<string, List<Entity>> index, string key, Entity entity)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(entity);
    }

    /// <summary>The first words and the last words of a name, fewer than all of them: "Gordon", "Brown" of "Gordon Brown".</summary>
    private static IEnumerable<string> ProperParts(string name)
    {
        for (var i = name.IndexOf(' ', StringComparison.Ordinal); i >= 0; i = name.IndexOf(' ', i + 1))
        {
            yield return name[..i];
            yield return name[(i + 1)..];
        }
    }

    /// <summary>"Marks and Spencer", "Rob Kent & Partners": a name of two joined, which none of its parts stands for.</summary>
    private static bool Joined(string name) => name.Contains(" and ", StringComparison.Ordinal) || name.Contains(" & ", StringComparison.Ordinal);

    private static string Unspaced(string name) => name.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>The entity a name stands for near a sentence, or null when the article gives no fuller form.</summary>
    public Entity? Find(string name, int sentence) => Resolve(name, sentence, null);

    private Entity? Resolve(string name, int sentence, Dictionary<string, List<int>>? occurrences)
    {
        if (acronyms.TryGetValue(name, out var defined))
        {
            return defined;
        }

        var exact = byName.GetValueOrDefault(name);
        var candidates = Entity.IsAcronym(name)
            ? byInitials.GetValueOrDefault(name) ?? []
            : Longer(name).Where(e => (Joined(name) || !Joined(e.Name)) && !Product(name, e) && !NamedBeside(name, e, sentence) && !AloneFirst(name, e)).ToList();

        if (candidates.Count == 0)
        {
            return (occurrences is null ? Clipped(name) : null) ?? exact; // while names are gathered, "Lib Dems" keeps its own mentions
        }

        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        // "Norvo Systems launched Norvo Cloud …; Norvo said": a firm's first word is the firm the article named first,
        // not what it named after the firm later (a product, a service, a magazine's offshoot).
        if (candidates.All(e => e.Name.StartsWith(name + " ", StringComparison.Ordinal)))
        {
            return candidates[0];
        }

        // A surname two people share: the one named last before this sentence, else the first named after it.
        int Distance(Entity e)
        {
            var unquoted = e.Mentions.Where(m => !m.Quoted).Select(m => m.Sentence).ToList();
            var (count, at) = occurrences is null
                ? (unquoted.Count, (Func<int, int>)(k => unquoted[k]))
                : occurrences.TryGetValue(e.Name, out var list) ? (list.Count, k => list[k]) : (0, _ => 0);
            if (count == 0)
            {
                return int.MaxValue - 1000;
            }

            var before = LastBelow(count, at, sentence + 1);
            return before >= 0 ? sentence - at(before) : 1000 + at(0);
        }

        return candidates.OrderBy(Distance).ThenByDescending(e => e.Name.Length).First();
    }

    /// <summary>
    /// "Nintendo said …" in an article that writes "the Nintendo DS": a firm written on its own is not the longer name
    /// that begins with it and always takes "the" (its product, a team, a service), as "Gordon" is "Gordon Brown".
    /// </summary>
    private bool Product(string name, Entity longer) =>
        bare.Contains(name) && alwaysWithThe.Contains(longer.Name) && longer.Name.StartsWith(name + " ", StringComparison.Ordinal);

    /// <summary>
    /// "Nintendo is releasing a console …" long before "Nintendo Europe's general manager": a name written on its own before
    /// any longer name that begins with it is its own (the firm, not its regional arm named later).
    /// </summary>
    private bool AloneFirst(string name, Entity longer) =>
        bare.Contains(name) && longer.Name.StartsWith(name + " ", StringComparison.Ordinal) && midSentence.Contains(name)
        && writtenIn.TryGetValue(name, out var alone) && writtenIn.TryGetValue(longer.Name, out var full)
        && alone.Where(s => s >= 0).DefaultIfEmpty(int.MaxValue).Min() < full.Where(s => s >= 0).DefaultIfEmpty(int.MaxValue).Min(); // a headline shortens names

    /// <summary>
    /// "Brisk said it would put Brisk Box in more homes": a name's first word written in the same sentence as the name
    /// in full is something else (the firm beside its product), not a short form of it.
    /// </summary>
    private bool NamedBeside(string name, Entity longer, int sentence) =>
        longer.Name.StartsWith(name + " ", StringComparison.Ordinal) && writtenIn.TryGetValue(longer.Name, out var written) && written.Contains(sentence);

    /// <summary>
    /// "Lib Dems" for the "Liberal Democrats" the article names: a name of two or more clipped words, each the start of
    /// the same word of a longer name (a plural "s" set aside); the only such name.
    /// </summary>
    private Entity? Clipped(string name)
    {
        var words = name.Split(' ');
        if (words.Length < 2 || words.Any(w => w.Length < 3 || !char.IsUpper(w[0])))
        {
            return null;
        }

        static bool Starts(string longer, string clipped)
        {
            var stem = clipped.EndsWith('s') && longer.EndsWith('s') ? clipped[..^1] : clipped;
            return stem.Length >= 3 && longer.Length > stem.Length && longer.StartsWith(stem, StringComparison.Ordinal);
        }

        var found = entities.Where(e => e.Name != name && e.Name.Split(' ') is var full && full.Length == words.Length
            && full.Zip(words).All(p => p.First == p.Second || Starts(p.First, p.Second)) && !full.SequenceEqual(words)).Take(2).ToList();
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>The index of the last of <paramref name="count"/> ascending sentence numbers below <paramref name="bound"/>, or −1.</summary>
    internal static int LastBelow(int count, Func<int, int> sentenceAt, int bound)
    {
        var (low, high) = (0, count - 1);
        while (low <= high)
        {
            var mid = (low + high) / 2;
            (low, high) = sentenceAt(mid) < bound ? (mid + 1, high) : (low, mid - 1);
        }

        return high;
    }

    /// <summary>
    /// The longer names a short form stands for — whose first or last words it is, or which it spells unspaced — in the
    /// order the article gave them.
    /// </summary>
    private List<Entity> Longer(string name)
    {
        var found = new List<Entity>();
        if (byPart.TryGetValue(name, out var named))
        {
            found.AddRange(named);
        }

        if (byUnspaced.TryGetValue(Unspaced(name), out var spelled))
        {
            found.AddRange(spelled.Where(e => e.Name.Length > name.Length && !found.Contains(e)));
        }

        found.Sort((a, b) => order[a].CompareTo(order[b]));
        return found;
    }

    /// <summary>
    /// "the Entertainment and Leisure Software Publishers Association (Elspa)": the <paramref name="initials"/> of the name
    /// before them written as a word, a capital and then lower case.
    /// </summary>
    private static bool SpelledAsAWord(string initials, string word) =>
        word.Length >= 3 && char.IsUpper(word[0]) && word.Skip(1).All(char.IsLower)
        && string.Equals(initials, word, StringComparison.OrdinalIgnoreCase);

    private static string Initials(string name) =>
        string.Concat(name.Split(' ', '-').Where(w => w.Length > 0 && w is not ("of" or "and" or "the" or "for" or "&" or "de")).Select(w => char.ToUpperInvariant(w[0])));

    /// <summary>Person or body, "the" or not, and role words, from what stands around each mention.</summary>
    private static void Evidence(List<Occurrence> occurrences)
    {
        foreach (var o in occurrences)
        {
            var e = o.Entity!;
            var t = o.Source.Tokens;
            foreach (var title in o.Titles)
            {
                e.Roles.Add(title.ToLowerInvariant());
                if (!NewsLexicon.IsDemonym(title))
                {
                    e.PersonEvidence += 2;
                }

                if (NewsLexicon.MaleTitles.Contains(title))
                {
                    e.Male += 3;
                }
                else if (NewsLexicon.FemaleTitles.Contains(title))
                {
                    e.Female += 3;
                }
            }

            var words = e.Name.Split(' ');
            var ofAt = Array.FindIndex(words, w => w is "of" or "for");
            // "New Labour", "Scottish Conservatives": a party's name closing a longer one is a party's, not a surname.
            if ((NewsLexicon.BodyHeads.Contains(words[^1]) && words.Length > 1) || Entity.IsAcronym(e.Name) || (ofAt > 0 && NewsLexicon.BodyHeads.Contains(words[ofAt - 1]))
                || (words.Length > 1 && NewsLexicon.PartyNames.Contains(words[^1])))
            {
                e.BodyEvidence += 3;
            }

            if (o.Start > 0 && t[o.Start - 1].Kind is not (TokenKind.Quote or TokenKind.Colon or TokenKind.Stop))
            {
                e.OpeningsOnly = false;
            }

            // "The Reporters Without Borders group": that "the" belongs to "group", not to the name.
            // So does "the Google toolbar": a name before a plain noun is its modifier.
            var theOfNoun = o.End < t.Count && t[o.End].IsWord && !t[o.End].Quoted
                && (NewsLexicon.BodyNouns.Contains(t[o.End].Text) || (!char.IsUpper(t[o.End].Text[0]) && PlainNoun(t[o.End].Lower)));
            if (o.Start > 0 && t[o.Start - 1].Is("the") && theOfNoun)
            {
                e.BodyEvidence += 1;
            }
            else if (o.Start > 0 && t[o.Start - 1].Is("the"))
            {
                e.WrittenWithThe = true;
                e.BodyEvidence += 1; // people are not "the Xs"; bodies and titles of works are
            }
            // "Web tracker Envisional said": a body's own form standing without "the" (not "the month-old Committee to …",
            // nor "an Acme spokesman").
            else if (o.Sentence >= 0 && o.Name == e.Name && !theOfNoun && !(o.Start > 0 && t[o.Start - 1].IsWord && NewsLexicon.Determiners.Contains(t[o.Start - 1].Lower))
                && !(o.Start > 1 && t[o.Start - 2].Is("the") && t[o.Start - 1].IsWord && !char.IsUpper(t[o.Start - 1].Text[0])))
            {
                e.WrittenBare = true;
            }

            // Words in front: "race director David Bedford", "investment bank Morgan Stanley".
            var roleWords = new List<string>();
            // "Shadow home secretary Ann Lowe": a role word opening the sentence is capitalised only for that.
            for (var i = o.Start - 1; i >= 0 && t[i].IsWord && (!char.IsUpper(t[i].Text[0]) || (i == 0 && NewsLexicon.RoleWords.Contains(t[i].Text)))
                && !NewsLexicon.Determiners.Contains(t[i].Lower) && !SpeechTokensIsFunction(t[i].Lower); i--)
            {
                roleWords.Add(t[i].Lower);
            }

            if (roleWords.Count > 0)
            {
                var adjacent = roleWords[0];
                // "the official Xinhua News Agency": before a body's name the word is an adjective, not a person's role.
                if (SpeakerPhrase.IsPersonNoun(adjacent) && !(words.Length > 1 && NewsLexicon.BodyHeads.Contains(words[^1])))
                {
                    e.PersonEvidence += 2;
                    e.Roles.UnionWith(roleWords);
                }
                else if (NewsLexicon.BodyNouns.Contains(adjacent))
                {
                    e.BodyEvidence += 2;
                    e.Roles.UnionWith(roleWords); // "telecoms regulator Ofcom" is "the regulator" later
                    e.Roles.Add(SpeakerPhrase.Singular(adjacent)); // "administrators Rob Kent & Partners" is "the administrator" too
                    e.Company |= NewsLexicon.CompanyNouns.Contains(adjacent);
                }
            }

            // "BA's chief executive", "Sotheby's worldwide head": the owner of a role is a body.
            if (o.End + 1 < t.Count && t[o.End].Kind == TokenKind.Possessive)
            {
                for (var i = o.End + 1; i < t.Count && i < o.End + 4 && t[i].IsWord && !char.IsUpper(t[i].Text[0]); i++)
                {
                    if (OwnedRoles.Contains(t[i].Lower))
                    {
                        e.BodyEvidence += 1;
                        break;
                    }
                }
            }

            // ", the Italian food group," / ", BA's chief executive," after the name; "India's finance minister, X" before it.
            if (o.End < t.Count && t[o.End].Kind == TokenKind.Comma)
            {
                var apposition = Until(t, o.End + 1);
                Apposition(e, apposition);
            }

            if (o.Start > 1 && t[o.Start - 1].Kind == TokenKind.Comma)
            {
                var from = o.Start - 2;
                while (from > 0 && t[from - 1].Kind is not (TokenKind.Comma or TokenKind.Quote or TokenKind.Colon or TokenKind.Stop) && !t[from - 1].Quoted)
                {
                    from--;
                }

                var before = t.Skip(from).Take(o.Start - 1 - from).ToList();
                if (before.Count > 0 && before.Count <= 8 && NameRunsEnd(before) is false)
                {
                    Apposition(e, before);
                }
            }

            // "X said it would…", "X says its…": a body speaks of itself as "it".
            for (var i = o.End; i < t.Count && i < o.End + 8; i++)
            {
                if (t[i].Quoted || t[i].Kind is TokenKind.Stop)
                {
                    break;
                }

                if (t[i].IsWord && NewsLexicon.ReportingVerb(t[i].Lower) is not null)
                {
                    for (var j = i + 1; j < t.Count && j < i + 5; j++)
                    {
                        if (t[j].Is("it") || t[j].Is("its"))
                        {
                            e.BodyEvidence += 2;
                            break;
                        }

                        if (t[j].Is("he") || t[j].Is("she") || t[j].Is("his") || t[j].Is("her"))
                        {
                            e.PersonEvidence += 1;
                            break;
                        }
                    }

                    if (i == o.End && words.Length > 1)
                    {
                        e.PersonEvidence += 1; // a full name that speaks: "Jacques Barrot said", "Alan Greenspan highlighted"
                    }

                    break;
                }
            }

            if (o.Start > 1 && t[o.Start - 1].IsWord && NewsLexicon.ReportingVerb(t[o.Start - 1].Lower) is not null && t[o.Start - 2].Kind is TokenKind.Quote or TokenKind.Comma && words.Length > 1)
            {
                e.PersonEvidence += 1;
            }

            // "economist at Lehman Brothers", "Cara Diemont of IT firm Dimension Data".
            if (o.Start > 1 && t[o.Start - 1].IsWord && t[o.Start - 1].Lower is "at" or "of" or "from" && t[o.Start - 2].IsWord && SpeakerPhrase.IsPersonNoun(t[o.Start - 2].Lower))
            {
                e.BodyEvidence += 1;
            }
        }
    }

    private static bool SpeechTokensIsFunction(string lower) =>
        lower is "and" or "or" or "but" or "of" or "in" or "at" or "on" or "for" or "with" or "by" or "from" or "to" or "as" or "said"
            or "says" or "told" or "that" or "who" or "which" || NewsLexicon.ReportingVerb(lower) is not null || NewsLexicon.Be.Contains(lower)
            || NewsLexicon.BetweenSubjectAndVerb.Contains(lower);

    private static bool NameRunsEnd(List<Token> segment)
    {
        var runs = SpeechTokens.NameRuns(segment, 0, segment.Count);
        return runs.Count > 0 && runs[^1].End == segment.Count && CleanIsName(segment, runs[^1]);
    }

    private static bool CleanIsName(List<Token> segment, (int Start, int End) run) =>
        SpeakerPhrase.CleanName(segment.Skip(run.Start).Take(run.End - run.Start).ToList()).Name is not null;

    private static List<Token> Until(IReadOnlyList<Token> t, int from)
    {
        var list = new List<Token>();
        for (var i = from; i < t.Count && t[i].Kind is not (TokenKind.Comma or TokenKind.Stop or TokenKind.Quote or TokenKind.Colon or TokenKind.Semicolon) && !t[i].Quoted; i++)
        {
            list.Add(t[i]);
        }

        return list;
    }

    private static void Apposition(Entity e, List<Token> apposition)
    {
        var words = apposition.Where(x => x.IsWord).Select(x => x.Lower).ToList();
        if (words.Count == 0 || NewsLexicon.Relatives.Contains(words[0]) || words.Any(w => NewsLexicon.Be.Contains(w) || w is "has" or "have" or "had"))
        {
            return;
        }

        // The head noun: the last word before a preposition ("the Italian food group | at the centre of …").
        var head = words.Count - 1;
        for (var i = 1; i < words.Count; i++)
        {
            if (words[i] is "of" or "at" or "for" or "in" or "from" or "with" or "to")
            {
                head = i - 1;
                break;
            }
        }

        if (head >= 7)
        {
            return;
        }

        var noun = words[head];
        if (SpeakerPhrase.IsPersonNoun(noun) || SpeakerPhrase.IsPersonNoun(SpeakerPhrase.Singular(noun)))
        {
            e.PersonEvidence += 2;
            foreach (var w in words.Where(w => !NewsLexicon.Determiners.Contains(w) && w is not ("of" or "at" or "for" or "in" or "and" or "the")))
            {
                e.Roles.Add(w);
                e.Roles.Add(SpeakerPhrase.Singular(w));
            }

            if (NewsLexicon.FemaleTitles.Contains(noun))
            {
                e.Female += 2;
            }
            else if (NewsLexicon.MaleTitles.Contains(noun))
            {
                e.Male += 2;
            }
        }
        else if (NewsLexicon.BodyNouns.Contains(noun))
        {
            e.BodyEvidence += 2;
            e.Roles.Add(noun);
            e.Company |= NewsLexicon.CompanyNouns.Contains(noun);
        }
    }

    /// <summary>A person's sex from the pronouns that follow a sentence naming only them.</summary>
    private void Genders(IReadOnlyList<TokenizedSentence> sentences)
    {
        for (var i = 0; i < sentences.Count; i++)
        {
            if (!mentions.TryGetValue(i, out var list))
            {
                continue;
            }

            // The sentence's subject, if a name that may be a person's: the pronoun that follows it speaks of them.
            var (person, first, end) = list.OrderBy(m => m.Token).FirstOrDefault();
            if (person is null || person.Kind == EntityKind.Body || !IsSubject(sentences[i].Tokens, first, end))
            {
                continue;
            }

            // "Realising his error, Mr Campbell…": a participle opening the sentence, not a person "his" speaks of.
            if (person.OpeningsOnly && !person.Name.Contains(' ', StringComparison.Ordinal) && EnglishSuffix().IsMatch(person.Name))
            {
                continue;
            }

            var pronoun = FirstPronoun(sentences[i].Tokens, end) ?? (i + 1 < sentences.Count && !mentions.ContainsKey(i + 1) ? FirstPronoun(sentences[i + 1].Tokens, 0) : null);
            if (pronoun == 'm')
            {
                person.Male++;
                person.PersonEvidence++;
            }
            else if (pronoun == 'f')
            {
                person.Female++;
                person.PersonEvidence++;
            }
        }
    }

    private static char? FirstPronoun(IReadOnlyList<Token> t, int from)
    {
        for (var i = from; i < t.Count; i++)
        {
            if (t[i].Quoted || !t[i].IsWord)
            {
                continue;
            }

            if (NewsLexicon.MalePronouns.Contains(t[i].Text))
            {
                return 'm';
            }

            if (NewsLexicon.FemalePronouns.Contains(t[i].Text))
            {
                return 'f';
            }
        }

        return null;
    }

    /// <summary>Words that make an office another one: "the foreign secretary" is not the shadow foreign secretary, nor a former one.</summary>
    private static readonly HashSet<string> OtherOffice = new(StringComparer.Ordinal) { "shadow", "former", "deputy", "acting", "vice", "junior", "assistant" };

    /// <summary>
    /// A shadow, former or deputy holder is not the holder, either way round: "the foreign secretary" is not the shadow
    /// foreign secretary, and "the shadow chancellor" is not the chancellor.
    /// </summary>
    public static bool HoldsOtherPost(Entity e, string head, IReadOnlyList<string> modifiers) =>
        e.Roles.Any(r => OtherOffice.Contains(r) && !modifiers.Contains(r))
        || (modifiers.Any(OtherOffice.Contains) && e.Roles.Contains(head) && !modifiers.Where(OtherOffice.Contains).All(e.Roles.Contains));

    /// <summary>The person an article describes by this role ("minister" with "finance", "india"), nearest before the sentence, else the first after.</summary>
    public Entity? ByRole(string head, IReadOnlyList<string> modifiers, int sentence, Entity? exclude = null, int? within = null)
    {
        var singular = SpeakerPhrase.Singular(head);
        var matches = entities
            .Where(e => e.Kind != EntityKind.Body && e != exclude && (e.Roles.Contains(head) || e.Roles.Contains(singular)) && !HoldsOtherPost(e, head, modifiers))
            .Where(e => within is null || e.MentionedWithin(sentence, within.Value))
            .Select(e => (Entity: e, Score: modifiers.Count(m => e.Roles.Contains(m))))
            .ToList();
        if (matches.Count == 0)
        {
            return null;
        }

        var best = matches.Max(m => m.Score);
        return matches.Where(m => m.Score == best)
            .Select(m => m.Entity)
            .OrderBy(e => e.LastMentionBefore(sentence) is { } last ? sentence - last : (e.Mentions.Count > 0 ? 1000 + e.Mentions[0].Sentence : int.MaxValue))
            .First();
    }

    /// <summary>A lower-case word that is no verb, adverb or function word: "toolbar", "documentary", "plan".</summary>
    private static bool PlainNoun(string word) =>
        word.Length > 2 && NewsLexicon.ReportingVerb(word) is null && !NewsLexicon.Be.Contains(word) && !NewsLexicon.BetweenSubjectAndVerb.Contains(word)
        && !NewsLexicon.NotReported.Contains(word) && !NewsLexicon.Subordinators.Contains(word) && !NewsLexicon.Relatives.Contains(word)
        && !NewsLexicon.Determiners.Contains(word) && word is not ("and" or "or" or "but" or "has" or "have" or "had" or "does" or "did" or "says")
        && !word.EndsWith("ed", StringComparison.Ordinal) && !word.EndsWith("ly", StringComparison.Ordinal) && !word.EndsWith('s');

    /// <summary>How the name is written as a speaker: a body with "the" when the article always writes it so or its kind takes it.</summary>
    public static string Display(Entity e)
    {
        if (e.Kind == EntityKind.Person)
        {
            return e.Name;
        }

        var last = e.Name.Split(' ')[^1];
        // An acronym takes "the" only where the article writes it so ("the BBC"), not "IBM", "BT"; "The Acme reports said" gives
        // no "the" to a name the article writes without one elsewhere ("Acme is a firm in Leeds").
        var the = (e.WrittenWithThe && !e.WrittenBare) || (!e.Company && e.Name.Contains(' ', StringComparison.Ordinal) && NewsLexicon.TheHeads.Contains(last));
        return the ? "the " + e.Name : e.Name;
    }
}
