namespace Digest.Core.Summarization;

/// <summary>What a speaker phrase points at, before the article resolves it to a name.</summary>
internal abstract record Referent;

/// <summary>A proper name, titles dropped: "Gordon Brown", "Greene", "the IAAF".</summary>
internal sealed record NameReferent(string Name, IReadOnlyList<string> Roles) : Referent;

/// <summary>he, she, it, they.</summary>
internal sealed record PronounReferent(string Pronoun) : Referent;

/// <summary>A person by role: "the bishop", "India's finance minister", "a clergyman", "the 28-year-old".</summary>
internal sealed record RoleReferent(string Head, IReadOnlyList<string> Modifiers, bool Definite, string? Possessor = null) : Referent;

/// <summary>A relative named by first name, "his wife, Sheila": the family name comes from the person "his" points to.</summary>
internal sealed record RelativeReferent(string FirstName, char Of) : Referent;

/// <summary>A body by its kind: "the company", "the council"; <c>NamedOnly</c>: one the article names, else someone unnamed ("a company spokesman").</summary>
internal sealed record BodyReferent(string Head, bool Indefinite = false, bool NamedOnly = false) : Referent;

/// <summary>A definite group named by a common noun: "the tobacco companies", "the judges".</summary>
internal sealed record GroupReferent(string Head, IReadOnlyList<string> Words) : Referent;

/// <summary>Anonymous: "analysts", "officials", "one source", "a spokeswoman" of no named body.</summary>
internal sealed record UnnamedReferent : Referent
{
    public static readonly UnnamedReferent Instance = new();

    /// <summary>"a spokesman" with no body beside him: the body whose spokesperson spoke last, if one did.</summary>
    public static readonly UnnamedReferent Spokesperson = new() { OfTheLastBody = true };

    public bool OfTheLastBody { get; private init; }
}

/// <summary>A document with no author in the phrase: "a report says".</summary>
internal sealed record DocumentReferent : Referent
{
    public static readonly DocumentReferent Instance = new();
}

/// <summary>
/// The author of a document or the body behind a spokesperson: "a report from the FAO", "a Treasury spokesman";
/// <c>Members</c>: people who speak for the body named in front of them ("Labour campaign chiefs").
/// </summary>
internal sealed record SourceReferent(Referent Source, bool FromDocument, bool Members = false) : Referent;

/// <summary>Several speakers: "Mitsubishi and Peugeot said".</summary>
internal sealed record SeveralReferent(IReadOnlyList<Referent> Parts) : Referent;

/// <summary>A person's office, "his office", "Mr Brandt's office": the body that speaks for the person named or pointed to.</summary>
internal sealed record OfficeReferent(string? Owner, char Gender, string Head) : Referent;

/// <summary>A speaker the rules name outright: the prime minister's spokesman is Downing Street.</summary>
internal sealed record FixedReferent(string Name) : Referent;

/// <summary>
/// Reads a speaker phrase — a noun phrase with its appositions, as comma-separated segments — into what it refers to:
/// a name with its titles and role words dropped ("Chancellor Gordon Brown" → Gordon Brown), the name in an apposition
/// when the head is a role ("The Shadow Secretary of State for the Family, Theresa May" → Theresa May), the body behind a
/// spokesperson or a document, a pronoun, a person or body known only by role, or an anonymous source.
/// </summary>
internal static class SpeakerPhrase
{
    private static readonly HashSet<string> Prepositions = new(StringComparer.Ordinal)
    {
        "of", "from", "at", "in", "for", "with", "on", "by", "who", "which", "whose", "whom", "that", "to", "about", "over", "behind",
        "under", "near", "outside", "inside", "into", "close", "familiar",
    };

    private static readonly HashSet<string> Quantifiers = new(StringComparer.Ordinal)
    {
        "one", "some", "many", "most", "several", "half", "few", "none", "two", "three", "four", "all", "each", "both", "others", "other",
        "a", "an",
    };

    private static readonly HashSet<string> TimeWords = new(StringComparer.Ordinal)
    {
        "week", "month", "year", "weekend", "night", "morning", "afternoon", "evening", "season", "summer", "spring", "autumn", "winter",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tonight", "january",
        "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "time",
    };

    private static readonly HashSet<string> Family = new(StringComparer.Ordinal)
    {
        "wife", "husband", "son", "daughter", "brother", "sister", "mother", "father", "widow", "widower",
    };

    private static readonly HashSet<string> DefiniteWords = new(StringComparer.Ordinal)
    {
        "the", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your",
    };

    /// <summary>The "and" that joins the items of a list written with commas ("Germany, France and Britain"): always a split between speakers, even between capitals.</summary>
    internal const string ListAnd = "and,";

