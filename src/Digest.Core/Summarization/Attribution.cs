namespace Digest.Core.Summarization;

/// <summary>
/// Who said each sentence of an article, read in order with the whole article as context. A sentence's own
/// attribution is found by <see cref="SpeechClause"/> and resolved against the article: a surname or a first name after
/// "Sir" to the fullest name given (<see cref="ArticleNames"/>), an acronym to its expansion, a role ("the bishop", "India's
/// finance minister") to the person the article describes so, he/she to the last person of that sex named, it to the
/// last body, "a Cabinet Office spokeswoman" to the Cabinet Office, the prime minister's spokesman to Downing Street,
/// anonymous sources to <see cref="Unnamed"/>. A sentence without one that lies in a run of quotations takes the
/// speaker of that quotation, named before it or after it. Several speakers are joined with "; ".
/// </summary>
internal static class Attribution
{
    /// <summary>The speaker of words whose source the article does not name.</summary>
    public const string Unnamed = "unnamed";

    /// <summary>Who said a sentence (null when nobody speaks), and whether the sentence names its speaker itself ("…," he said) rather than continuing a quotation.</summary>
    internal readonly record struct Attributed(string? Speaker, bool OwnClause);

    /// <summary>The speaker of each sentence (null when nobody speaks), the article's sentences given in order.</summary>
    public static IReadOnlyList<string?> Speakers(IReadOnlyList<string> sentences, string? headline = null) =>
        Attribute(sentences, headline).Select(a => a.Speaker).ToList();

    /// <summary>Each sentence's speaker and whether the sentence attributes its words itself.</summary>
    public static IReadOnlyList<Attributed> Attribute(IReadOnlyList<string> sentences, string? headline = null)
    {
        var tokenized = new List<TokenizedSentence>(sentences.Count);
        var inside = false;
        foreach (var sentence in sentences)
        {
            var t = SpeechTokens.Tokenize(sentence, inside);
            inside = t.EndsInsideQuote;
            tokenized.Add(t);
        }

        var names = ArticleNames.Build(tokenized, headline is null ? null : SpeechTokens.Tokenize(headline, false));
        return new Resolver(tokenized, names).Run();
    }

    /// <summary>The speaker of a line written from an article (a chat model's key line): resolved at the article's end.</summary>
    public static string? SpeakerOf(string line, IReadOnlyList<string> article)
    {
        var index = -1;
        for (var i = 0; i < article.Count; i++)
        {
            if (string.Equals(article[i].Trim(), line.Trim(), StringComparison.Ordinal))
            {
                index = i;
                break;
            }
        }

        if (index >= 0)
        {
            return Speakers(article)[index];
        }

        var withLine = article.Append(line).ToList();
        var speakers = Speakers(withLine);
        return speakers[^1];
    }

    private sealed record Speaker(string Text, Entity? Entity, bool Several = false, bool Body = false)
    {
        /// <summary>The words came from a body's spokesperson ("a spokeswoman for Human Rights Watch"): "she added" goes on speaking for it.</summary>
        public bool ThroughSpokesperson { get; init; }

        public bool IsPerson => Entity?.IsPersonLike is true && !Several;

        public bool IsBody => (Entity?.Kind is EntityKind.Body || Body) && !Several;
    }

    private sealed class Resolver(List<TokenizedSentence> sentences, ArticleNames names)
    {
        private const int Lookback = 8;

        private readonly Referent?[] phrases = sentences.Select(SpeechClause.Find).ToArray();
        private readonly Speaker?[] speakers = new Speaker?[sentences.Count];

        /// <summary>Sentences whose speaker is a report going on through a back-shifted "would".</summary>
        private readonly bool[] wentOn = new bool[sentences.Count];

        public IReadOnlyList<Attributed> Run()
        {
            for (var i = 0; i < sentences.Count; i++)
            {
                speakers[i] = phrases[i] is { } phrase ? Resolve(phrase, i) : Continued(i);
            }

            return speakers.Select((s, i) => new Attributed(s?.Text, s is not null && phrases[i] is not null)).ToList();
        }

        private bool InQuotation(int i) => sentences[i].OpensWithQuote || sentences[i].BeginsInsideQuote;

        /// <summary>
        /// A quotation with no attribution of its own takes the speaker of its run of quotations: the nearest attributed
        /// sentence before it in the run, or the sentence that opened the run with a quotation ("He said: "…""); when the
        /// run began without one, the first attribution later in the run ("…" … "…," said Greene.); failing that, whoever
        /// was reported in the sentence just before the run.
        /// </summary>
        private Speaker? Continued(int i)
        {
            if (!InQuotation(i))
            {
                return QuotedPhraseGoingOn(i) ?? ReportGoingOn(i);
            }

            for (var j = i - 1; j >= 0; j--)
            {
                if (InQuotation(j))
                {
                    if (speakers[j] is { } inRun)
                    {
                        return inRun;
                    }

                    continue;
                }

                if (speakers[j] is { } before)
                {
                    return sentences[j].HasQuotation ? before : LaterInRun(i) ?? before;
                }

                // "Mr Negroponte wants the laptops to be common." "Nokia make 200 million phones a year, …": a quotation
                // opening after a sentence about a person, with no attribution in its run, is that person's.
                return LaterInRun(i) ?? SubjectPerson(j) ?? RecentSpeaker(j);
            }

            return LaterInRun(i);
        }