    /// <summary>The referent of a speaker phrase given as segments: the head first, appositions after it.</summary>
    public static Referent? Describe(IReadOnlyList<IReadOnlyList<Token>> segments)
    {
        // "Both the prime minister and Chancellor Gordon Brown said": two speakers, each described on its own.
        if (segments.Count == 1 && segments[0].Count > 3 && segments[0][0].Lower == "both" && segments[0].ToList().FindIndex(x => x.Is("and")) is > 1 and var and
            && and < segments[0].Count - 1
            && Describe([segments[0].Skip(1).Take(and - 1).ToList()]) is { } one && Describe([segments[0].Skip(and + 1).ToList()]) is { } other)
        {
            return new SeveralReferent([one, other]);
        }

        Referent? head = null;
        var headIsRole = false;
        // "Minister for Schools, Adult Learning and Skills Sarah Dunn": the items of the office's remit, up to the word after
        // "and", name nobody; the person follows them.
        var remitEnd = RemitEnd(segments);
        for (var s = 0; s < segments.Count; s++)
        {
            if (s > 0 && s < remitEnd)
            {
                continue;
            }

            var segment = s == remitEnd ? segments[s].SkipWhile(x => x.Lower != "and").Skip(2).ToList() : segments[s];
            var (referent, isRole) = DescribeSegment(segment);
            if (referent is null)
            {
                continue;
            }

            if (head is null)
            {
                head = referent;
                headIsRole = isRole;
                if (!isRole && referent is not (UnnamedReferent or DocumentReferent or BodyReferent))
                {
                    return head;
                }

                continue;
            }

            // "The statement, issued by X and Y,": its authors; "The researchers, from the University of Leeds,": their body.
            if (head is DocumentReferent or UnnamedReferent && referent is SourceReferent source)
            {
                return head is DocumentReferent ? source with { FromDocument = true } : source;
            }

            // "India's finance minister, Palaniappan Chidambaram," / "one of their lawyers, Michalis Dimitrakopoulos" / "the UK's
            // music industry body, the BPI,": the name wins.
            if ((headIsRole || head is UnnamedReferent || (head is BodyReferent && segment.Count > 0 && (segment[0].IsCapitalized || segment[0].Is("the"))))
                && referent is NameReferent or SeveralReferent)
            {
                // "his wife, Sheila": a relative named by first name carries the family name of the person "his" points to.
                if (head is RoleReferent { Possessor: "his" or "her" } family && Family.Contains(family.Head) && referent is NameReferent { Name: var first } && !first.Contains(' ', StringComparison.Ordinal))
                {
                    return new RelativeReferent(first, family.Possessor == "his" ? 'm' : 'f');
                }

                return referent;
            }
        }

        return head;
    }

    /// <summary>The segment whose "and" closes the remit the first segment opens, when a name of two words or more follows it; else −1.</summary>
    private static int RemitEnd(IReadOnlyList<IReadOnlyList<Token>> segments)
    {
        if (segments.Count < 2 || !OpensARemit(segments[0]))
        {
            return -1;
        }

        for (var s = 1; s < segments.Count; s++)
        {
            var segment = segments[s];
            if (segment.Count == 0 || !segment.All(x => x.IsWord && !x.Quoted && (x.IsCapitalized || x.Lower == "and")))
            {
                return -1;
            }

            var and = segment.ToList().FindIndex(x => x.Lower == "and");
            if (and >= 0)
            {
                return segment.Count - and >= 4 ? s : -1;
            }
        }

        return -1;
    }

    /// <summary>"Minister for Schools", "Secretary of State for Culture": an office and the first item of its remit.</summary>
    internal static bool OpensARemit(IReadOnlyList<Token> segment) =>
        Enumerable.Range(0, Math.Max(0, segment.Count - 2)).Any(k => NewsLexicon.IsOffice(segment[k].Text) && segment[k + 1].Lower is "for" or "of" && segment[k + 2].IsCapitalized);