        /// <summary>
        /// "Sir John said "substantial progress" had been made." "The government would "need to be creative and responsive".":
        /// four or more words quoted inside a sentence with no attribution of its own, right after a sentence that
        /// quoted its speaker, are that speaker's still.
        /// </summary>
        private Speaker? QuotedPhraseGoingOn(int i) =>
            i > 0 && speakers[i - 1] is { } previous && previous.Text != Attribution.Unnamed && sentences[i - 1].HasQuotation
            && sentences[i].Tokens.Count(t => t.Quoted && t.IsWord) >= 4
                ? previous
                : null;

        /// <summary>
        /// "Security would be the key theme, Mr Straw said." "Africa would also feature highly.": after a report in the past
        /// tense, a sentence whose main verb is a back-shifted "would" or "could", with nothing in the present before it, goes on with
        /// the report (not "The Lib Dems would …" after "The Tories promise …", nor "The bill, which gets …, would …"). A new
        /// noun as its subject ("The plans would abolish …") goes on only from a report of what would or could be: after
        /// "X said Britain needed …" it is the article's own account.
        /// </summary>
        private Speaker? ReportGoingOn(int i)
        {
            // "The plan would cost £5m." "The money would come from …": a "would" going on from a sentence that went on so.
            var goingOn = i > 0 && wentOn[i - 1];
            if (i == 0 || (phrases[i - 1] is null && !goingOn) || speakers[i - 1] is not { } previous || previous.Text == Attribution.Unnamed
                || sentences[i - 1].OpensWithQuote || !(goingOn || sentences[i - 1].Tokens.Any(t => t.IsWord && !t.Quoted && ReportedInThePast(t.Lower)))
                || !(goingOn || OpensWithAPronoun(sentences[i]) || sentences[i - 1].Tokens.Any(t => t.IsWord && !t.Quoted && t.Lower is "would" or "could" or "should" or "might" or "will")))
            {
                return null;
            }

            var t = sentences[i].Tokens;
            for (var k = 0; k < t.Count && k < 10; k++)
            {
                // A verb of its own before "would" ("The families had hoped the apology would …") makes it a clause of that verb.
                if (!t[k].IsWord || t[k].Quoted || Present.Contains(t[k].Lower) || t[k].Lower.EndsWith("ed", StringComparison.Ordinal) || t[k].Lower is "had" or "was" or "were" or "if" or "when" or "since" or "because" or "although" or "though" or "unless"
                    or "until" or "whereas" or "as" or "once" or "while" or "whilst" or "where" or "whether" or "after" or "before" or "which" or "who" or "whom" or "whose")
                {
                    return null;
                }

                if (t[k].Lower is "would" or "could")
                {
                    wentOn[i] = true;
                    return previous;
                }
            }

            return null;
        }

        /// <summary>"And that would be …", "It would become …": the subject points back into the report.</summary>
        private static bool OpensWithAPronoun(TokenizedSentence sentence) =>
            sentence.Tokens.SkipWhile(x => x.IsWord && x.Lower is "and" or "but" or "so").FirstOrDefault() is { IsWord: true, Quoted: false } first
            && first.Lower is "it" or "that" or "this" or "they" or "these" or "there" or "he" or "she" or "we";

        private static readonly HashSet<string> Present = new(StringComparer.Ordinal) { "is", "are", "has", "have", "does", "do", "says", "say", "will", "can" };

        private static bool ReportedInThePast(string word) =>
            NewsLexicon.ReportingVerb(word) is not null && (word.EndsWith("ed", StringComparison.Ordinal) || word is "said" or "told" or "thought" or "wrote");

        /// <summary>
        /// A quotation after a sentence of narration ("The sessions have been a showcase." "We have had an excellent
        /// response."): the person who spoke in the two sentences before that one, if one did.
        /// </summary>
        private Speaker? RecentSpeaker(int j)
        {
            for (var k = j - 1; k >= 0 && k >= j - 2; k--)
            {
                if (speakers[k] is { IsPerson: true } person)
                {
                    return person;
                }
            }

            return null;
        }

        /// <summary>The person a sentence is about: its subject when a person's name, or he/she opening it.</summary>
        private Speaker? SubjectPerson(int j)
        {
            if (names.PeopleIn(j).FirstOrDefault(p => p.Subject).Entity is { Kind: EntityKind.Person } person && !names.IsOnlyAnOpeningWord(person.Name))
            {
                return new Speaker(ArticleNames.Display(person), person);
            }

            var first = sentences[j].Tokens.FirstOrDefault(x => x.IsWord);
            return first.IsWord && !first.Quoted && first.Lower is "he" or "she" ? Pronoun(first.Lower, j) : null;
        }

        private Speaker? LaterInRun(int i)
        {
            for (var j = i + 1; j < sentences.Count && InQuotation(j); j++)
            {
                if (phrases[j] is { } phrase)
                {
                    return Resolve(phrase, j);
                }
            }

            return null;
        }

        private Speaker? Resolve(Referent referent, int i) => referent switch
        {
            NameReferent name => Named(name.Name, i),
            PronounReferent pronoun => Pronoun(pronoun.Pronoun, i),
            RoleReferent role => Role(role, i),
            RelativeReferent relative => Relative(relative, i),
            BodyReferent { Indefinite: true } body => i <= 1 ? ForwardBody(body.Head, i) : new Speaker(Attribution.Unnamed, null),
            BodyReferent { NamedOnly: true } body => Body(body.Head, i) ?? new Speaker(Attribution.Unnamed, null),
            BodyReferent body => Body(body.Head, i) ?? (i <= 1 ? FirstBodySpeakingAfter(i) : null) ?? Fullest(body.Head, i),
            GroupReferent group => Group(group, i),
            UnnamedReferent { OfTheLastBody: true } => SpokenForLast(i) ?? BodyJustBefore(i) ?? new Speaker(Attribution.Unnamed, null),
            UnnamedReferent => new Speaker(Attribution.Unnamed, null),
            DocumentReferent => DocumentSource(i) ?? LedeReportAuthor(i) ?? LedeBody(i) ?? new Speaker(Attribution.Unnamed, null),
            SourceReferent { Source: PronounReferent } source => Source(source, i) ?? new Speaker(Attribution.Unnamed, null),
            SourceReferent source => Source(source, i),
            SeveralReferent several => Several(several.Parts.Select(p => Resolve(p, i)).OfType<Speaker>().ToList()),
            FixedReferent fixedName => new Speaker(fixedName.Name, null),
            OfficeReferent office => Office(office, i),
            _ => null,
        };

        private Speaker? Named(string name, int i)
        {
            if (names.IsOnlyAnOpeningWord(name))
            {
                return null;
            }

            // "Witkoff and Umerov": two people the article names in full, not one body ("Marks and Spencer").
            var parts = name.Split(" and ");
            if (parts.Length == 2 && names.Find(name, i) is not { Kind: EntityKind.Body }
                && parts.Select(p => names.Find(p, i)).ToList() is [{ IsPersonLike: true } first, { IsPersonLike: true } second] && first != second)
            {
                return new Speaker(ArticleNames.Display(first) + "; " + ArticleNames.Display(second), null, Several: true);
            }

            var entity = names.Find(name, i);
            return entity is null ? new Speaker(name, null) : new Speaker(ArticleNames.Display(entity), entity);
        }

        private Speaker? Source(SourceReferent source, int i)
        {
            if (source is { Members: true, Source: NameReferent { Name: var word } } && names.IsOnlyACommonWord(word))
            {
                return new Speaker(Attribution.Unnamed, null); // "Music industry bosses", "Record company executives": people of a trade
            }

            var speaker = Resolve(source.Source, i);
            if (speaker?.Entity is { Kind: EntityKind.Person } person && !source.FromDocument && person.Roles.Contains("prime") && person.Roles.Contains("minister"))
            {
                return new Speaker("Downing Street", null) { ThroughSpokesperson = true }; // the prime minister's spokesman speaks for Downing Street
            }

            return speaker is null || source.FromDocument || speaker.IsPerson ? speaker : speaker with { ThroughSpokesperson = true };
        }

        /// <summary>
        /// "according to his office": the office of the person "his" points to — the last person of that sex the sentence
        /// names before it, else the one a pronoun would point to — written "Volodymyr Zelenskyy's office"; a body called
        /// "the office" when no person fits.
        /// </summary>
        private Speaker? Office(OfficeReferent office, int i)
        {
            var owner = office.Owner is { } name
                ? names.Find(name, i)
                : names.PeopleIn(i).Select(p => p.Entity).LastOrDefault(e => e.Gender == '\0' || e.Gender == office.Gender)
                    ?? Person(i, office.Gender, lede: false)?.Entity;
            return owner is { IsPersonLike: true }
                ? new Speaker(ArticleNames.Display(owner) + "'s " + office.Head, null, Body: true)
                : Body(office.Head, i) ?? Fullest(office.Head, i);
        }