    private static (Referent? Referent, bool IsRole) DescribeSegment(IReadOnlyList<Token> raw)
    {
        var tokens = WithoutParentheses(raw);
        var from = 0;
        while (from < tokens.Count && tokens[from].IsWord && NewsLexicon.Openers.Contains(tokens[from].Lower) && from + 1 < tokens.Count)
        {
            from++;
        }

        tokens = tokens.Skip(from).Where(t => t.Kind is TokenKind.Word or TokenKind.Possessive).ToList();

        // A time phrase before the subject: "Last month it said", "On Friday the firm said", "This week analysts said".
        while (tokens.Count > 1 && (TimeWords.Contains(tokens[0].Lower) || tokens[0].Lower is "on" or "in" or "this" or "last" or "next" or "earlier" or "later" && TimeWords.Contains(tokens[1].Lower)))
        {
            tokens.RemoveAt(0);
        }

        if (tokens.Count == 0)
        {
            return (null, false);
        }

        if (tokens.Count == 1 && NewsLexicon.Pronouns.ContainsKey(tokens[0].Text))
        {
            return (new PronounReferent(tokens[0].Lower), false);
        }

        // "one of their lawyers", "half of them", "only 42% of them": a part of a group.
        var of = tokens.FindIndex(t => t.Is("of"));
        if (of >= 1 && of + 1 < tokens.Count && tokens.Take(of).All(t => Quantifiers.Contains(t.Lower) || t.Lower is "only" or "just" or "about" or "nearly" or "almost" or "over" or "around" or "a" or "third" or "quarter" or "fifth" || char.IsDigit(t.Text[0])))
        {
            var rest = DescribeSegment(tokens.Skip(of + 1).ToList());
            return rest.Referent switch
            {
                RoleReferent role => (role with { Definite = false }, true),
                PronounReferent => (UnnamedReferent.Instance, false),
                GroupReferent group when IsPersonNoun(group.Head) => (new RoleReferent(Singular(group.Head), [], false), true),
                _ => (UnnamedReferent.Instance, false),
            };
        }

        // "Leaders of Germany and France", "officials from the FAO": people who speak for the bodies they come from.
        var memberOf = tokens.FindIndex(t => t.IsWord && t.Lower is "of" or "from" or "at");
        if (memberOf >= 1 && memberOf + 1 < tokens.Count && tokens.Take(memberOf).Select((t, i) => t.IsWord && (i == 0 || !t.IsCapitalized)).All(ok => ok)
            && tokens[memberOf - 1].Lower is var member
            && (NewsLexicon.ActingFor.Contains(member) || (member is "officials" or "analysts" or "economists" or "experts" or "strategists" && tokens[memberOf].Lower is "at" or "from"))
            && Objects(tokens.Skip(memberOf + 1).ToList()) is { } members)
        {
            return (new SourceReferent(members, false), false);
        }

        // "No 10", "Number 10": Downing Street.
        if (tokens.Count == 2 && tokens[0].Text is "No" or "Number" && tokens[1].Text == "10")
        {
            return (new FixedReferent("Downing Street"), false);
        }

        // "by the parents of Sam Tully", "by friends of the late Ben Ash": the named one's kin, who are not named themselves.
        var kin = tokens.Count > 3 && tokens[0].Lower == "by" ? (tokens[1].Lower is "the" or "some" or "two" ? 2 : 1) : 0;
        if (kin > 0 && kin + 1 < tokens.Count && NewsLexicon.Kin.Contains(tokens[kin].Lower) && tokens[kin + 1].Is("of"))
        {
            return (UnnamedReferent.Instance, false);
        }

        // ", from the University of Leeds," / ", by the Office for National Statistics,": where the speakers come from.
        if (tokens.Count > 1 && tokens[0].Lower is "from" or "by" or "at" && Objects(tokens.Skip(1).ToList()) is { } origin)
        {
            return (new SourceReferent(origin, tokens[0].Lower == "by"), false);
        }

        // "issued by US Special Envoy Steve Witkoff and Chief Negotiator Rustem Umerov": the agent speaks; "a statement
        // released by the United States and Ukraine", "a report published by the IMF": the document's authors do.
        var agent = tokens.FindIndex(t => t.Is("by"));
        // "carried out by", "drawn up by": a participle with its particle.
        var participle = agent >= 2 && tokens[agent - 1].Lower is "out" or "up" ? agent - 2 : agent - 1;
        if (agent >= 1 && agent + 1 < tokens.Count && participle >= 0 && tokens[participle].IsWord && !char.IsUpper(tokens[participle].Text[0])
            && (tokens[participle].Lower.EndsWith("ed", StringComparison.Ordinal) || tokens[participle].Lower is "drawn" or "written" or "done" or "undertaken"))
        {
            var authors = Objects(tokens.Skip(agent + 1).ToList());
            if (participle == 0)
            {
                return (authors is null ? null : new SourceReferent(authors, true), false);
            }

            var noun = participle >= 1 ? tokens[participle - 1].Lower : "";
            if (authors is not null && (NewsLexicon.Documents.Contains(noun) || NewsLexicon.Spokes.Contains(noun)))
            {
                return (new SourceReferent(authors, true), false);
            }
        }

        var document = tokens.FindIndex(t => t.IsWord && NewsLexicon.Documents.Contains(t.Lower));
        if (document is >= 0 and <= 3 && document + 2 < tokens.Count && tokens[document + 1].Lower is "in" or "from" or "by" or "of" or "at"
            && tokens.Take(document).All(t => t.IsWord && !char.IsUpper(t.Text[0])) && Objects(tokens.Skip(document + 2).ToList()) is { } sources)
        {
            return (new SourceReferent(sources, true), false);
        }

        var conjuncts = SplitConjuncts(tokens);
        var parts = conjuncts.Select(DescribeConjunct).Where(p => p.Referent is not null).ToList();
        if (parts.Count == 0)
        {
            return (null, false);
        }

        var names = parts.Where(p => p.Referent is NameReferent or SourceReferent { FromDocument: false }).Select(p => p.Referent!).ToList();
        if (names.Count >= 2)
        {
            return (new SeveralReferent(names), false);
        }

        if (names.Count == 1)
        {
            var isRole = parts.First(p => p.Referent == names[0]).IsRole;
            return (names[0], isRole);
        }

        return parts[0];
    }