        private static Speaker? Several(List<Speaker> parts)
        {
            var distinct = parts.DistinctBy(p => p.Text, StringComparer.OrdinalIgnoreCase).ToList();
            return distinct.Count switch
            {
                0 => parts.Count > 0 ? parts[0] : null,
                1 => distinct[0],
                _ => new Speaker(string.Join("; ", distinct.Select(d => d.Text)), null, Several: true),
            };
        }

        private Speaker? Pronoun(string pronoun, int i) => pronoun switch
        {
            "he" or "she" when i > 0 && speakers[i - 1] is { ThroughSpokesperson: true } spokesperson => spokesperson,
            "he" => OwnSubject(i, 'm') ?? (i > 0 && speakers[i - 1] is { IsPerson: true, Entity.Gender: not 'f' } previous ? previous : Person(i, 'm', lede: false)),
            "she" => OwnSubject(i, 'f') ?? (i > 0 && speakers[i - 1] is { IsPerson: true, Entity.Gender: not 'm' } previous ? previous : Person(i, 'f', lede: false)),
            "it" when i > 0 && phrases[i - 1] is DocumentReferent or SourceReferent { FromDocument: true } && speakers[i - 1] is { } document => document, // "A study found …" "It also found …"
            "it" => Body(null, i),
            "they" => Group(i),
            // "we expect", "I think" outside quotation marks: the writer's own voice, or a speaker the article never names.
            _ => null,
        };

        /// <summary>
        /// "Ms Vance wants an inquiry into the fund - cash she says is wasted", "Tom Pike won £50 after he claimed …": he or
        /// she inside the clause of a sentence whose subject is a person of that sex, named in full, is that person (not
        /// "Britain was "placed" to lead, he said", a tag after a comma, nor a sentence that opens with the pronoun).
        /// </summary>
        private Speaker? OwnSubject(int i, char gender)
        {
            var t = sentences[i].Tokens;
            var at = Enumerable.Range(0, t.Count).FirstOrDefault(k => t[k].IsWord && !t[k].Quoted && t[k].Lower == (gender == 'm' ? "he" : "she"), -1);
            if (at <= 0 || t[at - 1].Kind is not TokenKind.Word || t[at - 1].Quoted)
            {
                return null;
            }

            return names.PeopleIn(i).FirstOrDefault(p => p.Subject).Entity is { } person && person.Name.Contains(' ', StringComparison.Ordinal)
                && (person.Gender == '\0' || person.Gender == gender) && !names.IsOnlyAnOpeningWord(person.Name)
                    ? new Speaker(ArticleNames.Display(person), person)
                    : null;
        }

        /// <summary>
        /// "the bishop", "India's finance minister", "the 28-year-old": someone the article has lately described so, else
        /// whoever spoke just before, else the person it is about, else anyone described so, else the last person named. "a clergyman" opening an article is
        /// named in the sentences that follow; elsewhere an indefinite role is someone unnamed.
        /// </summary>
        private Speaker? Role(RoleReferent role, int i)
        {
            var gender = NewsLexicon.FemaleTitles.Contains(role.Head) ? 'f' : NewsLexicon.MaleTitles.Contains(role.Head) ? 'm' : '\0';
            var owner = role.Possessor is { } possessor && possessor is not ("his" or "her" or "its" or "their") ? names.Find(possessor, i) : null;
            bool Fits(Entity e) => e.IsPersonLike && e != owner && (gender == '\0' || e.Gender == '\0' || e.Gender == gender) && !HoldsAnotherOffice(e, role.Head)
                && !ArticleNames.HoldsOtherPost(e, role.Head, role.Modifiers);
            Speaker Of(Entity e)
            {
                // "The prime minister was commenting …" read as Tony Blair: he is the prime minister for the rest of the article.
                if (role.Definite && NewsLexicon.IsOffice(role.Head))
                {
                    e.Roles.Add(role.Head);
                    e.Roles.UnionWith(role.Modifiers);
                }

                return new(ArticleNames.Display(e), e);
            }

            if (!role.Definite)
            {
                return (i <= 1 ? Forward(i, owner) : null) ?? new Speaker(Attribution.Unnamed, null);
            }

            if (names.ByRole(role.Head, role.Modifiers, i, owner, within: 3) is { } described)
            {
                return Of(described);
            }

            // "The home secretary has admitted …" long after "Home Secretary David Blunkett": the office named in full is his,
            // whoever spoke last.
            if (role.Modifiers.Count > 0 && names.ByRole(role.Head, role.Modifiers, i, owner) is { } holder && role.Modifiers.All(holder.Roles.Contains))
            {
                return Of(holder);
            }

            // "Santiago-Ruiz's aunt claims": a relative of someone named, whom the article does not name.
            if (role.Possessor is not null && NewsLexicon.Relations.Contains(role.Head))
            {
                return new Speaker(Attribution.Unnamed, null);
            }

            if (i > 0 && speakers[i - 1] is { IsPerson: true } previous && Fits(previous.Entity!))
            {
                return Of(previous.Entity!);
            }

            if (names.MainPerson is { } main && Fits(main) && main.MentionedWithin(i, 3))
            {
                return Of(main);
            }

            if (names.ByRole(role.Head, role.Modifiers, i, owner) is { } anywhere)
            {
                return Of(anywhere);
            }

            return Person(i, gender, lede: i <= 1, owner, e => !HoldsAnotherOffice(e, role.Head)) is { Entity: { } found } ? Of(found) : new Speaker(Attribution.Unnamed, null);
        }