    private static List<Token> WithoutParentheses(IReadOnlyList<Token> tokens)
    {
        var kept = new List<Token>();
        var depth = 0;
        foreach (var t in tokens)
        {
            if (t.Kind == TokenKind.OpenParen)
            {
                depth++;
            }
            else if (t.Kind == TokenKind.CloseParen)
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                kept.Add(t);
            }
        }

        return kept;
    }

    /// <summary>"Analysts and investors", "Costas Kenteris and Katerina Thanou": split at "and"/"or" outside a name's run.</summary>
    private static List<List<Token>> SplitConjuncts(List<Token> tokens)
    {
        var inRun = new bool[tokens.Count];
        foreach (var (start, end) in SpeechTokens.NameRuns(tokens, 0, tokens.Count))
        {
            for (var i = start; i < end; i++)
            {
                inRun[i] = true;
            }
        }

        var parts = new List<List<Token>> { new() };
        for (var i = 0; i < tokens.Count; i++)
        {
            // "the science and technology committee": "and" between two lowercase words of one name's remit is no split.
            var remit = tokens[i].Lower is "and" && i > 0 && i + 2 < tokens.Count && tokens[i - 1].IsWord && !tokens[i - 1].IsCapitalized && tokens[i + 1].IsWord
                && !tokens[i + 1].IsCapitalized && !NewsLexicon.Determiners.Contains(tokens[i + 1].Lower) && tokens.Skip(i + 1).Any(x => NewsLexicon.BodyNouns.Contains(x.Lower));
            if (!remit && ((!inRun[i] && tokens[i].IsWord && tokens[i].Lower is "and" or "or" or "&") || tokens[i].Text == ListAnd) && i > 0 && i + 1 < tokens.Count)
            {
                parts.Add([]);
                continue;
            }

            parts[^1].Add(tokens[i]);
        }

        return parts.Where(p => p.Count > 0).ToList();
    }

    private static (Referent? Referent, bool IsRole) DescribeConjunct(List<Token> tokens)
    {
        // The head noun phrase ends at the first preposition or relative word outside a name: "Mike Powell | of Dresdner".
        var inRun = new bool[tokens.Count];
        foreach (var (start, end) in SpeechTokens.NameRuns(tokens, 0, tokens.Count))
        {
            for (var i = start; i < end; i++)
            {
                inRun[i] = true;
            }
        }

        var cut = tokens.Count;
        for (var i = 1; i < tokens.Count; i++)
        {
            if (!inRun[i] && tokens[i].IsWord && Prepositions.Contains(tokens[i].Lower))
            {
                cut = i;
                break;
            }
        }

        var pre = tokens.Take(cut).ToList();
        var post = tokens.Skip(cut + 1).ToList();
        var preposition = cut < tokens.Count ? tokens[cut].Lower : null;

        var possessive = pre.FindLastIndex(t => t.Kind == TokenKind.Possessive);
        var possessor = possessive > 0 ? pre.Take(possessive).ToList() : [];
        var head = pre.Skip(possessive + 1).ToList();
        var definite = possessor.Count > 0;
        var indefinite = false;
        string? pronounOwner = null;
        while (head.Count > 0 && head[0].IsWord && (NewsLexicon.Determiners.Contains(head[0].Lower) || head[0].Lower is "a" or "an"))
        {
            if (head[0].Lower is "his" or "her" or "its" or "their")
            {
                pronounOwner = head[0].Lower;
            }

            if (DefiniteWords.Contains(head[0].Lower))
            {
                definite = true;
            }
            else
            {
                indefinite = true;
            }

            if (head.Count == 1)
            {
                break;
            }

            head.RemoveAt(0);
        }

        if (head.Count == 0)
        {
            return possessor.Count > 0 ? (NameOf(possessor), false) : (null, false);
        }

        // "Research has found …", "Figures show …": a document noun opening the sentence is no name.
        if (head.Count == 1 && head[0].IsCapitalized && NewsLexicon.Documents.Contains(head[0].Lower))
        {
            head = [new Token(head[0].Lower, TokenKind.Word, head[0].Quoted)];
        }

        var runs = SpeechTokens.NameRuns(head, 0, head.Count);
        var modifiers = head.Where(t => t.IsWord && !char.IsUpper(t.Text[0])).Select(t => t.Lower).ToList();
        var possessorWords = possessor.Where(t => t.IsWord).Select(t => t.Lower).ToList();
        if (runs.Count > 0 && runs[^1].End == head.Count)
        {
            var run = head.Skip(runs[^1].Start).Take(runs[^1].End - runs[^1].Start).ToList();
            // A title in the plural after a first name is a surname: "Fiona Deans", not a group of deans.
            var surname = run.Count == 2 && run[0].IsWord && !NewsLexicon.Titles.Contains(run[0].Text) && run[0].Text is not ("Senior" or "Junior" or "Former" or "Fellow" or "Top") && !NewsLexicon.RoleWords.Contains(run[0].Text)
                && !NewsLexicon.PartyWords.Contains(run[0].Text) && !NewsLexicon.BodyHeads.Contains(run[0].Text) && !NewsLexicon.IsDemonym(run[0].Text)
                && !NewsLexicon.NotNames.Contains(run[0].Text) && run[0].Text.Any(char.IsLower);
            // "Most Gibraltarians", "Norwegians": the people of a place, unnamed.
            // "Ms Deans", "Mr Bishops": after an honorific, a title in the plural is a surname too.
            surname |= run.Count == 2 && run[0].Text is "Mr" or "Ms" or "Mrs" or "Miss" or "Dr" or "Prof" or "Sir" or "Dame" or "Lord" or "Lady";
            var demonyms = run.Count == 1 && run[0].Text.Length > 5 && run[0].Text.EndsWith('s') && NewsLexicon.IsDemonym(run[0].Text[..^1]);
            // "National Union of Students": the people after a body's head and "of" are its remit, not who speaks.
            var bodyOf = Enumerable.Range(1, Math.Max(0, run.Count - 2)).Any(i => run[i].Lower is "of" or "for" && NewsLexicon.BodyHeads.Contains(run[i - 1].Text));
            if (!bodyOf && (demonyms || NewsLexicon.Anonymous.Contains(run[^1].Lower) || (!surname && run[^1].Text.EndsWith('s') && NewsLexicon.Titles.Contains(run[^1].Text[..^1]))))
            {
                return (UnnamedReferent.Instance, false); // "Tory MPs", "Senior Officials"
            }

            // "The Scot", "the Brazilian": a person by nationality, someone the article has named.
            if (definite && possessor.Count == 0 && run.Count == 1 && head.Count == 1 && (NewsLexicon.IsDemonym(run[0].Text) || NewsLexicon.DemonymNouns.Contains(run[0].Text)))
            {
                return (new RoleReferent(run[0].Lower, [], true), true);
            }

            var (name, titles) = CleanName(run);
            var roles = modifiers.Concat(titles.Select(t => t.ToLowerInvariant())).Concat(possessorWords).ToList();
            if (name is not null)
            {
                // "Chairman of Rugby League Ireland, Jim Reynolds, said": a name that is an office's object is a role; a name in apposition wins.
                var office = run.Count > 2 && NewsLexicon.Titles.Contains(run[0].Text) && run[1].Lower is "of" or "for";
                return (new NameReferent(name, roles), office);
            }

            // A title alone, "the Bishop of Durham", "NUJ General Secretary": a person by role.
            var titleHead = titles.Count > 0 ? titles[^1].ToLowerInvariant() : run[^1].Lower;
            return (new RoleReferent(titleHead, roles.Concat(run.Select(t => t.Lower)).Distinct().ToList(), definite || possessor.Count > 0), true);
        }

        // "A survey carried out by the Harbour Trust", "Research conducted by the EOC": the document's author follows "by".
        var authored = head.FindIndex(x => x.IsWord && NewsLexicon.Documents.Contains(x.Lower));
        if (authored >= 0 && authored < head.Count - 1 && preposition == "by" && head.Skip(authored + 1).All(x => x.IsWord && !x.IsCapitalized)
            && head[authored + 1].Lower is var participle && (participle.EndsWith("ed", StringComparison.Ordinal) || participle is "carried" or "drawn" or "written" or "done" or "made" or "undertaken"))
        {
            head = head.Take(authored + 1).ToList();
            if (head[^1].IsCapitalized && head.Count == 1)
            {
                head = [new Token(head[0].Lower, TokenKind.Word, head[0].Quoted)]; // "Research conducted by …" opening the sentence
            }

            runs = SpeechTokens.NameRuns(head, 0, head.Count);
        }

        var noun = head[^1].Lower;
        var modifierName = runs.Count > 0 ? NameOf(head.Skip(runs[^1].Start).Take(runs[^1].End - runs[^1].Start).ToList()) : null;
        var postName = preposition is "for" or "from" or "of" or "by" or "in" or "at" ? Objects(post) : null;
        var possessorName = possessor.Count > 0 ? NameOf(possessor) ?? DescribeConjunct(possessor).Referent : null;
        var possessorText = possessor.Count == 0 ? null
            : possessor.Count == 1 && possessor[0].IsWord && possessor[0].Lower is "his" or "her" or "its" or "their" ? possessor[0].Lower
            : string.Join(' ', possessor.Where(x => x.IsWord).Select(x => x.Text));

        if (NewsLexicon.Spokes.Contains(noun))
        {
            if (possessor.Count > 0 && IsPrimeMinister(possessor))
            {
                return (new FixedReferent("Downing Street"), true);
            }

            // "Liberal Democrat spokeswoman for women Sandra Gidley": a party's spokesperson for a subject, named after it, speaks as herself.
            var named = post.Count;
            while (named > 0 && post[named - 1].IsCapitalized)
            {
                named--;
            }

            if (preposition == "for" && named > 0 && post.Count - named >= 2 && !post[named - 1].IsCapitalized && post[named - 1].IsWord
                && !NewsLexicon.BodyHeads.Contains(post[^1].Text) && CleanName(post.Skip(named).ToList()) is ({ } spokesperson, var spokesTitles))
            {
                return (new NameReferent(spokesperson, [.. spokesTitles.Select(x => x.ToLowerInvariant()), noun]), false);
            }

            // "His spokesman said …", "its spokeswoman": whoever the possessive points to speaks through them.
            var possessedBy = (pronounOwner ?? possessorText) switch { "his" => "he", "her" => "she", "its" => "it", "their" => "they", _ => null };
            var body = modifierName ?? postName ?? possessorName ?? (possessedBy is null ? null : new PronounReferent(possessedBy));
            var onePerson = noun is "spokesman" or "spokeswoman" or "spokesperson";

            // "The Tory spokesman also criticised …": a party's spokesperson named before, who speaks as himself, not the party.
            if (definite && possessor.Count == 0 && post.Count == 0 && onePerson && runs.Count > 0
                && head.Skip(runs[^1].Start).Take(runs[^1].End - runs[^1].Start).All(x => NewsLexicon.PartyWords.Contains(x.Text)))
            {
                return (new RoleReferent(noun, modifiers, true), true);
            }

            // "an agency statement", "a company spokeswoman": the body the noun before it stands for, as "the agency" would.
            if (body is null && modifiers.LastOrDefault(m => NewsLexicon.BodyNouns.Contains(m) && !IsPlural(m) && !NewsLexicon.Spokes.Contains(m) && m is not "media") is { } bodyNoun)
            {
                return (new BodyReferent(bodyNoun, NamedOnly: true), true);
            }

            if (body is null)
            {
                // "the statement" is one named before; "a spokeswoman" of no named body is anonymous.
                return definite && !onePerson ? (DocumentReferent.Instance, true)
                    : (onePerson ? UnnamedReferent.Spokesperson : UnnamedReferent.Instance, true);
            }

            return (new SourceReferent(body, false), true);
        }

        if (NewsLexicon.Documents.Contains(noun))
        {
            var source = modifierName ?? possessorName ?? postName;
            if (source is null && pronounOwner is "its" or "their")
            {
                // "according to its figures": the body "its" points to.
                return (new SourceReferent(new PronounReferent("it"), true), false);
            }

            // "Forecasts predict …", "…, the figures suggest.": evidence in the plural with no author of its own is nobody's
            // words; a single report ("the report said") is the one an author named elsewhere wrote.
            if (source is null && pronounOwner is null && IsPlural(noun))
            {
                return (null, false);
            }

            return source is null ? (DocumentReferent.Instance, false) : (new SourceReferent(source, true), false);
        }

        if (head.Count == 1 && noun is "no" or "number" && post.Count == 0)
        {
            return (null, false);
        }

        // "Labour campaign chiefs", "the Intel researchers": they speak for the body named before them.
        if (NewsLexicon.ActingFor.Contains(noun) && modifierName is not null && possessor.Count == 0)
        {
            return (new SourceReferent(modifierName, false, Members: true), false);
        }

        if (NewsLexicon.Anonymous.Contains(noun) || NewsLexicon.Trades.Contains(noun))
        {
            return (UnnamedReferent.Instance, false);
        }

        // "according to his office", "Mr Brandt's office said": a person's own office, not a body called "the office".
        if (noun == "office" && modifierName is null && post.Count == 0 && !IsPrimeMinister(possessor))
        {
            var pronoun = pronounOwner ?? possessorText;
            if (pronoun is "his" or "her")
            {
                return (new OfficeReferent(null, pronoun == "his" ? 'm' : 'f', noun), false);
            }

            if (possessorName is NameReferent owner)
            {
                return (new OfficeReferent(owner.Name, '\0', noun), false);
            }
        }

        var plural = IsPlural(noun);
        var chiefExecutive = head.Count >= 2 && noun is "executive" or "executives" && head[^2].Lower is "chief" or "senior" or "top";
        if (!chiefExecutive && (NewsLexicon.BodyNouns.Contains(noun) || NewsLexicon.BodyNouns.Contains(Singular(noun))))
        {
            // "the Telegraph group", "the RBC news outlet"; not "a US think-tank", "the Commons science committee"
            // "the IFPI industry body", "the Kantar research firm" too; "the German company", "the US firm" is a firm described by its country.
            if (modifierName is NameReferent && !plural && noun is not ("government" or "administration") && !indefinite
                && !(runs[^1].End - runs[^1].Start == 1 && (NewsLexicon.IsDemonym(head[runs[^1].Start].Text) || NewsLexicon.DemonymNouns.Contains(head[runs[^1].Start].Text)
                    || head[runs[^1].Start].Text is "US" or "UK" or "USA" or "EU"))
                && (runs[^1].End == head.Count - 1 || head.Skip(runs[^1].End).SkipLast(1).All(x => x.IsWord && x.Lower is "news" or "state" or "wire" or "online" or "media" or "tv" or "radio" or "television" or "industry" or "trade" or "lobby" or "research")))
            {
                return (modifierName, false);
            }

            if (plural)
            {
                return definite ? (new GroupReferent(noun, pre.Where(t => t.IsWord).Select(t => t.Text).ToList()), false) : (UnnamedReferent.Instance, false);
            }

            return definite ? (new BodyReferent(noun), false) : indefinite && head.Count == 1 && post.Count > 0 ? (new BodyReferent(noun, Indefinite: true), false) : (UnnamedReferent.Instance, false);
        }

        if (IsPersonNoun(noun) || IsPersonNoun(Singular(noun)))
        {
            if (plural)
            {
                return definite ? (new GroupReferent(noun, pre.Where(t => t.IsWord).Select(t => t.Text).ToList()), false) : (UnnamedReferent.Instance, false);
            }

            var roleWords = modifiers.Concat(possessorWords);
            if (modifierName is NameReferent n)
            {
                roleWords = roleWords.Concat(n.Name.ToLowerInvariant().Split(' '));
            }

            var owner = possessorText ?? pronounOwner;
            return (new RoleReferent(noun, roleWords.Distinct().ToList(), definite && !indefinite, owner), true);
        }

        return (null, false);
    }

    /// <summary>The names after "for"/"from"/"in": "the Wall Street Journal and the Financial Times" → both.</summary>
    private static Referent? Objects(List<Token> post)
    {
        // A capitalised word before a lower-case noun describes it ("several Nordic countries"): no name of its own.
        // "by the EOC last year": a word of time after the name starts no noun of its own.
        var runs = SpeechTokens.NameRuns(post, 0, post.Count).Where(r => !(r.End < post.Count && post[r.End].IsWord && !post[r.End].IsCapitalized
            && post[r.End].Lower is not ("and" or "or" or "last" or "this" or "earlier" or "in" or "on" or "during") && post[r.End].Text != ListAnd && !NewsLexicon.Relatives.Contains(post[r.End].Lower))).ToList();
        var names = runs.Select(r => NameOf(post.Skip(r.Start).Take(r.End - r.Start).ToList())).OfType<Referent>().ToList();
        return names.Count switch
        {
            // "by the Commons home affairs committee": a body whose name runs on in lower case to its head noun, as "the committee" later.
            0 when post.Count > 2 && post[0].Is("the") && post[1].IsCapitalized && NewsLexicon.InstitutionHeads.Contains(post[^1].Lower)
                && post.Skip(2).SkipLast(1).All(x => x.IsWord && !x.Quoted && !x.IsCapitalized) => new BodyReferent(post[^1].Lower),
            0 => null,
            1 => names[0],
            _ => post.Any(t => t.Is("and") || t.Text == ListAnd) ? new SeveralReferent(names) : names[0],
        };
    }

    private static Referent? NameOf(List<Token> tokens)
    {
        if (tokens.Count > 0 && tokens[0].IsWord && DefiniteWords.Contains(tokens[0].Lower))
        {
            tokens = tokens.Skip(1).ToList();
        }

        var runs = SpeechTokens.NameRuns(tokens, 0, tokens.Count);
        if (runs.Count == 0)
        {
            return null;
        }

        var run = tokens.Skip(runs[^1].Start).Take(runs[^1].End - runs[^1].Start).ToList();
        var (name, _) = CleanName(run);
        return name is null ? null : new NameReferent(name, []);
    }

    private static bool IsPrimeMinister(List<Token> possessor)
    {
        var words = possessor.Where(t => t.IsWord).Select(t => t.Lower).ToList();
        return words.Count >= 2 && words[^2] == "prime" && words[^1] == "minister" || words.Count >= 1 && words[^1] == "pm";
    }

    public static bool IsPersonNoun(string noun) =>
        NewsLexicon.PersonNouns.Contains(noun) || noun.EndsWith("-year-old", StringComparison.Ordinal) || NewsLexicon.Titles.Contains(noun)
        || (noun.StartsWith("co-", StringComparison.Ordinal) && noun.Length > 3 && IsPersonNoun(noun[3..])); // "co-chairman", "co-founder"

    public static bool IsPlural(string noun) =>
        noun.Length > 3 && noun.EndsWith('s') && !noun.EndsWith("ss", StringComparison.Ordinal) && Singular(noun) != noun;

    public static string Singular(string noun)
    {
        if (noun.EndsWith("ies", StringComparison.Ordinal) && noun.Length > 4)
        {
            return noun[..^3] + "y";
        }

        if (noun.EndsWith("men", StringComparison.Ordinal))
        {
            return noun[..^3] + "man";
        }

        if (noun.EndsWith('s') && !noun.EndsWith("ss", StringComparison.Ordinal) && noun.Length > 3)
        {
            return noun[..^1];
        }

        return noun;
    }

    /// <summary>
    /// A name run without the titles in front of it and a nationality before a person's name: "Rt Rev Dr Tom Wright" →
    /// Tom Wright, "Secretary of State Marco Rubio" → Marco Rubio, "Russian Dmitriy Bogdanov" → Dmitriy Bogdanov. A run that
    /// is all title ("Shadow Secretary of State for the Family") has no name; a body's name keeps its words ("General Motors").
    /// </summary>
    public static (string? Name, List<string> Titles) CleanName(IReadOnlyList<Token> run)
    {
        var words = run.Where(t => t.IsWord).Select(t => t.Text).ToList();
        var titles = new List<string>();
        if (words.Count == 0)
        {
            return (null, titles);
        }

        // "Office of the Deputy Prime Minister", "Department for Education and Skills", and with the country or the level of
        // government before it, "UK Department of Justice": what follows "of" is the body's remit, not a title.
        var body = Enumerable.Range(0, Math.Max(0, words.Count - 2)).FirstOrDefault(j => NewsLexicon.BodyHeads.Contains(words[j]) && words[j + 1] is "of" or "for", -1);
        if (body >= 0 && words.Take(body).All(w => !NewsLexicon.Titles.Contains(w) && !NewsLexicon.RoleWords.Contains(w) && !NewsLexicon.PersonNouns.Contains(w.ToLowerInvariant())))
        {
            return (string.Join(' ', words), titles);
        }

        // Letters after a name: "Tony Wright MP", "Helena Kennedy QC".
        while (words.Count > 2 && words[^1] is "MP" or "MEP" or "MSP" or "QC" or "KC" or "AM" or "MBE" or "OBE" or "CBE")
        {
            titles.Add(words[^1]);
            words.RemoveAt(words.Count - 1);
        }

        if (words.Count == 1 && NewsLexicon.RoleWords.Contains(words[0]))
        {
            titles.Add(words[0]); // "Head of Youth, Darrell Goulding, said": a role alone, no name
            return (null, titles);
        }

        var endsAsBody = NewsLexicon.BodyHeads.Contains(words[^1]);
        // Titles, and capitalised role nouns in front of a name ("Chief Negotiator Rustem Umerov"), though not one that ends it ("Morning Star").
        var lastTitle = Math.Max(
            words.FindLastIndex(w => NewsLexicon.Titles.Contains(w)),
            words.Take(words.Count - 1).ToList().FindLastIndex(NewsLexicon.RoleWords.Contains));
        if (lastTitle >= 0)
        {
            var rest = lastTitle + 1;
            while (rest < words.Count && words[rest] is "of" or "for")
            {
                rest++;
                if (rest < words.Count && words[rest] is "the")
                {
                    rest++;
                }

                rest++; // the office's object: "of State", "for the Family", "of Durham"
            }

            if (rest >= words.Count)
            {
                if (endsAsBody && !NewsLexicon.Titles.Contains(words[0]))
                {
                    return (string.Join(' ', words), titles); // "Scottish Executive"
                }

                titles.AddRange(words);
                return (null, titles);
            }

            if (!(endsAsBody && rest == lastTitle + 1 && lastTitle == 0 && words.Count == 2))
            {
                titles.AddRange(words.Take(rest));
                words = words.Skip(rest).ToList();
            }
        }

        while (words.Count > 2 && NewsLexicon.PersonNouns.Contains(words[0].ToLowerInvariant()) && !NewsLexicon.BodyHeads.Contains(words[^1]))
        {
            titles.Add(words[0]); // "Novelist Arthur Hailey" at the start of a sentence
            words.RemoveAt(0);
        }

        // A nationality is an affiliation only before a whole name: "Russian Dmitry Peskov". Before a single word it is the
        // name's own first word: "Rhian Beynon", "Welsh Water".
        while (words.Count > 2 && NewsLexicon.IsDemonym(words[0]) && !NewsLexicon.BodyHeads.Contains(words[^1]))
        {
            titles.Add(words[0]);
            words.RemoveAt(0);
        }

        // A party before a person's name is an affiliation, as a nationality is: "Liberal Democrat Sarah Teather".
        while (words.Count > 2 && !NewsLexicon.BodyHeads.Contains(words[^1]) && NewsLexicon.PartyWords.Contains(words[0]))
        {
            titles.Add(words[0]);
            words.RemoveAt(0);
        }

        if (words.Count == 1 && NewsLexicon.IsDemonym(words[0]))
        {
            return (null, titles);
        }

        return (string.Join(' ', words), titles);
    }
}