        /// <summary>
        /// "the first minister" is not someone the article calls its "Holyrood leader" or "political editor": a person
        /// described by an office is not the holder of another one, unless the article gives them both. A spokesperson's
        /// post is no such office: "the Tory spokesman" is often the shadow secretary named before; nor is a seat in a
        /// parliament: "the MEP" may be the party leader named before.
        /// </summary>
        private static bool HoldsAnotherOffice(Entity e, string head) =>
            NewsLexicon.IsOffice(head) && !NewsLexicon.Spokes.Contains(head) && !NewsLexicon.Seats.Contains(head) && !e.Roles.Contains(head) && e.Roles.Any(NewsLexicon.IsOffice)
            && !(head == "minister" && e.Roles.Any(r => r is "secretary" or "chancellor")); // a secretary of state is a minister


        /// <summary>"his wife, Sheila": her first name and the family name of the person "his" points to.</summary>
        private Speaker? Relative(RelativeReferent relative, int i)
        {
            if (Person(i, relative.Of, lede: false) is { Entity: { } person } && person.Name.Contains(' ', StringComparison.Ordinal))
            {
                var full = relative.FirstName + " " + person.Name.Split(' ')[^1];
                return names.Find(full, i) is { } known ? new Speaker(ArticleNames.Display(known), known) : new Speaker(full, null);
            }

            return Named(relative.FirstName, i);
        }

        /// <summary>
        /// The person a pronoun or a role points back to, of fitting sex: the last person who spoke or stood as a
        /// sentence's subject; else the person the article is about, if named lately; else the last person named at all.
        /// </summary>
        private Speaker? Person(int i, char gender, bool lede, Entity? exclude = null, Func<Entity, bool>? accept = null)
        {
            bool Fits(Entity e) => e.IsPersonLike && e != exclude && (gender == '\0' || e.Gender == '\0' || e.Gender == gender) && (accept is null || accept(e));
            Speaker Of(Entity e) => new(ArticleNames.Display(e), e);

            Entity? weak = null;
            for (var j = i - 1; j >= 0 && j >= i - Lookback; j--)
            {
                if (speakers[j] is { IsPerson: true } previous && Fits(previous.Entity!))
                {
                    return previous;
                }

                foreach (var (person, subject) in names.PeopleIn(j))
                {
                    if (!Fits(person) || names.IsOnlyAnOpeningWord(person.Name))
                    {
                        continue;
                    }

                    if (subject && person.Kind == EntityKind.Person)
                    {
                        return Of(person);
                    }

                    weak ??= person;
                }
            }

            if (names.MainPerson is { } main && Fits(main) && main.MentionedWithin(i, Lookback))
            {
                return Of(main);
            }

            if (weak is not null)
            {
                return Of(weak);
            }

            return lede ? Forward(i, exclude) : null;
        }

        /// <summary>The first person named as a speaker, else as a subject, in the few sentences after an opening sentence.</summary>
        private Speaker? Forward(int i, Entity? exclude)
        {
            for (var j = i + 1; j < sentences.Count && j <= i + 3; j++)
            {
                if (phrases[j] is NameReferent name && names.Find(name.Name, j) is { IsPersonLike: true } speaker && speaker != exclude)
                {
                    return new Speaker(ArticleNames.Display(speaker), speaker);
                }

                // "Public transport committee chairman Tom Reddy spoke …": a capitalised first word of the sentence alone is no one.
                if (names.PeopleIn(j).FirstOrDefault(p => p.Subject && p.Entity != exclude && !(p.Entity.OpeningsOnly && !p.Entity.Name.Contains(' ', StringComparison.Ordinal))).Entity is { } named)
                {
                    return new Speaker(ArticleNames.Display(named), named);
                }
            }

            return null;
        }

        /// <summary>"it", "the company": the last body that spoke, else the article's main body, else the last body named.</summary>
        private Speaker? Body(string? head, int i)
        {
            // A firm by its trade ("the software giant", "the carrier") may be any body the article names; an institution
            // ("the court", "the council") must be called so in its name or beside it.
            bool Fits(Entity e) => e.Kind == EntityKind.Body
                && (head is null || (NewsLexicon.CompanyNouns.Contains(head) && !NewsLexicon.IsInstitution(e.Name)) || head is "body" or "organisation" or "organization"
                    || e.Name.Contains(head, StringComparison.OrdinalIgnoreCase) || e.Roles.Contains(head)
                    || (head == "party" && NewsLexicon.IsPartyName(e.Name)));

            // "Labour said …" "The party said …": a party the article names without the word "party".
            for (var j = i - 1; head == "party" && j >= 0 && j >= i - Lookback; j--)
            {
                if (speakers[j] is { Several: false } previous && NewsLexicon.IsPartyName(previous.Text.StartsWith("the ", StringComparison.Ordinal) ? previous.Text[4..] : previous.Text))
                {
                    return previous;
                }
            }

            for (var j = i - 1; j >= 0 && j >= i - Lookback; j--)
            {
                if (speakers[j] is { IsBody: true } previous && (previous.Entity is null ? head is null || previous.Text.EndsWith(head, StringComparison.OrdinalIgnoreCase) : Fits(previous.Entity)))
                {
                    return previous;
                }
            }

            // "Microsoft said …" "The software giant added …" / "It said …": a firm's noun or "it" stands for the last speaker
            // that the article never called a person, though it gave no kind for it either.
            for (var j = i - 1; (head is null || NewsLexicon.CompanyNouns.Contains(head)) && j >= 0 && j >= i - 3; j--)
            {
                if (speakers[j] is { Several: false, Entity: { Kind: EntityKind.Unknown, IsPersonLike: false } unknown } previous && !NewsLexicon.IsInstitution(unknown.Name))
                {
                    return previous;
                }
            }

            // "Delta has been hit by rising costs." "It has said …": "it" or a firm's noun right after a sentence that opens
            // with a name the article never calls a person, and names no other body, is that name, a body from then on ("The
            // airline also said …").
            if (i > 0 && names.OpeningName(i - 1) is { IsPersonLike: false, Kind: not EntityKind.Person } opening && !names.IsOnlyAnOpeningWord(opening.Name)
                && names.MentionsIn(i - 1, outsideQuotes: true).All(e => e == opening || e.IsPersonLike)
                && (head is null ? phrases[i - 1] is null : NewsLexicon.CompanyNouns.Contains(head) && !NewsLexicon.IsInstitution(opening.Name) || Fits(opening)))
            {
                opening.BodyEvidence++;
                return new Speaker(ArticleNames.Display(opening), opening);
            }

            if (names.MainBody is { } main && Fits(main) && main.MentionedWithin(i, 6))
            {
                return new Speaker(ArticleNames.Display(main), main);
            }

            for (var j = i - 1; j >= -1 && j >= i - Lookback; j--)
            {
                if (names.MentionsIn(j, outsideQuotes: true).FirstOrDefault(Fits) is { } mentioned)
                {
                    return new Speaker(ArticleNames.Display(mentioned), mentioned);
                }
            }

            // "Nintendo's new console will launch in March, the company has announced": a firm the article gives no kind for,
            // named lately, before any body named anywhere else ("BBC News", "the US and Japan").
            for (var j = i - 1; head is not null && NewsLexicon.CompanyNouns.Contains(head) && j >= -1 && j >= i - 3; j--)
            {
                if (names.MentionsIn(j, outsideQuotes: true).FirstOrDefault(e => e.Kind == EntityKind.Unknown && !e.IsPersonLike && !NewsLexicon.IsInstitution(e.Name)) is { } firm)
                {
                    return new Speaker(ArticleNames.Display(firm), firm);
                }
            }

            return head is null ? null : names.Entities.Where(Fits).Select(e => new Speaker(ArticleNames.Display(e), e)).FirstOrDefault();
        }

        /// <summary>"A committee of MPs has said …" opening an article: the committee the next sentences name, else someone unnamed.</summary>
        private Speaker ForwardBody(string head, int i)
        {
            for (var j = i + 1; j < sentences.Count && j <= i + 3; j++)
            {
                if (phrases[j] is BodyReferent { Indefinite: false } body && body.Head == head)
                {
                    return Resolve(body, j) ?? new Speaker(Attribution.Unnamed, null);
                }

                if (phrases[j] is NameReferent name && names.Find(name.Name, j) is { Kind: EntityKind.Body } named && named.Name.EndsWith(head, StringComparison.OrdinalIgnoreCase))
                {
                    return new Speaker(ArticleNames.Display(named), named);
                }
            }

            return new Speaker(Attribution.Unnamed, null);
        }

        /// <summary>"the government" no body's name in the article fits: its fullest form there ("the US government"), else as written.</summary>
        private Speaker Fullest(string head, int i)
        {
            var best = (Text: "the " + head, Distance: int.MaxValue);
            for (var j = 0; j < sentences.Count; j++)
            {
                var t = sentences[j].Tokens;
                for (var k = 1; k < t.Count; k++)
                {
                    if (t[k].IsWord && t[k].Lower == head && !t[k].Quoted && Math.Abs(j - i) < best.Distance)
                    {
                        // "the Commons committee", "the Commons science and technology committee": a name, then up to four words of its
                        // remit; a verb among them ends the name before it ("the Tories say government").
                        var name = k - 1;
                        var verbBetween = false;
                        while (name > 0 && name >= k - 5 && t[name].IsWord && !t[name].Quoted && !t[name].IsCapitalized && t[name].Lower is not ("the" or "a" or "its" or "their" or "his" or "her"))
                        {
                            verbBetween |= NewsLexicon.ReportingVerb(t[name].Lower) is not null || NewsLexicon.Be.Contains(t[name].Lower);
                            name--;
                        }

                        if (verbBetween)
                        {
                            continue;
                        }

                        if (SpeechTokens.IsNameWord(t, name) && !NewsLexicon.NotNames.Contains(t[name].Text) && name > 0 && t[name - 1].Is("the"))
                        {
                            best = ("the " + string.Join(' ', t.Skip(name).Take(k - name).Select(x => x.Text)) + " " + head, Math.Abs(j - i));
                        }
                        else if (SpeechTokens.IsNameWord(t, k - 1) && !NewsLexicon.NotNames.Contains(t[k - 1].Text))
                        {
                            // "Public and Commercial Services union members": the whole capitalised name before the head.
                            var first = k - 1;
                            while (first > 0 && SpeechTokens.IsNameWord(t, first - 1) && !NewsLexicon.NotNames.Contains(t[first - 1].Text)
                                || first > 1 && t[first - 1].Lower is "and" or "of" && SpeechTokens.IsNameWord(t, first - 2))
                            {
                                first--;
                            }

                            var run = string.Join(' ', t.Skip(first).Take(k - first).Select(x => x.Text));
                            // "PC Pro magazine", "Acme website": a title the article also gives bare is the body's whole name, and the
                            // noun after it only says what kind of body it is.
                            best = NewsLexicon.KindsNamedBare.Contains(head) && names.Find(run, i) is { Kind: not EntityKind.Person } bare
                                ? (ArticleNames.Display(bare), Math.Abs(j - i))
                                : ("the " + run + " " + head, Math.Abs(j - i));
                        }
                    }
                }
            }

            return new Speaker(best.Text, null, Body: true);
        }

        /// <summary>
        /// "A Kestrel spokesman said …" … "according to a spokesman": the body a spokesperson spoke for last. "In a statement
        /// the RSPCA said …" … "said the statement": the body that spoke in it.
        /// </summary>
        private Speaker? SpokenForLast(int i)
        {
            for (var j = i - 1; j >= 0 && j >= i - Lookback; j--)
            {
                if (speakers[j] is { ThroughSpokesperson: true } body)
                {
                    return body;
                }

                if (phrases[j] is not null && speakers[j] is { IsPerson: false, Several: false } author && author.Text != Attribution.Unnamed && SpeaksInADocument(sentences[j]))
                {
                    return author;
                }
            }

            return null;
        }

        /// <summary>
        /// "The users' group says fares are too high." "But a spokesman said …", "The Home Office declined to comment." "A spokeswoman said:
        /// …": a spokesperson of no named body speaks for the body that opened one of the two sentences before as subject.
        /// </summary>
        private Speaker? BodyJustBefore(int i)
        {
            for (var j = i - 1; j >= 0 && j >= i - 2; j--)
            {
                if (names.OpeningBody(j) is { } body)
                {
                    return new Speaker(ArticleNames.Display(body), body) { ThroughSpokesperson = true };
                }
            }

            return null;
        }

        /// <summary>"they": whoever spoke in the sentence before, if anyone did; otherwise people unnamed.</summary>
        private Speaker Group(int i) =>
            i > 0 && speakers[i - 1] is { } previous && !previous.IsPerson ? previous : new Speaker(Attribution.Unnamed, null);

        /// <summary>"the judges", "the tobacco companies": the fullest form the article gives ("the Whitbread judges").</summary>
        private Speaker Group(GroupReferent group, int i)
        {
            // "the two sides", "both firms": the several who spoke just before, else the bodies named last.
            var count = group.Words.Select(w => w.ToLowerInvariant()).Select(w => w switch { "two" or "both" => 2, "three" => 3, _ => 0 }).Max();
            if (count > 0)
            {
                for (var j = i - 1; j >= 0 && j >= i - 3; j--)
                {
                    if (speakers[j] is { Several: true } several)
                    {
                        return several;
                    }
                }

                if (NewsLexicon.BodyNouns.Contains(group.Head) || NewsLexicon.BodyNouns.Contains(SpeakerPhrase.Singular(group.Head)))
                {
                    var bodies = new List<Entity>();
                    for (var j = i - 1; j >= -1 && j >= i - 3 && bodies.Count < count; j--)
                    {
                        bodies.AddRange(names.MentionsIn(j, outsideQuotes: true).Where(e => e.Kind == EntityKind.Body && !bodies.Contains(e)).Take(count - bodies.Count));
                    }

                    if (bodies.Count == count)
                    {
                        return new Speaker(string.Join("; ", bodies.Select(ArticleNames.Display)), null, Several: true);
                    }
                }
            }

            // "The administrators told …" … "it called in administrators Rob Kent & Partners": the one body the article calls so.
            if (names.Entities.Where(e => e.Kind == EntityKind.Body && e.Roles.Contains(group.Head)).ToList() is [var called])
            {
                return new Speaker(ArticleNames.Display(called), called);
            }

            foreach (var sentence in sentences)
            {
                var t = sentence.Tokens;
                for (var k = 1; k < t.Count; k++)
                {
                    if (t[k].IsWord && t[k].Lower == group.Head && SpeechTokens.IsNameWord(t, k - 1) && !t[k - 1].Quoted)
                    {
                        return new Speaker("the " + t[k - 1].Text + " " + t[k].Text, null);
                    }
                }
            }

            return new Speaker("the " + string.Join(' ', group.Words.Select(w => w.ToLowerInvariant()).SkipWhile(w => w is "the" or "these" or "those")), null);
        }

        /// <summary>
        /// "…, a report says." opening an article, then "The National Audit Office praised ministers …": a report the article
        /// never gives an author for is the first body that speaks in the sentences after the one that introduced it.
        /// </summary>
        private Speaker? LedeReportAuthor(int i)
        {
            for (var lede = 0; lede <= 1 && lede < sentences.Count; lede++)
            {
                if (phrases[lede] is not DocumentReferent)
                {
                    continue;
                }

                return FirstBodySpeakingAfter(lede, i);
            }

            return null;
        }

        /// <summary>
        /// The first body named as a speaker in the three sentences after <paramref name="lede"/> (not in
        /// <paramref name="skip"/>): "…, the UK's spending watchdog has said." then "The National Audit Office said …" is the
        /// body the opening described by its kind alone.
        /// </summary>
        private Speaker? FirstBodySpeakingAfter(int lede, int skip = -1)
        {
            for (var j = lede + 1; j < sentences.Count && j <= lede + 3; j++)
            {
                if (j != skip && phrases[j] is NameReferent name && names.Find(name.Name, j) is { IsPersonLike: false } body)
                {
                    return new Speaker(ArticleNames.Display(body), body);
                }
            }

            return null;
        }

        /// <summary>"says in a report", "said in its annual review", "In a statement the RSPCA said": the sentence's speaker wrote a document.</summary>
        private static bool SpeaksInADocument(TokenizedSentence sentence)
        {
            var t = sentence.Tokens;
            if (t.Count > 3 && t[0].Is("in") && t[1].Lower is "a" or "an" or "its" or "their" && t.Skip(2).Take(3).TakeWhile(x => x.IsWord && !x.Quoted)
                .Any(x => NewsLexicon.Documents.Contains(x.Lower) || x.Lower is "statement"))
            {
                return true;
            }

            for (var k = 1; k + 2 < t.Count; k++)
            {
                if (t[k].Is("in") && !t[k].Quoted && NewsLexicon.ReportingVerb(t[k - 1].Lower) is not null && t[k + 1].Lower is "a" or "an" or "its" or "their" or "the"
                    && t.Skip(k + 2).Take(3).TakeWhile(x => x.IsWord && !x.Quoted).Any(x => NewsLexicon.Documents.Contains(x.Lower)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// "…, the spending watchdog has said." … "The report said: …": with no author given for any document, the report
        /// is the one the body that opens the article published.
        /// </summary>
        private Speaker? LedeBody(int i)
        {
            for (var lede = 0; lede <= 1 && lede < i; lede++)
            {
                if (speakers[lede] is { } opening)
                {
                    return opening.IsBody ? opening : null;
                }
            }

            return null;
        }

        /// <summary>"a report says": the author of the report the article names elsewhere.</summary>
        private Speaker? DocumentSource(int i)
        {
            var order = Enumerable.Range(0, sentences.Count).OrderBy(j => Math.Abs(j - i)).ThenBy(j => j);
            foreach (var j in order)
            {
                if (j != i && phrases[j] is SourceReferent { FromDocument: true } source)
                {
                    return Resolve(source.Source, j);
                }

                // "Famine will spread, Acme Aid says in a report": the body that speaks in a document is its author.
                if (j != i && phrases[j] is NameReferent && SpeaksInADocument(sentences[j]) && Resolve(phrases[j]!, j) is { IsPerson: false } author)
                {
                    return author;
                }
            }

            return null;
        }
    }
}
