namespace Digest.Core.Summarization;

/// <summary>
/// Finds the attribution inside one sentence and returns its speaker phrase, unresolved. It reads the constructions of
/// news reports, outside quotation marks only:
/// <list type="bullet">
/// <item><c>"…," said Robert Sinche, head of …</c> and <c>"…," he said</c> (a reporting verb right after a quotation),</item>
/// <item><c>X, the Y, warned that …</c>, <c>In London, India's finance minister lashed out at …</c> (the subject of a reporting
/// verb, with appositions and scene-setting clauses told apart),</item>
/// <item><c>…, she said.</c>, <c>The window, some believe, could …</c> (parenthetical and trailing attributions),</item>
/// <item><c>according to X</c>, <c>X is confident (that) …</c>, <c>is said to</c> (anonymous), <c>with X saying …</c>.</item>
/// </list>
/// A verb counts only as a finite report: not after "to" or a modal ("will announce"), not as a noun ("the forecast"),
/// not in the passive, and for verbs with other senses only with a speech complement ("added that", not "added 5,000 jobs").
/// </summary>
internal static class SpeechClause
{
    private static readonly HashSet<string> ClauseBoundaries = new(StringComparer.Ordinal)
    {
        "after", "before", "because", "while", "whilst", "although", "though", "since", "if", "unless", "until", "whereas", "whether",
        "that", "what", "once", "where", "so",
    };

    private static readonly HashSet<string> Auxiliaries = new(StringComparer.Ordinal)
    {
        "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may", "might", "must", "should", "did", "does",
        "do", "am", "be", "been",
    };

    private static readonly HashSet<string> SubjectPronouns = new(StringComparer.Ordinal) { "he", "she", "they", "we", "i", "it", "there" };

    /// <summary>Irregular past tenses that end a subject noun phrase: "Bogdanov won … and then claimed".</summary>
    private static readonly HashSet<string> PastVerbs = new(StringComparer.Ordinal)
    {
        "won", "lost", "beat", "ran", "took", "made", "got", "went", "came", "left", "set", "hit", "saw", "gave", "began", "broke", "fell",
        "held", "kept", "led", "met", "paid", "put", "rose", "sold", "spent", "stood", "struck", "threw", "bought", "brought", "built",
        "caught", "chose", "drove", "fought", "grew", "heard", "knew", "meant", "sent", "shot", "sat", "spoke", "became", "lives", "plays",
        "leads", "runs", "wants", "needs", "owns", "gets", "takes", "makes", "holds", "faces", "remains", "appears", "seems",
    };

    private static readonly HashSet<string> StrictObjects = new(StringComparer.Ordinal)
    {
        "add", "concede", "note", "ask", "question", "maintain", "observe", "state", "declare", "respond", "comment", "write", "echo",
        "recall", "propose", "demand", "advise", "assure", "accuse", "express", "post", "conclude", "announce", "showcase", "pledge", "calculate",
        "realise", "wonder",
    };

    private static readonly HashSet<string> Plans = new(StringComparer.Ordinal)
    {
        "plan", "plans", "proposal", "proposals", "measure", "measures", "scheme", "schemes", "policy", "policies",
    };

    private static readonly HashSet<string> SpokenWords = new(StringComparer.Ordinal)
    {
        "remarks", "comments", "insults", "jibes", "taunts", "words", "conversation", "conversations", "exchange", "exchanges", "jokes", "threats",
    };

    private static readonly HashSet<string> IssuedSpeech = new(StringComparer.Ordinal)
    {
        "warning", "statement", "denial", "apology", "appeal", "plea", "reminder", "ultimatum", "rebuttal", "response", "challenge",
    };

    /// <summary>A lowercase content word right after the verb form: "proposed amendments" uses it as an adjective.</summary>
    private static bool LooksAdjectival(IReadOnlyList<Token> t, int k)
    {
        if (k + 1 >= t.Count || !t[k + 1].IsWord || t[k + 1].Quoted || char.IsUpper(t[k + 1].Text[0]) || char.IsDigit(t[k + 1].Text[0]))
        {
            return false;
        }

        var next = t[k + 1].Lower;
        return !(NewsLexicon.Determiners.Contains(next) || SubjectPronouns.Contains(next) || next is "that" or "to" or "as" or "out" or "for" or "on" or "about" or "of" or "with" or "by" or "in" or "at"
            || NewsLexicon.BetweenSubjectAndVerb.Contains(next) || NewsLexicon.Subordinators.Contains(next) || next is "him" or "her" or "them" or "us" or "me");
    }

    /// <summary>The speaker phrase of the sentence's attribution, or null when it attributes nothing.</summary>
    public static Referent? Find(TokenizedSentence sentence)
    {
        var t = sentence.Tokens;
        for (var i = 0; i + 1 < t.Count; i++)
        {
            if (!t[i].Quoted && t[i].Is("according") && t[i + 1].Is("to"))
            {
                var end = i + 2;
                while (end < t.Count && t[end].Kind is TokenKind.Word or TokenKind.Possessive or TokenKind.OpenParen or TokenKind.CloseParen && !t[end].Quoted
                    && !StartsTheClauseAfter(t, i + 2, end))
                {
                    end++;
                }

                // "according to Acme's chief executive, Joan Pike, …": the name in apposition after the role.
                var phrase = new List<IReadOnlyList<Token>> { Slice(t, i + 2, end) };
                var next = end + 1;
                while (next < t.Count && t[next].IsCapitalized && !t[next].Quoted && next - end <= 4)
                {
                    next++;
                }

                if (end < t.Count && t[end].Kind == TokenKind.Comma && next > end + 1 && (next == t.Count || t[next].Kind is TokenKind.Comma or TokenKind.Stop))
                {
                    phrase.Add(Slice(t, end + 1, next));
                }

                // "according to a list of gadgets compiled by Gizmo Weekly": the document's maker is the source.
                var by = Enumerable.Range(i + 3, Math.Max(0, end - i - 3)).FirstOrDefault(b => t[b].Is("by") && t[b - 1].IsWord
                    && (t[b - 1].Lower.EndsWith("ed", StringComparison.Ordinal) || t[b - 1].Is("out")), -1);
                // "according to reports", "according to official statistics": evidence nobody is named for is someone unnamed's.
                if (((by >= 0 ? Agent(t, by) : null) ?? SpeakerPhrase.Describe(phrase)
                        ?? (end > i + 2 && t[end - 1].IsWord && NewsLexicon.Documents.Contains(t[end - 1].Lower) ? UnnamedReferent.Instance : null)) is { } referent)
                {
                    // "According to its latest report, the plant is safe, Sheehan says.": a named speaker's report closing the sentence is theirs.
                    return i == 0 && NamedReportAfter(t, end) is { } later ? later : referent;
                }
            }
        }

        for (var k = 0; k < t.Count; k++)
        {
            if (t[k].Quoted || !t[k].IsWord || char.IsUpper(t[k].Text[0]))
            {
                continue; // a capitalised "States", "Reports" is a name's word or a heading's
            }

            if (InConditionalClause(t, k))
            {
                continue; // "if they think they were overcharged": a view supposed, not reported
            }

            if (TryVerb(t, k) is { } referent)
            {
                return MainClauseReport(t, k) ?? ClosingReport(t, k) ?? WithContrastingSpeaker(t, k, referent);
            }
        }

        if (FramedAsNoun(t) is { } framed)
        {
            return framed;
        }

        // "He will go only this far: "…"", "Mr Pike had a simple answer: "…"": a quotation after a colon, with no verb
        // of speech, is the words of the person the clause before it is about.
        var colon = Enumerable.Range(2, Math.Max(0, t.Count - 3)).FirstOrDefault(c => t[c].Kind == TokenKind.Colon && !t[c].Quoted && (t[c + 1].Kind == TokenKind.Quote || t[c + 1].Quoted), -1);
        if (colon > 0 && ClauseSubject(t, 0, colon) is { } speaker && speaker is PronounReferent { Pronoun: "he" or "she" } or NameReferent)
        {
            return speaker;
        }

        if (AnonymousTalk(t))
        {
            return UnnamedReferent.Instance;
        }

        // "Washington reportedly presented a plan": what reports say, from nobody named.
        return t.Any(x => x.IsWord && !x.Quoted && x.Lower is "reportedly") ? UnnamedReferent.Instance : null;
    }

    /// <summary>
    /// "When the government announced it had met its target, Tony Blair said …": a report inside a subordinate clause that
    /// opens the sentence gives way to a report of the main clause after it.
    /// </summary>
    private static Referent? MainClauseReport(IReadOnlyList<Token> t, int verb)
    {
        var comma = Enumerable.Range(0, t.Count).FirstOrDefault(i => t[i].Kind == TokenKind.Comma, -1);
        if (comma < verb || !EndsOpeningSubordinateClause(t, comma))
        {
            return null;
        }

        for (var k = comma + 1; k < t.Count; k++)
        {
            if (!t[k].Quoted && t[k].IsWord && !char.IsUpper(t[k].Text[0]) && TryVerb(t, k) is { } main)
            {
                return WithContrastingSpeaker(t, k, main);
            }
        }

        return null;
    }

    /// <summary>
    /// "Ministers would not rule out closing it, Home Secretary Tom Field has warned.": a named speaker's report closing the
    /// sentence after its last comma holds the report inside it.
    /// </summary>
    private static Referent? ClosingReport(IReadOnlyList<Token> t, int verb)
    {
        var end = t.Count;
        while (end > 0 && t[end - 1].Kind == TokenKind.Stop)
        {
            end--;
        }

        var comma = Enumerable.Range(verb + 1, Math.Max(0, end - verb - 1)).LastOrDefault(i => t[i].Kind == TokenKind.Comma, -1);
        return comma >= 0 && comma + 3 <= end && t[comma + 1].IsCapitalized && t.Skip(comma + 1).Take(end - comma - 1).All(x => x.IsWord && !x.Quoted)
            ? NamedReportAfter(t, comma + 1)
            : null;
    }

    private static Referent? NamedReportAfter(IReadOnlyList<Token> t, int from)
    {
        for (var k = from; k < t.Count; k++)
        {
            if (!t[k].Quoted && t[k].IsWord && !char.IsUpper(t[k].Text[0]) && TryVerb(t, k) is { } referent)
            {
                return referent is NameReferent ? referent : null;
            }
        }

        return null;
    }

    /// <summary>Things that carry words of their own: "a sign saying", "the letter saying".</summary>
    private static readonly HashSet<string> Carriers = new(StringComparer.Ordinal)
    {
        "statement", "message", "letter", "sign", "note", "e-mail", "email", "text", "banner", "placard", "notice", "tweet", "post",
        "headline", "leaflet", "card", "poster", "slogan", "label", "advert", "ad", "video", "recording", "book", "website", "page",
    };

    /// <summary>
    /// The words before a participle end in the object of a finite verb of the sentence: a definite noun phrase or a name
    /// right after a past or present verb ("phoned the newsroom", "e-mailed Mr Reddy", "have attacked the new rules").
    /// </summary>
    /// <returns>Where that verb stands, or -1.</returns>
    private static int VerbBeforeObject(IReadOnlyList<Token> t, int participle)
    {
        var verbAt = participle - 1;
        if (t[verbAt].IsCapitalized)
        {
            // "e-mailed Mr Reddy": a name right after the verb.
            while (verbAt > 0 && t[verbAt].IsWord && t[verbAt].IsCapitalized && !t[verbAt].Quoted)
            {
                verbAt--;
            }
        }
        else
        {
            // "attacked the new rules": a determiner, then the verb before it; not "a note".
            var start = verbAt;
            while (start > 0 && t[start].IsWord && !t[start].Quoted && !NewsLexicon.Determiners.Contains(t[start].Lower) && t[start].Lower is not ("a" or "an") && participle - start <= 4)
            {
                start--;
            }

            if (!t[start].IsWord || !NewsLexicon.Determiners.Contains(t[start].Lower))
            {
                // "has attacked UK policy on ferries saying …": an object with no determiner, back to the past verb before it.
                var bare = participle - 1;
                while (bare > 0 && participle - bare <= 5 && t[bare].IsWord && !t[bare].Quoted
                    && !(bare < participle - 1 && (t[bare].Lower.EndsWith("ed", StringComparison.Ordinal) || PastVerbs.Contains(t[bare].Lower))))
                {
                    bare--;
                }

                start = bare + 1;
                if (participle - bare > 5 || !t[bare].IsWord)
                {
                    return -1;
                }
            }

            verbAt = start - 1;
        }

        return verbAt > 0 && t[verbAt].IsWord && !t[verbAt].Quoted && !t[verbAt].IsCapitalized
            && (t[verbAt].Lower.EndsWith("ed", StringComparison.Ordinal) || PastVerbs.Contains(t[verbAt].Lower)) ? verbAt : -1;
    }

    private static readonly HashSet<string> TalkNouns = new(StringComparer.Ordinal)
    {
        "rumours", "rumors", "rumour", "rumor", "speculation", "suggestions", "claims", "allegations", "stories", "reports",
    };

    /// <summary>
    /// "There are persistent rumours that …", "Local papers have carried stories that …": talk from nobody named; and
    /// "is widely seen as …", "is seen by many experts as …", "is considered by experts to be …": a view held by people the
    /// sentence does not name.
    /// </summary>
    private static bool AnonymousTalk(IReadOnlyList<Token> t)
    {
        for (var k = 1; k + 1 < t.Count; k++)
        {
            if (t[k].Quoted || !t[k].IsWord)
            {
                continue;
            }

            if (TalkNouns.Contains(t[k].Lower) && t[k + 1].Is("that") && !t[k + 1].Quoted)
            {
                // The noun is the object of "there are" or of "carried"/"heard"/"denied" … with no owner: not "his claims that".
                var j = k - 1;
                while (j > 0 && t[j].IsWord && !t[j].Quoted && !t[j].IsCapitalized && t[j].Lower.Length > 2 && !NewsLexicon.Determiners.Contains(t[j].Lower)
                    && !NewsLexicon.Be.Contains(t[j].Lower) && t[j].Lower is not ("have" or "has" or "had" or "carried" or "heard" or "amid" or "despite" or "denied" or "dismissed" or "rejected"))
                {
                    j--; // "persistent", "growing"
                }

                if (t[j].IsWord && !t[j].Quoted && (t[j].Lower is "carried" or "heard" || (NewsLexicon.Be.Contains(t[j].Lower) && j > 0 && t[j - 1].Is("there"))))
                {
                    return true;
                }
            }

            if (t[k].Lower is "seen" or "regarded" or "considered" or "viewed" && k + 1 < t.Count && NewsLexicon.Be.Contains(t[k - 1].Lower) is var be
                && (t[k - 1].Lower == "widely" || (t[k + 1].Is("by") && Enumerable.Range(k + 2, Math.Min(3, t.Count - k - 2))
                    .TakeWhile(i => t[i].IsWord && !t[i].Quoted && !t[i].IsCapitalized).Any(i => NewsLexicon.Anonymous.Contains(t[i].Lower)))))
            {
                var after = k + 1;
                while (after < t.Count && t[after].IsWord && !t[after].Is("as") && !(t[after].Is("to") && after + 1 < t.Count && t[after + 1].Is("be")) && after - k <= 4)
                {
                    after++;
                }

                // "is widely seen as", and in apposition: "…, now widely seen as predicting …".
                var widely = k - 2;
                while (widely > 0 && t[widely].IsWord && t[widely].Lower is "now" or "still" or "also")
                {
                    widely--;
                }

                if (after < t.Count && (t[after].Is("as") || t[after].Is("to")) && (t[k - 1].Lower == "widely" ? k >= 2 && (NewsLexicon.Be.Contains(t[k - 2].Lower) || t[widely].Kind == TokenKind.Comma) : be))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static readonly HashSet<string> SpeechNouns = new(StringComparer.Ordinal)
    {
        "message", "view", "verdict", "response", "reply", "answer", "advice", "warning", "argument", "claim", "position", "plea", "promise",
        "assertion", "insistence", "contention", "belief", "suggestion",
    };

    /// <summary>Nouns of speech whose "that" clause gives what their owner said: "Sony's assertion that …".</summary>
    private static readonly HashSet<string> AssertionNouns = new(StringComparer.Ordinal)
    {
        "assertion", "insistence", "contention", "belief", "suggestion", "claim", "view", "warning", "argument", "promise",
    };

    /// <summary>"His message to the chancellor was: …", "Mr Hale's view is that …": speech framed as a noun, the possessor's.</summary>
    private static Referent? FramedAsNoun(IReadOnlyList<Token> t)
    {
        for (var k = 1; k + 2 < t.Count; k++)
        {
            if (t[k].Quoted || !t[k].IsWord || !SpeechNouns.Contains(t[k].Lower))
            {
                continue;
            }

            // "despite Sony's assertion that …", "Labour's claim that …": a named owner's words.
            if (t[k + 1].Is("that") && !t[k + 1].Quoted && AssertionNouns.Contains(t[k].Lower) && t[k - 1].Kind == TokenKind.Possessive && k > 1 && t[k - 2].IsCapitalized && !t[k - 2].Quoted)
            {
                var owner = k - 2;
                while (owner > 0 && t[owner - 1].IsCapitalized && !t[owner - 1].Quoted)
                {
                    owner--;
                }

                if (SpeakerPhrase.Describe([Slice(t, owner, k - 1)]) is NameReferent named)
                {
                    return named;
                }
            }

            var be = k + 1;
            while (be < t.Count && be < k + 8 && !(t[be].IsWord && t[be].Lower is "was" or "is") && t[be].Kind == TokenKind.Word && !t[be].Quoted)
            {
                be++;
            }

            if (be + 1 >= t.Count || !(t[be].IsWord && t[be].Lower is "was" or "is") || !(t[be + 1].Kind is TokenKind.Colon or TokenKind.Quote || t[be + 1].Is("that") || t[be + 1].Quoted))
            {
                continue;
            }

            if (t[k - 1].Lower is "his" or "her" or "their" && k - 1 == 0)
            {
                return new PronounReferent(t[k - 1].Lower == "his" ? "he" : t[k - 1].Lower == "her" ? "she" : "they");
            }

            if (t[k - 1].Kind == TokenKind.Possessive && k - 1 > 0)
            {
                var start = k - 1;
                while (start > 0 && t[start - 1].IsCapitalized && !t[start - 1].Quoted)
                {
                    start--;
                }

                return start < k - 1 ? SpeakerPhrase.Describe([Slice(t, start, k - 1)]) : null;
            }
        }

        return null;
    }

    /// <summary>
    /// "The Liberal Democrats said the scheme was unfair, while the Tories insisted it would work": a clause after ", while",
    /// ", whereas", "but" or ";" with a report of its own by someone named adds its speaker ("Mr Pike said the plan would
    /// work but the Greens say it is too late").
    /// </summary>
    private static Referent WithContrastingSpeaker(IReadOnlyList<Token> t, int verb, Referent first)
    {
        for (var m = verb + 1; m + 1 < t.Count; m++)
        {
            if (t[m].Quoted || !(t[m].Kind == TokenKind.Semicolon || (t[m].IsWord && t[m].Lower is "while" or "whereas" && t[m - 1].Kind == TokenKind.Comma)
                || t[m].Is("but")))
            {
                continue;
            }

            var clause = t.Skip(m + 1).ToList();
            for (var k = 0; k < clause.Count; k++)
            {
                if (clause[k].Quoted || !clause[k].IsWord || char.IsUpper(clause[k].Text[0]) || NewsLexicon.ReportingVerb(clause[k].Lower) is null)
                {
                    continue;
                }

                if (TryVerb(clause, k) is { } second && second is NameReferent or BodyReferent or SourceReferent or GroupReferent or SeveralReferent)
                {
                    var parts = new List<Referent>();
                    parts.AddRange(first is SeveralReferent several ? several.Parts : [first]);
                    parts.AddRange(second is SeveralReferent more ? more.Parts : [second]);
                    return new SeveralReferent(parts);
                }

                break;
            }

            break;
        }

        return first;
    }

    private static Referent? TryVerb(IReadOnlyList<Token> t, int k)
    {
        var lower = t[k].Lower;
        // "is confident", "is not convinced", "is still hopeful": a linking verb, maybe a negation or an adverb between; then only
        // a clause of its own makes it a report ("was very upbeat about how many …, he said" is the tag's).
        var link = k - 1;
        while (link > 0 && t[link] is { IsWord: true, Quoted: false } between && between.Lower is "not" or "also" or "still" or "now" or "very" or "so" or "more")
        {
            link--;
        }

        var stance = NewsLexicon.StanceAdjectives.Contains(lower) && link >= 0 && t[link].IsWord && NewsLexicon.Linking.Contains(t[link].Lower);
        var verb = NewsLexicon.ReportingVerb(lower);
        if (verb is null && !stance)
        {
            return null;
        }

        var next = k + 1 < t.Count ? t[k + 1] : default;
        var hasNext = k + 1 < t.Count;
        if (stance)
        {
            // "is confident she can win", "remains hopeful that…"; not "is sure to", "confident of victory" is a view too.
            if (!hasNext || next.Quoted || next.Is("to") || next.Kind is not TokenKind.Word)
            {
                return null;
            }

            // "are worried that …", "is concerned too many children are …" report a view; "worried about the cost", "the firms
            // concerned" do not.
            if ((lower is "worried" or "concerned" || link < k - 1) && !next.Is("that") && !ClauseFollows(t, k + 1))
            {
                return null;
            }

            return Subject(t, link, k, complement: true);
        }

        var (lemma, complement) = verb!.Value;

        // "£2bn more than Mr Brown predicted in his budget", "higher than analysts expected": a figure measured against what
        // someone said, which the sentence does not report.
        if (ComparedWith(t, k))
        {
            return null;
        }

        // "Even before IBM announced the boost it was …": a speech act with only an object, inside the clause that sets the
        // time of the sentence, is no report of the sentence.
        if (lemma is "announce" or "confirm" or "reveal" or "disclose" or "unveil" or "deny" or "welcome" or "praise" or "criticise" or "condemn"
            && k + 1 < t.Count && t[k + 1].IsWord && !t[k + 1].Quoted && NewsLexicon.Determiners.Contains(t[k + 1].Lower) && t[k + 1].Lower is not "that"
            && InOpeningTimeClause(t, k))
        {
            return null;
        }
        var previous = k > 0 ? t[k - 1] : default;
        var hasPrevious = k > 0;
        if (hasPrevious && previous.Kind == TokenKind.Possessive)
        {
            return null;
        }

        // "(as reported by the ONS)", "as already announced by the ONS", "The deal, reported by the Times, will …": a report
        // in a participle names its source after "by".
        var asBefore = hasPrevious && (previous.Is("as") || (k > 1 && t[k - 2].Is("as") && previous.Lower is "already" or "previously" or "earlier" or "first"));
        if (hasNext && next.Is("by") && hasPrevious && (asBefore || previous.Kind == TokenKind.Comma) && lower.EndsWith("ed", StringComparison.Ordinal)
            && lemma is "report" or "reveal" or "announce" or "confirm" or "disclose" or "claim" && Agent(t, k + 1) is { } reportedBy)
        {
            return reportedBy;
        }

        // "Doctor Strange, generally praised when released, faded": a participle set off by commas describes its noun.
        if (hasPrevious && previous.IsWord && previous.Lower.EndsWith("ly", StringComparison.Ordinal) && previous.Lower.Length > 4 && k > 1
            && t[k - 2].Kind == TokenKind.Comma && lower.EndsWith("ed", StringComparison.Ordinal) && !(hasNext && next.Is("that")))
        {
            return null;
        }

        // "head of the social policy think tank, …": a bare form after a singular noun of a noun phrase, before the noun
        // that ends it, is part of a compound, not a verb ("the ministers think the plan …" is one).
        if (lower == lemma && InsideANounPhrase(t, k))
        {
            return null;
        }

        // "the publication of her full report into the crash", "Ann Reed's latest report on …": a bare form owned by a
        // possessive, with only a describing word between, heads that noun phrase ("their members say …" has a noun between).
        // "repeated his call for …" stays: a call for something is itself a demand voiced.
        if (lower == lemma && lemma != "call" && OwnedNoun(t, k))
        {
            return null;
        }

        // "The site lets people comment on the news", "helps users tell their friends": a bare infinitive after "let",
        // "help" or "make" and its object is something made possible, not a report.
        if (lower == lemma && LetOrHelpBefore(t, k))
        {
            return null;
        }

        // "The party is promising to cut fares" is a promise of deeds; "a promising start", "the talks were promising",
        // "promising to the last" describe something.
        if (lower == "promising" && !(hasNext && (next.Is("that") || (next.Is("to") && k + 2 < t.Count && t[k + 2].IsWord && !t[k + 2].Quoted
            && !t[k + 2].IsCapitalized && !NewsLexicon.Determiners.Contains(t[k + 2].Lower)))))
        {
            return null;
        }

        // "The toolbar promises faster searches": a promise of a thing, not of words ("are being promised lower rents by X"
        // is X's promise, read with the passives below).
        if (lemma is "promise" or "pledge" or "vow" && !(hasPrevious && NewsLexicon.Be.Contains(previous.Lower)) && hasNext && next.IsWord && !next.Quoted && !next.IsCapitalized && !char.IsDigit(next.Text[0])
            && !(next.Lower is "that" or "to" || NewsLexicon.Determiners.Contains(next.Lower) || SubjectPronouns.Contains(next.Lower)) && !ThatSoonAfter(t, k))
        {
            return null;
        }

        // "The Greens have promised a number but …", "vowed a fight": a promise of a thing is no report of words; "promised
        // the voters that …", "promised the money would go to schools" and "promised a "fair deal"" give what was said.
        if (lemma is "promise" or "pledge" or "vow" && hasNext && next is { IsWord: true, Quoted: false } && NewsLexicon.ArticlesAndPossessives.Contains(next.Lower)
            && !ThatSoonAfter(t, k) && !t.Skip(k + 1).Any(x => x.Quoted) && !SubjectWithVerbAfter(t, k + 1))
        {
            return null;
        }

        // "is stressing the calmer approach of her group": weight put on a thing is no report, unless the thing is a
        // need or an importance voiced ("stressed the importance of good relations", "emphasised the need to act") or a
        // clause follows ("stressed the plans would be paid for by …").
        if (lemma is "stress" or "emphasise" && hasNext && next is { IsWord: true, Quoted: false } && NewsLexicon.Determiners.Contains(next.Lower) && next.Lower is not "that"
            && !SubjectWithVerbAfter(t, k + 1)
            && !Enumerable.Range(k + 2, Math.Min(4, Math.Max(0, t.Count - k - 2))).TakeWhile(i => t[i].IsWord && !t[i].Quoted && !t[i].Is("of") && !t[i].Is("to"))
                .Any(i => NewsLexicon.VoicedNeeds.Contains(t[i].Lower)))
        {
            return null;
        }

        // "is much too wary to make any big claims", "too busy to comment": an act the subject is too much of something to do.
        if (TooToDo(t, k))
        {
            return null;
        }

        // "The figures echo similar research from Acme which suggested …": figures like other figures, not a report (the
        // report comes later in the sentence); not "The data echoed that …".
        if (lemma == "echo" && hasPrevious && previous.IsWord && !previous.Quoted && NewsLexicon.Documents.Contains(previous.Lower) && !(hasNext && (next.Is("that") || next.Quoted)))
        {
            return null;
        }

        // "Deadpool felt more like a comedy", "it feels like home": a likeness, not a view.
        if (lemma == "feel" && hasNext && next.IsWord && next.Lower is "like" or "more" or "less" or "much" or "very" or "so" or "too" or "a" or "an")
        {
            return null;
        }

        // "has responded to the unrest with a crackdown": an act in answer, not words, unless words are given.
        if (lemma == "respond" && hasNext && next.Is("to") && !t.Any(x => x.Quoted) && !t.Skip(k).Any(x => x.IsWord && x.Lower is "saying" or "that" or "by"))
        {
            return null;
        }

        // "EU states have to approve": the countries, the subject of the verb that follows (not "a deal Mr Whit says is fair").
        if (hasPrevious && k > 1 && previous.IsCapitalized && !previous.Quoted && lower == "states" && hasNext && next.IsWord && !next.Quoted && Auxiliaries.Contains(next.Lower))
        {
            return null;
        }

        // "a $27.5bn tax claim against Yukos", "a warning of job losses": a noun before its preposition.
        if (hasNext && next.IsWord && (next.Lower is "against" or "over" || (next.Lower is "of" && lemma is not ("warn" or "caution" or "speak" or "accuse" or "complain"))))
        {
            return null;
        }

        // Adverbs in "-ly" between an auxiliary and the verb are looked through: "will be officially announced".
        var before = k - 1;
        while (before > 0 && t[before].IsWord && !t[before].Quoted && t[before].Lower.EndsWith("ly", StringComparison.Ordinal) && t[before].Lower.Length > 4
            && t[before - 1].IsWord && (NewsLexicon.Be.Contains(t[before - 1].Lower) || NewsLexicon.NotReported.Contains(t[before - 1].Lower)))
        {
            before--;
        }

        if (before != k - 1)
        {
            previous = t[before];
        }

        if (hasPrevious && previous.IsWord && !previous.Quoted)
        {
            var p = previous.Lower;

            // "AP quoted prosecutor Tom Bell as saying …": the one quoted speaks; the outlet only carries the words.
            if (lower == "saying" && p == "as" && Enumerable.Range(Math.Max(0, k - 9), Math.Max(0, k - 2 - Math.Max(0, k - 9)))
                    .LastOrDefault(q => t[q].IsWord && !t[q].Quoted && t[q].Lower is "quoted" or "quotes" or "quoting", -1) is var quoted and >= 0
                && quoted < k - 2 && !(quoted > 0 && NewsLexicon.Be.Contains(t[quoted - 1].Lower)))
            {
                return SpeakerPhrase.Describe([Slice(t, quoted + 1, k - 1)]);
            }

            // "continues to insist", "went on to say": still the subject's report.
            var carriedOn = p == "to" && k > 1 && (t[k - 2].Lower is "continue" or "continues" or "continued" or "continuing" or "went" or "goes" or "go"
                || (t[k - 2].Lower is "on" && k > 2 && t[k - 3].Lower is "went" or "goes" or "go"));

            // "…, leading the firm to warn that it was short of cash": the one made to speak is the object of the cause.
            if (p == "to" && !carriedOn && Caused(t, k) is var cause and >= 0)
            {
                return Accepts(t, k, lemma, complement) ? SpeakerPhrase.Describe([Slice(t, cause + 1, k - 1)]) : null;
            }

            // "Ms Neri answered his remarks by saying …", "The deputy hit back by claiming …": the clause's subject speaks by doing so.
            if (p == "by" && lower.EndsWith("ing", StringComparison.Ordinal) && lemma is "say" or "claim" or "argue" or "insist" or "warn" or "suggest" or "stress" or "admit")
            {
                return Accepts(t, k, lemma, complement) ? ClauseSubject(t, 0, k - 1) : null;
            }

            // "amid fears", "despite claims", "following reports", "as expected": a noun or a participle after a preposition.
            if (!carriedOn && NewsLexicon.Subordinators.Contains(p) && p is not ("so" or "once" or "where" or "when" or "while" or "whilst" or "if" or "because" or "although" or "though" or "since" or "whereas" or "unless" or "until" or "whether" or "that" or "to"))
            {
                return null;
            }

            // "Among those reported to have doubts were …", "a man said to be close to him": a reduced passive, someone unnamed.
            if (lower is "said" or "reported" or "believed" or "thought" or "understood" && hasNext && next.Is("to") && k + 2 < t.Count && t[k + 2].Lower is "have" or "be"
                && (p is "those" or "people" or "others" or "one" or "some" || (p.EndsWith('s') && p.Length > 3 && !char.IsUpper(previous.Text[0]) && NewsLexicon.ReportingVerb(p) is null)))
            {
                return UnnamedReferent.Instance;
            }

            // "lawsuits against people alleged to have copied songs": a passive shortened inside a noun phrase describes the
            // noun; the sentence reports nothing ("the man is said to have …" keeps its "is").
            if (lower is "alleged" or "said" or "thought" or "believed" or "reported" or "rumoured" or "understood" && char.IsLower(previous.Text[0])
                && !NewsLexicon.Be.Contains(p) && !Auxiliaries.Contains(p) && !SubjectPronouns.Contains(p) && !NewsLexicon.BetweenSubjectAndVerb.Contains(p)
                && !NewsLexicon.Relatives.Contains(p) && hasNext && next.Is("to") && k + 2 < t.Count && t[k + 2].IsWord && t[k + 2].Lower is "have" or "be")
            {
                return null;
            }

            // "Siemens did not rule out an earlier date", "refused to rule out a rise": a refusal to deny is a report too.
            if (lemma == "rule" && hasNext && next.Is("out") && p is "not" or "didn't" or "doesn't" or "don't" or "won't" or "to")
            {
                var group = k - 1;
                while (group > 0 && t[group - 1].IsWord && !t[group - 1].Quoted && t[group - 1].Lower is "not" or "did" or "does" or "do" or "has" or "have" or "had" or "refused" or "declined" or "would" or "will")
                {
                    group--;
                }

                return group < k - 1 || p != "to" ? Subject(t, group, k, complement: true) : null;
            }

            // "Gordon Brown will say …", "Mr Howard is expected to tell activists that …", "is expected to call for the law to
            // be enforced": speech announced for later is reported as the speaker's, unlike a deed ("will announce", "will
            // publish").
            if ((lemma is "say" or "tell" or "argue" or "warn" or "insist" or "claim" or "urge" || (lemma == "call" && next.Lower is "for" or "on")) && lower == lemma && hasNext && next.IsWord)
            {
                var group = p == "will" ? k - 1
                    : p == "to" && k > 2 && t[k - 2].Lower is "expected" or "likely" && NewsLexicon.Be.Contains(t[k - 3].Lower) ? k - 3
                    : -1;
                if (group > 0 && Accepts(t, k, lemma, complement))
                {
                    return Subject(t, group, k, complement: true);
                }
            }

            // "Ms Pike repeated her call for a "pause"", "renewed his calls for an inquiry": a call made again is the subject's.
            if (lemma == "call" && lower is "call" or "calls" && p is "his" or "her" or "its" or "their" && hasNext && next.Is("for") && k > 1
                && t[k - 2].Lower is "repeated" or "renewed" or "reiterated" or "restated" or "repeats" or "renews" or "reiterates")
            {
                return Subject(t, k - 2, k, complement: true);
            }

            if ((NewsLexicon.Determiners.Contains(p) && p is not ("that" or "one" or "some" or "many" or "most" or "several" or "all" or "both" or "few" or "two" or "three" or "four" or "five"))
                || (NewsLexicon.NotReported.Contains(p) && !carriedOn))
            {
                return null;
            }

            if (carriedOn)
            {
                return Accepts(t, k, lemma, complement) ? Subject(t, t[k - 2].Lower is "on" ? k - 3 : k - 2, k, complement: true) : null;
            }

            // "rejected suggested revisions", "deeming proposed amendments": a participle before a noun, not a report ("The
            // report recommends gathering …" is one: a noun after its determiner, then the verb).
            if (!char.IsUpper(previous.Text[0]) && !NewsLexicon.BetweenSubjectAndVerb.Contains(p) && !NewsLexicon.Be.Contains(p) && LooksAdjectival(t, k)
                && !(before > 0 && t[before - 1].IsWord && t[before - 1].Lower is "the" or "a" or "an" or "its" or "their" or "this")
                && (p.EndsWith("ed", StringComparison.Ordinal) || p.EndsWith("ing", StringComparison.Ordinal) || NewsLexicon.ReportingVerb(p) is not null))
            {
                return null;
            }

            if (lower.EndsWith("ing", StringComparison.Ordinal) && NewsLexicon.Be.Contains(p) && k > 1)
            {
                // "is hoping for…", "was insisting that…": a progressive, reported by the subject of "is".
                return Accepts(t, k, lemma, complement) ? Subject(t, k - 1, k, complement: true) : null;
            }

            if (NewsLexicon.Be.Contains(p) || (k > 1 && NewsLexicon.Be.Contains(t[k - 2].Lower) && NewsLexicon.BetweenSubjectAndVerb.Contains(p)))
            {
                // "which could be said to lead", "might be described as": a manner of speaking, nobody's report; "are to be
                // questioned by MPs", "will be criticised by": what is yet to happen.
                if (p == "be" && before > 0 && t[before - 1].IsWord && !t[before - 1].Quoted && t[before - 1].Lower is "could" or "might" or "can" or "may" or "would" or "should" or "to" or "will" or "must" or "shall")
                {
                    return null;
                }

                // "The plan has been criticised by the CBI", "was branded "reckless" by the CBI": a report in the passive
                // names its speaker after "by", after the words it quotes if any.
                var agentAt = k + 1;
                while (agentAt < t.Count && agentAt <= k + 12 && (t[agentAt].Quoted || t[agentAt].Kind == TokenKind.Quote))
                {
                    agentAt++;
                }

                if (agentAt < t.Count && (agentAt == k + 1 || t[agentAt - 1].Kind == TokenKind.Quote) && t[agentAt].Is("by") && !t[agentAt].Quoted && lemma is "criticise" or "condemn" or "praise" or "welcome" or "deny" or "dismiss" or "describe" or "call" or "dub" or "brand"
                    or "accuse" or "urge" or "warn" or "question" or "claim" or "say" or "tell" or "announce" or "confirm" or "blame" or "predict" or "recommend"
                    && Agent(t, agentAt) is { } agent)
                {
                    return agent;
                }

                // "Pensioners are being promised lower bills by the Liberal Democrats": the hearers first, what was promised,
                // then the speaker after "by".
                if (lemma is "promise" or "pledge" or "tell" or "warn" or "urge" or "assure" && hasNext && next.IsWord && !next.Quoted && !next.Is("to") && !next.Is("by"))
                {
                    var by = k + 1;
                    while (by < t.Count && by <= k + 5 && t[by].IsWord && !t[by].Quoted && !t[by].Is("by"))
                    {
                        by++;
                    }

                    if (by < t.Count && by <= k + 5 && t[by].Is("by") && Agent(t, by) is { } promisedBy)
                    {
                        return promisedBy;
                    }
                }

                // "Jurors were told the car was stolen", "…, researchers were told.": the hearers are the subject; someone unnamed spoke.
                if (lower is "told" or "warned" && p is "was" or "were" or "been" or "being" && ToldTheHearers(t, k))
                {
                    return UnnamedReferent.Instance;
                }

                // "…, it has been claimed.", "It was announced that …": an impersonal passive reports someone unnamed (not "… by X").
                if (ImpersonalPassive(t, before, lower) && !(hasNext && next.Is("by")))
                {
                    return UnnamedReferent.Instance;
                }

                // Passive: "is said to have cried", "is understood to have quit" report an anonymous source; "was told", "were
                // described" report nobody, nor do "is thought to", "is believed to", "it is thought that": a supposition
                // with no one behind it.
                return lower is "said" or "reported" or "understood" or "alleged" && hasNext && (next.Is("to") || (next.Is("that") && k > 1 && t[k - 2].Is("it")))
                    ? UnnamedReferent.Instance
                    : null;
            }

            if (p is "who" or "which" && lemma is not "say")
            {
                return RelativeAntecedent(t, k - 1) is { } antecedent && Accepts(t, k, lemma, complement) ? antecedent : null;
            }
        }

        var afterQuote = hasPrevious && (previous.Kind == TokenKind.Quote || (previous.Kind == TokenKind.Comma && k > 1 && t[k - 2].Kind == TokenKind.Quote));
        if (afterQuote && hasNext && next.IsWord && !next.Quoted && !SubjectPronouns.Contains(next.Lower) && next.Lower is not ("that" or "on" or "in" or "at" or "to" or "last" or "yesterday" or "today" or "earlier" or "later" or "also" or "not"))
        {
            return Inverted(t, k + 1); // "…," said his wife, Sheila. / "…," wrote the judges.
        }

        if (!Accepts(t, k, lemma, complement))
        {
            return null;
        }

        if (lower.EndsWith("ing", StringComparison.Ordinal))
        {
            // "…, saying that…": the clause's subject; "with Kremlin spokesman Dmitry Peskov saying": the noun phrase before.
            if (hasPrevious && previous.Kind == TokenKind.Comma)
            {
                return ClauseSubject(t, 0, k - 1);
            }

            var with = Enumerable.Range(0, k).LastOrDefault(i => t[i].Is("with") && !t[i].Quoted, -1);
            if (with >= 0)
            {
                return k - with > 1 && k - with < 8 ? SpeakerPhrase.Describe([Slice(t, with + 1, k)]) : null;
            }

            // "Mr Pike phoned the newsroom saying …", "Farmers attacked the rules saying …": the main clause's subject
            // speaks through what it did; not "a note saying …", "the statement saying …", whose words are the document's.
            return lemma is "say" or "point" or "claim" or "argue" or "insist" or "warn" && hasPrevious && previous.IsWord && !previous.Quoted
                && !NewsLexicon.Documents.Contains(previous.Lower) && !Carriers.Contains(previous.Lower) && VerbBeforeObject(t, k) is var verbAt and > 0
                ? ClauseSubject(t, 0, verbAt)
                : null;
        }

        var inverts = hasNext && next.IsWord && !next.Quoted && !SubjectPronouns.Contains(next.Lower) && next.Lower is not ("that" or "his" or "her" or "its" or "their" or "this" or "on" or "in" or "at" or "by" or "to" or "last" or "yesterday" or "today" or "earlier" or "later" or "also" or "not");
        if (inverts && hasPrevious && previous.Kind == TokenKind.Comma && lemma is "say" or "add" or "explain" or "insist" or "warn" or "argue" or "note" or "admit" or "continue"
                or "reckon" or "believe" or "claim" or "predict" or "suggest" or "concede"
            && ReachesEnd(t, k + 1) && (ClauseBeforeComma(t, k - 1) || OpensWithClauseOrIntro(t, k - 1) || (next.IsCapitalized && ParentheticalName(t, k + 1))))
        {
            return Inverted(t, k + 1);
        }

        // "Gadgets are changing the high street thinks Mr Vaughan.": the comma before an inverted view left out; only a name
        // that runs to the end of the sentence, after a clause of some length, and a verb of the mind (a sign "says Private").
        if (inverts && next.IsCapitalized && hasPrevious && previous is { IsWord: true, Quoted: false } && !previous.IsCapitalized && k >= 5
            && !Auxiliaries.Contains(previous.Lower) && !NewsLexicon.Determiners.Contains(previous.Lower) && previous.Lower is not ("who" or "which" or "that" or "what")
            && lemma is "think" or "believe" or "reckon" or "argue" or "predict" or "claim" or "insist"
            && NameToTheEnd(t, k + 1) && Inverted(t, k + 1) is NameReferent name)
        {
            return name;
        }

        if (k == 0)
        {
            return null;
        }

        // "Worry … has sparked calls for a cap", "faced claims of bias", "derided Green claims of bias": a plural form
        // right after a verb in the past, or after it and one capitalised word describing the noun, is its object ("The man
        // accused says …" keeps "says", which never is one).
        var verbBefore = hasPrevious && previous is { IsWord: true, Quoted: false, IsCapitalized: true } && k > 1 ? t[k - 2] : previous;
        if (lower == lemma + "s" && lower is not ("says" or "believes" or "thinks" or "insists" or "argues" or "reckons") && hasPrevious && previous.IsWord && !previous.Quoted
            && verbBefore is { IsWord: true, Quoted: false, IsCapitalized: false } && (PastVerbs.Contains(verbBefore.Lower) || (verbBefore.Lower.EndsWith("ed", StringComparison.Ordinal) && verbBefore.Lower.Length > 4))
            && NewsLexicon.ReportingVerb(verbBefore.Lower) is null && !NewsLexicon.Be.Contains(verbBefore.Lower) && !Auxiliaries.Contains(verbBefore.Lower))
        {
            return null;
        }

        // "The Forum report took a look", "the claims were dismissed": a bare or plural form followed by a verb is a noun
        // ("says", "believes", "thinks" never are: "which Norvo says will cost").
        // "Customer comments and reviews were popular": the plural joined to another plural noun is the subject.
        var verbAfter = lower == lemma + "s" && hasNext && next.Is("and") && k + 3 < t.Count && t[k + 2] is { IsWord: true, Quoted: false, IsCapitalized: false } joined
            && SpeakerPhrase.IsPlural(joined.Lower) && NewsLexicon.ReportingVerb(joined.Lower) is null ? t[k + 3] : next;
        if ((lower == lemma || (lower == lemma + "s" && lower is not ("says" or "believes" or "thinks" or "insists" or "argues" or "reckons"))) && hasNext && verbAfter.IsWord && !verbAfter.Quoted && !verbAfter.IsCapitalized
            && (Auxiliaries.Contains(verbAfter.Lower) || PastVerbs.Contains(verbAfter.Lower) || NewsLexicon.ReportingVerb(verbAfter.Lower) is not null
                || (verbAfter.Lower.EndsWith("ed", StringComparison.Ordinal) && verbAfter.Lower.Length > 4)))
        {
            return null;
        }

        // "The Commons questions session again saw …": a plural noun inside a compound, an adverb and the subject's verb after it.
        if (lower == lemma + "s" && hasPrevious && previous.IsCapitalized && hasNext && next.IsWord && !next.Quoted && !next.IsCapitalized && PlainWord(next.Lower)
            && k + 3 < t.Count && t[k + 2].IsWord && NewsLexicon.BetweenSubjectAndVerb.Contains(t[k + 2].Lower) && !Auxiliaries.Contains(t[k + 2].Lower)
            && t[k + 2].Lower is not ("has" or "have" or "had" or "does" or "did") && t[k + 3].IsWord && (PastVerbs.Contains(t[k + 3].Lower) || t[k + 3].Lower.EndsWith("ed", StringComparison.Ordinal)))
        {
            return null;
        }

        // "the independent and state sectors", "state schools": "state" before a noun is an adjective.
        if (lower == "state" && hasNext && next.IsWord && !next.Quoted && !(next.Lower is "that" || NewsLexicon.Determiners.Contains(next.Lower) || SubjectPronouns.Contains(next.Lower)))
        {
            return null;
        }

        // "A US government claim accusing…": a singular subject does not take a plural verb form, so this is a noun.
        if (lower == lemma && k > 1 && FirstWordOfNounPhraseBefore(t, k) is "a" or "an" or "he" or "she" or "it" or "this" or "that")
        {
            return null;
        }

        var followedBy = hasNext ? next.Kind : TokenKind.Stop;
        var parenthetical = followedBy is TokenKind.Comma or TokenKind.Stop || (hasNext && next.Quoted is false && next.Kind == TokenKind.Word && next.Lower is "on" or "yesterday" or "today" or "last" && ParentheticalAfter(t, k + 1));
        return Subject(t, k, k, complement: !parenthetical);
    }

    /// <summary>"promised voters that …", "promised the island's people that …": "that" among the three words after the verb's object starts.</summary>
    private static bool ThatSoonAfter(IReadOnlyList<Token> t, int k) =>
        Enumerable.Range(k + 2, Math.Min(3, Math.Max(0, t.Count - k - 2))).Any(i => t[i].Is("that") && !t[i].Quoted);

    /// <summary>A finite verb outside quotation marks before <paramref name="end"/>, after the last comma: "is", "has", "would", "rose", "sold".</summary>
    private static bool FiniteVerbBefore(IReadOnlyList<Token> t, int end)
    {
        for (var i = end - 1; i > 0 && t[i].Kind != TokenKind.Comma; i--)
        {
            if (t[i].IsWord && !t[i].Quoted && (Auxiliaries.Contains(t[i].Lower) && t[i].Lower is not ("be" or "been" or "do") || PastVerbs.Contains(t[i].Lower)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"too wary to make any claims", "too busy to say": "too", one word, "to", then up to four words before k, unbroken.</summary>
    private static bool TooToDo(IReadOnlyList<Token> t, int k)
    {
        for (var to = k - 1; to >= 2 && to >= k - 5; to--)
        {
            if (!t[to].IsWord || t[to].Quoted)
            {
                return false;
            }

            if (t[to].Is("to") && t[to - 1].IsWord && !t[to - 1].Quoted && t[to - 2].Is("too") && !t[to - 2].Quoted)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"let", "help" or "make" and up to three words of its object, with no punctuation, right before k.</summary>
    private static bool LetOrHelpBefore(IReadOnlyList<Token> t, int k)
    {
        for (var i = k - 2; i >= 0 && i >= k - 4; i--)
        {
            if (!t[i].IsWord || t[i].Quoted)
            {
                return false;
            }

            if (t[i].Lower is "let" or "lets" or "letting" or "help" or "helps" or "helped" or "helping" or "make" or "makes" or "making")
            {
                return true;
            }
        }

        return false;
    }

    private static readonly HashSet<string> Causes = new(StringComparer.Ordinal)
    {
        "leading", "led", "prompting", "prompted", "forcing", "forced", "causing", "caused", "pushing", "pushed",
    };

    /// <summary>
    /// The position of the verb of cause in "leading Tessa to warn", "prompting the chip maker to say": a verb of
    /// cause, one to four words of its object (no verb, no punctuation), then "to" and the verb at k; otherwise −1.
    /// </summary>
    private static int Caused(IReadOnlyList<Token> t, int k)
    {
        for (var i = k - 3; i >= 0 && i >= k - 6; i--)
        {
            if (!t[i].IsWord || t[i].Quoted)
            {
                return -1;
            }

            if (Causes.Contains(t[i].Lower))
            {
                return i;
            }

            if (Auxiliaries.Contains(t[i].Lower) || NewsLexicon.ReportingVerb(t[i].Lower) is not null || NewsLexicon.Subordinators.Contains(t[i].Lower))
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>
    /// The word at k lies in a clause of condition or doubt opened by "if", "unless" or "whether" with no comma, colon or
    /// quotation between: "can claim damages if they think they were misled", "unclear whether the firm believes it".
    /// </summary>
    private static bool InConditionalClause(IReadOnlyList<Token> t, int k)
    {
        for (var i = k - 1; i >= 0; i--)
        {
            if (t[i].Quoted || t[i].Kind is TokenKind.Comma or TokenKind.Colon or TokenKind.Semicolon or TokenKind.Quote or TokenKind.Stop)
            {
                return false;
            }

            if (t[i].IsWord && t[i].Lower is "if" or "unless" or "whether")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// After a passive "told": a clause or a quotation ("were told the plan was dead", "was told: …"), or the sentence's
    /// end after a clause of its own ("…, researchers were told."); not "told to leave", "told off", "told by X".
    /// </summary>
    private static bool ToldTheHearers(IReadOnlyList<Token> t, int k)
    {
        if (k + 1 >= t.Count)
        {
            return false;
        }

        var next = t[k + 1];
        if (next.Kind == TokenKind.Stop)
        {
            return Enumerable.Range(0, k).Any(i => t[i].Kind == TokenKind.Comma && !t[i].Quoted);
        }

        if (next.Kind is TokenKind.Colon or TokenKind.Quote || next.Quoted)
        {
            return true;
        }

        return next.IsWord && (next.Lower is "that" or "the" or "a" or "an" || (SubjectPronouns.Contains(next.Lower) && next.Lower is not ("it" or "there"))
            || (next.IsCapitalized && k + 2 < t.Count && t[k + 2].IsWord && (Auxiliaries.Contains(t[k + 2].Lower) || NewsLexicon.ReportingVerb(t[k + 2].Lower) is not null)));
    }

    /// <summary>The speaker after a passive's "by": the names of the phrase up to its first lower-case word after a name ("by Labour for …").</summary>
    private static Referent? Agent(IReadOnlyList<Token> t, int by)
    {
        var end = by + 1;
        var named = false;
        // A lower-case word inside a name goes on with it: "by the Interactive Media in Retail Group".
        var inName = SpeechTokens.NameRuns(t, by + 1, t.Count).SelectMany(r => Enumerable.Range(r.Start, r.End - r.Start)).ToHashSet();
        while (end < t.Count && t[end].IsWord && !t[end].Quoted || (end < t.Count && t[end].Kind == TokenKind.Possessive))
        {
            if (named && t[end].IsWord && !t[end].IsCapitalized && t[end].Lower is not ("of" or "for" or "and" or "the" or "de") && !inName.Contains(end))
            {
                break;
            }

            named |= t[end].IsWord && t[end].IsCapitalized;
            end++;
        }

        if (!named)
        {
            return null;
        }

        // "criticised by environmental groups and the Liberal Democrats": people described, then a name, are two agents.
        var and = Enumerable.Range(by + 2, Math.Max(0, end - by - 3)).FirstOrDefault(a => t[a].Is("and") && (t[a + 1].Is("the") || t[a + 1].IsCapitalized), -1);
        if (and > 0 && !t[by + 1].IsCapitalized && !NewsLexicon.Determiners.Contains(t[by + 1].Lower) && t[by + 1].Lower is not ("a" or "an")
            && Enumerable.Range(by + 1, and - by - 1).All(a => !t[a].IsCapitalized)
            && (SpeakerPhrase.Describe([Slice(t, by + 1, and)]) ?? (SpeakerPhrase.IsPlural(t[and - 1].Lower) ? UnnamedReferent.Instance : null)) is { } people
            && SpeakerPhrase.Describe([Slice(t, and + 1, end)]) is { } name)
        {
            return new SeveralReferent([people, name]);
        }

        return SpeakerPhrase.Describe([Slice(t, by, end)]);
    }

    /// <summary>The word at k lies in a clause of time opening the sentence, before its first comma: "Even before IBM announced …".</summary>
    private static bool InOpeningTimeClause(IReadOnlyList<Token> t, int k)
    {
        var first = 0;
        while (first < k && t[first].IsWord && t[first].Lower is "even" or "just" or "long" or "shortly" or "soon" or "but" or "and" or "only")
        {
            first++;
        }

        return first < k && t[first].IsWord && !t[first].Quoted && t[first].Lower is "before" or "after" or "since" or "until" or "when" or "once" or "as" or "while"
            && !Enumerable.Range(first, k - first).Any(i => t[i].Kind is TokenKind.Comma or TokenKind.Quote or TokenKind.Colon);
    }

    /// <summary>
    /// "According to the official news agency most of the cafes were shut": with no comma, the clause the source is put
    /// to starts at a determiner, a quantifier or a subject pronoun that follows a noun (not after "of", "from", "and").
    /// </summary>
    private static bool StartsTheClauseAfter(IReadOnlyList<Token> t, int phraseStart, int k)
    {
        if (k <= phraseStart + 1 || !t[k].IsWord || !t[k - 1].IsWord || t[k - 1].IsCapitalized && t[k].IsCapitalized)
        {
            return false;
        }

        var word = t[k].Lower;
        var opens = (NewsLexicon.Determiners.Contains(word) && word is not ("that" or "more" or "most" or "such")) || word is "most" || (SubjectPronouns.Contains(word) && word is not "it") || word is "there";
        var previous = t[k - 1].Lower;
        return opens && !NewsLexicon.Subordinators.Contains(previous) && previous is not ("and" or "or" or "the" or "a" or "an") && !NewsLexicon.Determiners.Contains(previous)
            && !char.IsDigit(previous[0]);
    }

    /// <summary>
    /// "Even after the influx of women MPs, and more women in the Cabinet, …": the comma at <paramref name="comma"/> is the
    /// sentence's first and closes a clause opened by a subordinator ("after", "although", "when") at its start.
    /// </summary>
    private static bool EndsOpeningSubordinateClause(IReadOnlyList<Token> t, int comma)
    {
        var first = 0;
        while (first < comma && t[first].IsWord && t[first].Lower is "even" or "just" or "only" or "long" or "shortly" or "soon" or "but" or "and" or "yet")
        {
            first++;
        }

        return first < comma && t[first].IsWord && !t[first].Quoted && (ClauseBoundaries.Contains(t[first].Lower) || t[first].Lower is "when" or "as")
            && t[first].Lower is not ("that" or "what" or "so") && !Enumerable.Range(first, comma - first).Any(i => t[i].Kind is TokenKind.Comma or TokenKind.Quote or TokenKind.Stop);
    }

    /// <summary>
    /// The position of the opening mark when t[end - 1] closes a quotation of at most four words that stands inside a
    /// noun phrase, after an unquoted word ("the so-called "Harbour Five""); otherwise −1.
    /// </summary>
    private static int ScareQuoteBefore(IReadOnlyList<Token> t, int end)
    {
        if (end < 3 || t[end - 1].Kind != TokenKind.Quote)
        {
            return -1;
        }

        var q = end - 2;
        var words = 0;
        while (q >= 0 && t[q].Quoted && t[q].Kind is not TokenKind.Quote)
        {
            words += t[q].IsWord ? 1 : 0;
            q--;
        }

        return q > 0 && words is > 0 and <= 4 && t[q].Kind == TokenKind.Quote && t[q - 1].IsWord && !t[q - 1].Quoted ? q : -1;
    }

    private static readonly HashSet<string> ImpersonalParticiples = new(StringComparer.Ordinal)
    {
        "said", "claimed", "suggested", "announced", "reported", "alleged", "argued", "understood", "confirmed", "revealed", "stated",
        "rumoured", "disclosed",
    };

    /// <summary>"it has been claimed", "it was announced", "it is understood": "it" with forms of be before the participle.</summary>
    private static bool ImpersonalPassive(IReadOnlyList<Token> t, int beforeParticiple, string participle)
    {
        if (!ImpersonalParticiples.Contains(participle))
        {
            return false;
        }

        var i = beforeParticiple;
        while (i >= 0 && t[i].IsWord && !t[i].Quoted && (NewsLexicon.Be.Contains(t[i].Lower) || t[i].Lower is "has" or "had" or "have"))
        {
            i--;
        }

        return i < beforeParticiple && i >= 0 && t[i].IsWord && !t[i].Quoted && t[i].Lower == "it";
    }

    /// <summary>"sacked for what they have said": "what" after a preposition opens a clause that is an object, not a report ("in what X calls …" is one).</summary>
    private static bool FreeRelative(IReadOnlyList<Token> t, int what) =>
        what >= 1 && t[what].IsWord && !t[what].Quoted && t[what].Lower == "what" && t[what - 1].IsWord
        && (NewsLexicon.Subordinators.Contains(t[what - 1].Lower) || t[what - 1].Lower is "about") && t[what - 1].Lower is not "in";

    /// <summary>
    /// "which Norvo says will cost $300", "what the council says are new needs": a verb of saying or believing followed
    /// by a clause with no subject of its own, whose subject is the relative word.
    /// </summary>
    private static bool ReportsAClauseWithoutSubject(IReadOnlyList<Token> t, int reportingWord) =>
        NewsLexicon.ReportingVerb(t[reportingWord].Lower)?.Lemma is "say" or "believe" or "think" or "claim" or "insist" or "argue" or "reckon"
        && reportingWord + 1 < t.Count && t[reportingWord + 1] is { IsWord: true, Quoted: false } gap && Auxiliaries.Contains(gap.Lower);

    /// <summary>The first word of the run of words just before position k that could form its subject noun phrase.</summary>
    private static string? FirstWordOfNounPhraseBefore(IReadOnlyList<Token> t, int k)
    {
        var i = k - 1;
        while (i > 0 && t[i - 1].IsWord && !t[i - 1].Quoted && t[i].IsWord && !Auxiliaries.Contains(t[i - 1].Lower) && !NewsLexicon.Subordinators.Contains(t[i - 1].Lower)
            && !ClauseBoundaries.Contains(t[i - 1].Lower) && t[i - 1].Lower is not ("and" or "but" or "or"))
        {
            i--;
        }

        return t[i].IsWord ? t[i].Lower : null;
    }

    /// <summary>Whether the word at k follows a singular common noun that follows "the", "a" or "an" within three words.</summary>
    private static bool InsideANounPhrase(IReadOnlyList<Token> t, int k)
    {
        if (k < 2 || !t[k - 1].IsWord || t[k - 1].Quoted || t[k - 1].IsCapitalized || !PlainWord(t[k - 1].Lower) || t[k - 1].Lower.EndsWith('s')
            || NewsLexicon.Be.Contains(t[k - 1].Lower) || NewsLexicon.NotReported.Contains(t[k - 1].Lower) || NewsLexicon.ReportingVerb(t[k - 1].Lower) is not null
            || t[k - 1].Lower is "people" or "police" or "public" or "government" or "staff" or "management" or "children" or "men" or "women" or "who" or "which" or "to"
                or "not" or "also" or "now" or "still" or "never" or "then" or "often" or "really" or "just")
        {
            return false;
        }

        // The noun that closes the compound follows, then the phrase ends: "think tank," not "say it raises …" ("the organisers
        // of the play say it …").
        var closes = k + 2 < t.Count && t[k + 1] is { IsWord: true, Quoted: false, IsCapitalized: false } noun && PlainWord(noun.Lower)
            && NewsLexicon.ReportingVerb(noun.Lower) is null && (t[k + 2].Kind is TokenKind.Comma or TokenKind.Stop || (t[k + 2].IsWord && t[k + 2].Lower is "of" or "for" or "in" or "at" or "on" or "with" or "and"));
        return closes && Enumerable.Range(Math.Max(0, k - 4), k - 1 - Math.Max(0, k - 4)).Any(i => t[i].IsWord && !t[i].Quoted && t[i].Lower is "the" or "a" or "an")
            && Enumerable.Range(Math.Max(0, k - 4), k - 1 - Math.Max(0, k - 4)).All(i => !(t[i].IsWord && (Auxiliaries.Contains(t[i].Lower) || SubjectPronouns.Contains(t[i].Lower))));
    }

    /// <summary>
    /// Whether the word at k follows a possessive ("her", "its", "Reed's") and at most one describing word that is no
    /// plural, and a preposition or the end of a clause follows it.
    /// </summary>
    private static bool OwnedNoun(IReadOnlyList<Token> t, int k)
    {
        var before = k - 1;
        if (before >= 1 && t[before] is { IsWord: true, Quoted: false, IsCapitalized: false } describing && PlainWord(describing.Lower)
            && !describing.Lower.EndsWith('s') && !Auxiliaries.Contains(describing.Lower) && NewsLexicon.ReportingVerb(describing.Lower) is null)
        {
            before--;
        }

        var owned = before >= 0 && (t[before].Kind == TokenKind.Possessive || (t[before].IsWord && !t[before].Quoted && t[before].Lower is "her" or "his" or "its" or "their" or "our" or "your"));
        return owned && (k + 1 == t.Count || t[k + 1].Kind is TokenKind.Comma or TokenKind.Stop
            || (t[k + 1].IsWord && !t[k + 1].Quoted && t[k + 1].Lower is "into" or "on" or "of" or "for" or "about" or "in"));
    }

    /// <summary>
    /// Whether a clause with its own subject starts at k: no preposition opens it, and a finite verb or an auxiliary comes
    /// within a few words, before any comma ("too many children are playing", "students in halls can find").
    /// </summary>
    private static bool ClauseFollows(IReadOnlyList<Token> t, int k)
    {
        if (k >= t.Count || !t[k].IsWord || t[k].Quoted || t[k].Lower is "about" or "at" or "for" or "by" or "over" or "with" or "of" or "in" or "on" or "as" or "to" or "after" or "and" or "or")
        {
            return false;
        }

        for (var i = k + 1; i < t.Count && i <= k + 6 && t[i].IsWord && !t[i].Quoted; i++)
        {
            if (Auxiliaries.Contains(t[i].Lower))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether "than" comes just before the subject of the verb at k: "more than Mr Brown predicted".</summary>
    private static bool ComparedWith(IReadOnlyList<Token> t, int k)
    {
        var i = k - 1;
        while (i > 0 && k - i <= 4 && t[i].IsWord && !t[i].Quoted && !t[i].Is("than") && (t[i].IsCapitalized || NewsLexicon.Titles.Contains(t[i].Text)
            || (i == k - 1 && !Auxiliaries.Contains(t[i].Lower) && PlainWord(t[i].Lower)) || Auxiliaries.Contains(t[i].Lower) || t[i].Lower is "had" or "originally" or "first"))
        {
            i--;
        }

        return i >= 0 && i < k - 1 && t[i].Is("than") && !t[i].Quoted;
    }

    /// <summary>Whether the object from <paramref name="start"/> is a plan: up to four modifiers, then "plans", "proposals" and the like.</summary>
    private static bool PlanObject(IReadOnlyList<Token> t, int start)
    {
        for (var i = start; i < t.Count && i < start + 5; i++)
        {
            if (!t[i].IsWord || t[i].Quoted || t[i].Lower is "that" or "to" or "for" or "of" || Auxiliaries.Contains(t[i].Lower))
            {
                return false;
            }

            if (Plans.Contains(t[i].Lower))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the verb has the complement a report needs.</summary>
    private static bool Accepts(IReadOnlyList<Token> t, int k, string lemma, NewsLexicon.Complement complement)
    {
        var hasNext = k + 1 < t.Count;
        var next = hasNext ? t[k + 1] : default;
        switch (complement)
        {
            case NewsLexicon.Complement.Clause:
                if (hasNext && next.IsWord && !next.Quoted && char.IsDigit(next.Text[0]))
                {
                    return false; // "added 5,000 jobs"
                }

                // "is asking bloggers to dedicate their sites": a request.
                if (lemma is "ask" && Enumerable.Range(k + 1, Math.Min(5, t.Count - k - 1)).Any(i => t[i].Is("to") && !t[i].Quoted))
                {
                    return true;
                }

                // "accused the government of hiding the truth": a charge made, not an object taken.
                if (lemma is "accuse" && Enumerable.Range(k + 1, Math.Min(6, t.Count - k - 1)).Any(i => t[i].Is("of") && !t[i].Quoted))
                {
                    return true;
                }

                // "recalled a string of insults from a colleague": words remembered are speech.
                if (lemma is "recall" && hasNext && next.IsWord && NewsLexicon.Determiners.Contains(next.Lower)
                    && Enumerable.Range(k + 2, Math.Min(4, Math.Max(0, t.Count - k - 2))).Any(i => t[i].IsWord && SpokenWords.Contains(t[i].Lower)))
                {
                    return true;
                }

                // "announced plans to cut jobs", "underlined Green Party plans to scrap fees", "highlighted plans for a bridge": a
                // plan named as the object is a deed made known, not words reported; so is a deed named by its gerund ("is set
                // to announce lifting the cap").
                if (lemma is "announce" or "highlight" or "underline" or "unveil" or "outline"
                    && (PlanObject(t, k + 1) || (hasNext && next is { IsWord: true, Quoted: false, IsCapitalized: false } && next.Lower.Length > 5 && next.Lower.EndsWith("ing", StringComparison.Ordinal))))
                {
                    return false;
                }

                // "conceded a goal", "noted the rise", "announced a new phone"; but "conceded this was ambitious", "declaring the
                // tolls were doomed" are clauses: a short noun phrase, then its own verb.
                if (StrictObjects.Contains(lemma) && hasNext && next.IsWord && !next.Quoted && (NewsLexicon.Determiners.Contains(next.Lower) || next.Lower is "a" or "an") && next.Lower is not "that"
                    && !SubjectWithVerbAfter(t, k + 1))
                {
                    return false;
                }

                // "is hoping for a better result", "fears for his job": a wish or a worry about a thing, no proposition.
                return !(lemma is "expect" or "think" or "hope" or "fear" or "feel" && hasNext && next.Is("to")) && !(lemma is "hope" or "fear" && hasNext && next.Is("for"));
            case NewsLexicon.Complement.Marked:
                if (lemma == "issue")
                {
                    // "issued a warning that…", "issued a statement saying…"
                    return Enumerable.Range(k + 1, Math.Min(3, t.Count - k - 1)).Any(i => t[i].IsWord && IssuedSpeech.Contains(t[i].Lower));
                }

                // "The Tory leader went on: …", not "went on holiday", "went on to win".
                if (lemma == "go")
                {
                    return hasNext && next.Is("on") && k + 2 < t.Count && t[k + 2].Kind == TokenKind.Colon;
                }

                // "Mr Howard pointed to the forecasts", "He points to …": a person citing; not "The figures point to a slowdown".
                if (lemma == "point" && hasNext && next.Is("to"))
                {
                    var subject = k - 1;
                    while (subject > 0 && t[subject].IsWord && NewsLexicon.BetweenSubjectAndVerb.Contains(t[subject].Lower))
                    {
                        subject--;
                    }

                    return subject >= 0 && t[subject].IsWord && !t[subject].Quoted
                        && (t[subject].Lower is "he" or "she" || (t[subject].IsCapitalized && subject > 0 && !NewsLexicon.NotNames.Contains(t[subject].Text)));
                }

                // "backed a plan to freeze the debts", "proposed a scheme to cut fares": a proposal with its aim is a view given;
                // not "backed the team" nor the adverb "back".
                if (lemma is "back" or "propose" && t[k].Lower != "back" && hasNext && next.IsWord && !next.Quoted && NewsLexicon.ArticlesAndPossessives.Contains(next.Lower))
                {
                    return Enumerable.Range(k + 2, Math.Min(3, Math.Max(0, t.Count - k - 3))).Any(i => t[i].Is("to") && !t[i].Quoted && t[i + 1].IsWord && !t[i + 1].Quoted
                        && !char.IsUpper(t[i + 1].Text[0]) && !NewsLexicon.Determiners.Contains(t[i + 1].Lower) && !SubjectPronouns.Contains(t[i + 1].Lower)
                        && t[i + 1].Lower is not ("him" or "her" or "them" or "us"));
                }

                // "Sales rose by 5%, the study found.": a verb closing the sentence after a short subject and a comma is a tag,
                // the clause before it its complement (not "nothing was found", "what the police found"; "…, figures show." is
                // what figures say, from nobody).
                if (lemma != "show" && (!hasNext || next.Kind == TokenKind.Stop))
                {
                    var comma = k - 1;
                    while (comma > 0 && comma > k - 4 && t[comma].IsWord && !t[comma].Quoted && !Auxiliaries.Contains(t[comma].Lower) && !NewsLexicon.Be.Contains(t[comma].Lower)
                        && !NewsLexicon.Relatives.Contains(t[comma].Lower) && t[comma].Lower is not ("what" or "that"))
                    {
                        comma--;
                    }

                    if (comma > 1 && comma < k - 1 && t[comma].Kind == TokenKind.Comma)
                    {
                        return true;
                    }
                }

                // "He also spoke on the telephone to the mayor", "spoke to reporters": whom he spoke to, with nothing of what he
                // said ("spoke to the BBC about the plans", "spoke to him, saying …" give it; "was speaking at a conference" sets
                // the scene of words reported around it).
                if (lemma == "speak" && t[k].Lower != "speaking" && hasNext && next.Lower is "to" or "on" or "at" && !t.Skip(k + 1).Any(x => x.Quoted || (x.IsWord && x.Lower is "about" or "saying" or "that")))
                {
                    return false;
                }

                var markers = NewsLexicon.MarkersOf(lemma);
                if (hasNext && (markers.Contains(next.Lower) || (next.Kind == TokenKind.Colon && markers.Contains(":")) || (next.Kind == TokenKind.Comma && markers.Contains(","))))
                {
                    return true;
                }

                // "identified the suspect in Friday's shooting as a former guard": who someone is, told.
                // "attacked his plans as unworkable", "attacked the council over parking": a charge with what it calls the
                // thing, or what it is about.
                if ((lemma is "describe" or "dismiss" or "brand" or "attack" && Enumerable.Range(k + 1, Math.Min(10, t.Count - k - 1)).Any(i => t[i].Is("as") && !t[i].Quoted))
                    || (lemma is "attack" && Enumerable.Range(k + 1, Math.Min(6, t.Count - k - 1)).Any(i => t[i].Is("over") && !t[i].Quoted))
                    || (lemma is "identify" && Enumerable.Range(k + 1, Math.Min(16, t.Count - k - 1)).Any(i => t[i].Is("as") && !t[i].Quoted))
                    // "likened renting computer power to buying electricity": the thing compared, then what it is likened to.
                    || (lemma is "liken" && Enumerable.Range(k + 1, Math.Min(8, t.Count - k - 1)).Any(i => t[i].Is("to") && !t[i].Quoted)))
                {
                    return true;
                }

                return lemma is "describe" or "call" or "dub" or "dismiss" or "find" && Enumerable.Range(k + 1, t.Count - k - 1).Any(i => t[i].Quoted && t[i].IsWord);
            default:
                return true;
        }
    }

    /// <summary>
    /// "this was ambitious", "the tolls were doomed": a determiner and one or two words of a noun phrase, then a
    /// finite "be", "have" or modal: a clause with its own subject, not an object ("noted the rise in prices" is one).
    /// </summary>
    private static bool SubjectWithVerbAfter(IReadOnlyList<Token> t, int determiner)
    {
        if (t[determiner].Lower is "this" or "these" or "those")
        {
            return determiner + 1 < t.Count && t[determiner + 1].IsWord
                && (NewsLexicon.Be.Contains(t[determiner + 1].Lower) || NewsLexicon.NotReported.Contains(t[determiner + 1].Lower) || t[determiner + 1].Lower is "has" or "had" or "have");
        }

        for (var i = determiner + 2; i < t.Count && i <= determiner + 3; i++)
        {
            if (!t[i].IsWord || t[i].Quoted)
            {
                return false;
            }

            if (NewsLexicon.Be.Contains(t[i].Lower) || t[i].Lower is "has" or "had" or "have" or "would" or "could" or "will" or "can" or "might" or "should" or "may" or "must")
            {
                return true;
            }

            if (NewsLexicon.Subordinators.Contains(t[i].Lower) || NewsLexicon.Relatives.Contains(t[i].Lower) || t[i].Lower is "and" or "or" or "but")
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>A lower-case word that is no function word, pronoun or complementiser: "session" in "questions session".</summary>
    private static bool PlainWord(string lower) =>
        !NewsLexicon.Determiners.Contains(lower) && !SubjectPronouns.Contains(lower) && !NewsLexicon.Subordinators.Contains(lower)
        && !NewsLexicon.BetweenSubjectAndVerb.Contains(lower) && !Auxiliaries.Contains(lower) && lower is not ("that" or "whether" or "why" or "how" or "what" or "him" or "her" or "them" or "us");

    /// <summary>"It will open in March, said the producer": a clause before the comma, so the verb is inverted; not an apposition ("Philip Rinaldi, a spokesman, said the…").</summary>
    private static bool ClauseBeforeComma(IReadOnlyList<Token> t, int comma)
    {
        var start = comma;
        while (start > 0 && (t[start - 1].Kind is not (TokenKind.Comma or TokenKind.Quote or TokenKind.Colon or TokenKind.Semicolon) && !t[start - 1].Quoted
            || ScareQuoteBefore(t, start) > 0))
        {
            // "… set their taxes at "reasonable levels" after …, says X": a few words quoted inside the clause are part of it.
            start = ScareQuoteBefore(t, start) is var open and > 0 ? open : start - 1;
        }

        var segment = t.Skip(start).Take(comma - start).ToList();
        // "The levy, which the Treasury had defended, was unfair, said Ada Moss": the predicate resuming after an aside.
        var predicate = start > 0 && segment.Count > 1 && segment[0].IsWord && Auxiliaries.Contains(segment[0].Lower);
        return segment.Count == 0 || IsClause(segment) || predicate || start == 0 && segment.Count > 6;
    }

    /// <summary>
    /// "Currently, says Dr Paniccia, telecoms…", "Cell could be marketed as …, and everything in between, said Kevin
    /// Krewell": the sentence opens with a scene-setting word or a clause of its own, so the name after the verb is
    /// its subject; not "Philip Rinaldi, a spokesman, said Labour…", whose first segment is a noun phrase.
    /// </summary>
    private static bool OpensWithClauseOrIntro(IReadOnlyList<Token> t, int comma)
    {
        var segments = Segments(t, 0, comma);
        if (segments.Count > 0 && segments[0].Count > 1 && segments[0][0].IsWord && segments[0][0].Lower is "but" or "and" or "yet")
        {
            segments[0] = segments[0].Skip(1).ToList(); // "But in some cases, said the report, …"
        }

        return segments.Count > 0 && !segments[0].Any(x => x.Quoted)
            && (IsIntro(segments[0]) || IsClause(segments[0]) || segments[0] is [{ IsWord: true } adverb] && adverb.Lower.EndsWith("ly", StringComparison.Ordinal));
    }

    /// <summary>"The idea, says BT, is to …": a short name between commas, the sentence going on after it.</summary>
    private static bool ParentheticalName(IReadOnlyList<Token> t, int from)
    {
        for (var i = from; i < t.Count && i < from + 5; i++)
        {
            if (t[i].Kind == TokenKind.Comma)
            {
                return i > from && i + 1 < t.Count && t[i + 1].IsWord && !t[i + 1].Quoted && Auxiliaries.Contains(t[i + 1].Lower);
            }

            if (!t[i].IsCapitalized)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Capitalised words only, from <paramref name="from"/> to the full stop that ends the sentence.</summary>
    private static bool NameToTheEnd(IReadOnlyList<Token> t, int from)
    {
        var i = from;
        while (i < t.Count && t[i] is { IsWord: true, Quoted: false, IsCapitalized: true })
        {
            i++;
        }

        return i > from && i == t.Count - 1 && t[i].Kind == TokenKind.Stop;
    }

    private static bool ReachesEnd(IReadOnlyList<Token> t, int from)
    {
        for (var i = from; i < t.Count; i++)
        {
            if (t[i].Kind is TokenKind.Stop or TokenKind.Comma || (t[i].Kind == TokenKind.Dash && i > from))
            {
                return true; // "…, says the party - and insulation could …"
            }

            // "…, says a report.", "…, said the survey.": a reporting verb's form after an article or a possessive is a noun.
            var noun = i > from && t[i - 1] is { IsWord: true, Quoted: false } && (NewsLexicon.ArticlesAndPossessives.Contains(t[i - 1].Lower) || t[i - 1].Lower == "this");
            if (t[i].Quoted || t[i].Kind is TokenKind.Quote or TokenKind.Colon || (t[i].IsWord && (Auxiliaries.Contains(t[i].Lower) || (NewsLexicon.ReportingVerb(t[i].Lower) is not null && !noun))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ParentheticalAfter(IReadOnlyList<Token> t, int from)
    {
        for (var i = from; i < t.Count && i < from + 4; i++)
        {
            if (t[i].Kind is TokenKind.Stop or TokenKind.Comma)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The noun phrase after an inverted verb: <c>said Robert Sinche, head of … in New York.</c></summary>
    private static Referent? Inverted(IReadOnlyList<Token> t, int from)
    {
        var end = from;
        while (end < t.Count && !t[end].Quoted && t[end].Kind is not (TokenKind.Stop or TokenKind.Semicolon or TokenKind.Quote or TokenKind.Colon or TokenKind.Dash))
        {
            end++;
        }

        var segments = Segments(t, from, end);
        var chain = new List<IReadOnlyList<Token>>();
        foreach (var segment in segments)
        {
            if (segment.Count > 0 && segment[0].IsWord && NewsLexicon.Relatives.Contains(segment[0].Lower))
            {
                break;
            }

            chain.Add(segment);
        }

        return SpeakerPhrase.Describe(JoinLists(chain));
    }

    /// <summary>
    /// The subject of the verb at <paramref name="verb"/> (the linking verb for a stance): the comma-separated segments
    /// before it, back to a quotation, a clause boundary or the start. Scene-setting segments ("On Wednesday", "Speaking
    /// to the BBC", "However") and relative clauses are set aside; with a complement the head is the first segment of the
    /// chain ending at the verb (appositions follow it), in a parenthetical ("…, she said.") the last one.
    /// </summary>
    private static Referent? Subject(IReadOnlyList<Token> t, int verb, int reportingWord, bool complement)
    {
        // "The firm quietly announced that …", "Mr Vane proudly told them …": an adverb in "-ly" after the subject is no part of it.
        var end = verb;
        while (end > 0 && t[end - 1].IsWord && !t[end - 1].Quoted && (NewsLexicon.BetweenSubjectAndVerb.Contains(t[end - 1].Lower)
            || (end > 1 && !char.IsUpper(t[end - 1].Text[0]) && NewsLexicon.IsMannerAdverb(t[end - 1].Lower) && t[end - 2] is { IsWord: true, Quoted: false } subjectEnd
                && (subjectEnd.IsCapitalized || SubjectPronouns.Contains(subjectEnd.Lower) || SpeakerPhrase.IsPlural(subjectEnd.Lower)))))
        {
            end--;
        }

        if (end > 1 && t[end - 1].IsWord && t[end - 2].Is("on") && char.IsUpper(t[end - 1].Text[0]) && t[end - 1].Text.EndsWith("day", StringComparison.Ordinal))
        {
            end -= 2;
        }

        // "During an interview on breakfast TV she said …": a personal pronoun right before the verb is its subject, whatever precedes it.
        if (end > 0 && t[end - 1].IsWord && !t[end - 1].Quoted && t[end - 1].Lower is "he" or "she" or "they" or "we" or "it"
            && (end == 1 || t[end - 2].Kind != TokenKind.Possessive))
        {
            // "membership of it demanded that …": "it" after a preposition is its object, and the noun before is the subject.
            if (end >= 2 && t[end - 1].Lower == "it" && t[end - 2] is { IsWord: true, Quoted: false } preposition
                && preposition.Lower is "of" or "for" or "with" or "to" or "from" or "about" or "by" or "on" or "at" or "into" or "against" or "without" or "over")
            {
                return null;
            }

            return end >= 2 && FreeRelative(t, end - 2) && !ReportsAClauseWithoutSubject(t, reportingWord) ? null : new PronounReferent(t[end - 1].Lower);
        }

        // "In its report on the council's work the committee said": a definite subject after an opening phrase with no comma.
        if (end > 2 && t[0].IsWord && NewsLexicon.Subordinators.Contains(t[0].Lower) && !t.Take(end).Any(x => x.Kind is TokenKind.Comma or TokenKind.Quote || x.Quoted))
        {
            for (var d = end - 2; d >= 1 && d >= end - 4; d--)
            {
                if (t[d].Is("the") && t[d - 1].IsWord && !t[d - 1].IsCapitalized
                    && Slice(t, d + 1, end).All(x => x.IsWord) && t[end - 1].Lower is var noun && (NewsLexicon.BodyNouns.Contains(noun) || SpeakerPhrase.IsPersonNoun(noun)))
                {
                    return SpeakerPhrase.Describe([Slice(t, d, end)]);
                }
            }
        }

        if (end > 1 && t[end - 1].Kind == TokenKind.Dash)
        {
            // "Gerry Conlon - who was wrongly convicted - said": the words between two dashes are an aside.
            var open = end - 2;
            while (open > 0 && t[open].Kind != TokenKind.Dash && !t[open].Quoted && t[open].Kind is not (TokenKind.Quote or TokenKind.Stop or TokenKind.Colon))
            {
                open--;
            }

            if (open > 0 && t[open].Kind == TokenKind.Dash)
            {
                if (t[open + 1].IsWord && t[open + 1].Lower is "and")
                {
                    // "Dr Fell - and colleagues Ann Roe and Li Wen - show …": a coordination set off by dashes, not an aside.
                    var joined = t.Take(open).Concat(t.Skip(open + 1).Take(end - 2 - open)).Concat(t.Skip(end)).ToList();
                    return Subject(joined, verb - 2, reportingWord - 2, complement);
                }

                end = open;
            }
        }

        if (end > 0 && t[end - 1].Kind == TokenKind.Comma)
        {
            end--; // "India's finance minister, lashed out"
        }

        if (end == 0)
        {
            return null;
        }

        if (t[end - 1].IsWord && t[end - 1].Lower is "and" or "but" or "or" && !t[end - 1].Quoted)
        {
            // "Bogdanov won last week and then claimed…"; not "rebuttals and claims." where the word is a noun.
            return complement ? ClauseSubject(t, 0, end - 1) : null;
        }

        // "Mr Crow, who has led the union since 2002, said": a relative clause closed by a comma before the verb holds its own
        // "since", "after", "that"; they do not open the subject's clause.
        var relativeOpen = -1;
        if (end < verb && t[end].Kind == TokenKind.Comma)
        {
            for (var r = end - 1; r > 0 && !t[r].Quoted && t[r].Kind is not (TokenKind.Stop or TokenKind.Quote or TokenKind.Semicolon or TokenKind.Colon); r--)
            {
                if (t[r].IsWord && t[r].Lower is "who" or "whose" or "which" && t[r - 1].Kind == TokenKind.Comma)
                {
                    relativeOpen = r;
                    break;
                }
            }
        }

        var start = end;
        var startedAtSubordinator = false;
        while (start > 0)
        {
            if (start - 1 > relativeOpen && relativeOpen > 0)
            {
                start--;
                continue;
            }

            var token = t[start - 1];
            if (ScareQuoteBefore(t, start) is var open and >= 0)
            {
                start = open; // "one of the so-called "Blair Babes" elected in 1997": a few words quoted inside the noun phrase
                continue;
            }

            if (token.Quoted || token.Kind is TokenKind.Quote or TokenKind.Semicolon or TokenKind.Dash or TokenKind.Stop)
            {
                break;
            }

            if (token.Kind == TokenKind.Colon && start < t.Count && t[start].Kind == TokenKind.Quote)
            {
                break;
            }

            // "sacked for what they have said": a clause that is an object of the sentence, not its report; but "in response
            // to what the council says are new needs" reports the clause with no subject after the verb.
            if (FreeRelative(t, start - 1) && !ReportsAClauseWithoutSubject(t, reportingWord))
            {
                return null;
            }

            // "… as the report revealed that …": "as" opens a clause, but not in "as well as" or "such as".
            if (token.IsWord && !token.Quoted && (ClauseBoundaries.Contains(token.Lower) || (token.Lower == "as" && start >= 2 && t[start - 2].Lower is not ("such" or "well") && !(start < t.Count && t[start].Is("well")))))
            {
                startedAtSubordinator = true;
                break;
            }

            if (token.IsWord && token.Lower is "and" or "but" && start >= 2 && t[start - 2].Kind == TokenKind.Comma && !EndsOpeningSubordinateClause(t, start - 2))
            {
                break; // ", and many commentators believe"
            }

            // "Sales are strong and analysts predict …": "and" after a clause with a verb of its own opens a new clause.
            if (token.IsWord && !token.Quoted && token.Lower is "and" or "but" && start >= 3 && relativeOpen < 0 && FiniteVerbBefore(t, start - 1))
            {
                break;
            }

            // "It went on sale priced $150 and Nintendo says …": a name after "and" that follows no name of its own opens a clause
            // (not the second of "Both the mayor and Mr Brown said").
            if (token.IsWord && !token.Quoted && token.Lower is "and" or "but" && start >= 2 && t[start - 2] is { Quoted: false } before
                && (before.Kind == TokenKind.Word && !before.IsCapitalized || char.IsDigit(before.Text[0])) && SpeechTokens.NameRuns(t, start, end) is [var run] && run.Start == start && run.End == end
                && !(t[0].Is("both") && t.Take(start - 1).All(x => x.IsWord && !x.Quoted)))
            {
                break;
            }

            start--;
        }

        var segments = Segments(t, start, end);
        if (segments.Count == 0)
        {
            return null;
        }

        // Relative clauses run from "who/which/whose" to the verb; they belong to the segment before them. In an object
        // relative ("…, which G7 nations, in particular the US, have blamed for…") the verb is the relative clause's own:
        // it describes a noun of the sentence and reports nothing the sentence says, so it names no speaker.
        var relative = segments.FindIndex(s => s[0].IsWord && s[0].Lower is "who" or "which" or "whose" or "whom");
        if (relative == segments.Count - 1 && segments[relative].Count > 1 && segments[relative][0].Lower is "which" or "whom"
            && segments[relative][1] is { IsWord: true } objectStart && (objectStart.IsCapitalized || char.IsDigit(objectStart.Text[0]) || NewsLexicon.Determiners.Contains(objectStart.Lower)))
        {
            // "The phone, which Norvo says will cost $300, …": a clause with no subject of its own after a verb of saying or
            // believing is what the relative's subject reports (not a promise: "which the council had promised would open").
            return ReportsAClauseWithoutSubject(t, reportingWord) ? SpeakerPhrase.Describe([segments[relative].Skip(1).ToList()]) : null;
        }

        // "The levy, which the Treasury had defended, was unfair, Ada Moss said.": a relative clause early in the sentence
        // is over by the time a report closes it; the speaker stands after it.
        var resumed = relative >= 0 && relative < segments.Count - 1
            && (!complement || segments.Skip(relative + 1).SkipLast(1).Any(s => s.Count > 1 && s[0].IsWord && Auxiliaries.Contains(s[0].Lower)));
        var usable = resumed ? segments.Skip(relative + 1).ToList()
            : relative > 0 ? segments.Take(relative).ToList() : relative == 0 ? [] : segments;
        if (usable.Count == 0)
        {
            return null;
        }

        usable = JoinLists(usable);

        var intro = new bool[usable.Count];
        for (var i = 0; i < usable.Count; i++)
        {
            // "Peter Lang, from Acme's Boston Laboratories, …": "from" after a name says where the person is from; it sets no scene.
            var whereFrom = i > 0 && usable[i] is [{ IsWord: true, Quoted: false } from, ..] && from.Lower == "from" && usable[i - 1].All(x => x.IsCapitalized) && !intro[i - 1];
            intro[i] = (i == 0 && startedAtSubordinator && usable.Count > 1) || (IsIntro(usable[i]) && !whereFrom) || IsClause(usable[i])
                // "Even after the influx of women MPs, and more women in the Cabinet, female MPs say": the opening clause goes on after "and".
                || (i > 0 && i < usable.Count - 1 && intro[i - 1] && usable[i][0] is { IsWord: true, Quoted: false } conjunction && conjunction.Lower is "and" or "or");
        }

        if (!complement)
        {
            var last = usable.Count - 1;
            if (intro[last] && usable.Count > 1 && IsClause(usable[last]))
            {
                return null;
            }

            // "…, Rabbi Marvin Hier, founder of the Wiesenthal Center said.": a name and its apposition before the verb.
            if (last > 0 && !intro[last - 1] && usable[last - 1].All(x => x.IsCapitalized) && SpeakerPhrase.Describe([usable[last - 1]]) is NameReferent named
                && SpeakerPhrase.Describe([usable[last]]) is RoleReferent or null)
            {
                return named;
            }

            return SpeakerPhrase.Describe([usable[last]]);
        }

        var first = usable.Count - 1;
        while (first > 0 && !intro[first - 1])
        {
            first--;
        }

        if (intro[first] && first == usable.Count - 1 && IsClause(usable[first]))
        {
            // A whole clause before the verb with no subject of its own in reach: its leading noun phrase.
            return ClauseSubject(t, start, end);
        }

        return SpeakerPhrase.Describe(usable.Skip(first).ToList());
    }

    /// <summary>
    /// A list of names written with commas, "Leaders of Germany, France and Britain", "Sony, IBM and Toshiba": its items
    /// joined into one segment with "and", so that every name in it speaks, not only the first. A segment joins the one
    /// before it when it is a short run of capitalised words and the run of them ends in one with "and".
    /// </summary>
    internal static List<IReadOnlyList<Token>> JoinLists(List<IReadOnlyList<Token>> segments)
    {
        static bool NameItem(IReadOnlyList<Token> s) =>
            s.Count is > 0 and <= 5 && s.All(x => x.Kind is TokenKind.Word && !x.Quoted && (x.IsCapitalized || x.Lower is "and" or "the"))
            && s[0].IsWord && s[0].Lower is not "and" && s[^1].IsCapitalized;

        var result = new List<IReadOnlyList<Token>>();
        for (var i = 0; i < segments.Count; i++)
        {
            var run = i + 1;
            while (run < segments.Count && NameItem(segments[run]) && !segments[run].Any(x => x.Lower == "and"))
            {
                run++;
            }

            var last = run < segments.Count && segments[run].Count > 0 && segments[run][0].Lower is "and" ? segments[run].Skip(1).ToList() : null;

            // "…, Poland and several Nordic countries": the list may end in a group of its own after names.
            var and = run < segments.Count ? segments[run].ToList().FindIndex(x => x.Lower == "and") : -1;
            var namesThenGroup = and > 0 && run > i + 1 && NameItem(segments[run].Take(and).ToList()) && segments[run].All(x => x.Kind == TokenKind.Word && !x.Quoted);
            if (run < segments.Count && (NameItem(segments[run]) || (last is not null && NameItem(last)) || namesThenGroup) && segments[run].Any(x => x.Lower == "and")
                && segments[i].Count > 0 && segments[i][^1].IsCapitalized && !segments[i].Any(x => x.Quoted) && !SpeakerPhrase.OpensARemit(segments[i]))
            {
                var joined = new List<Token>(segments[i]);
                for (var j = i + 1; j <= run; j++)
                {
                    // The list's own "and" separates its last two items even inside a run of capitals ("France and Britain").
                    var item = (segments[j].Count > 0 && segments[j][0].Lower is "and" ? segments[j].Skip(1) : segments[j])
                        .Select(x => x.IsWord && x.Lower == "and" ? new Token(SpeakerPhrase.ListAnd, TokenKind.Word, false) : x);
                    joined.Add(new Token(SpeakerPhrase.ListAnd, TokenKind.Word, false));
                    joined.AddRange(item);
                }

                result.Add(joined);
                i = run;
                continue;
            }

            result.Add(segments[i]);
        }

        return result;
    }

    /// <summary>The noun phrase that opens the clause in t[from..to): "The 28-year-old 800 metres runner has not …".</summary>
    private static Referent? ClauseSubject(IReadOnlyList<Token> t, int from, int to)
    {
        var segments = Segments(t, from, to);
        var segment = segments.FirstOrDefault(s => !IsIntro(s));
        if (segment is null)
        {
            return null;
        }

        var np = new List<Token>();
        for (var i = 0; i < segment.Count; i++)
        {
            var token = segment[i];
            if (token.Quoted || (token.IsWord && np.Count > 0 && (Auxiliaries.Contains(token.Lower) || PastVerbs.Contains(token.Lower) || NewsLexicon.ReportingVerb(token.Lower) is not null
                || (token.Lower.EndsWith("ed", StringComparison.Ordinal) && !token.Text.Contains('-') && !char.IsUpper(token.Text[0]))
                || NewsLexicon.BetweenSubjectAndVerb.Contains(token.Lower) || PresentVerbBeforeObject(segment, i, np.Count) || AdverbBeforeVerb(segment, i, np))))
            {
                break;
            }

            np.Add(token);
        }

        return np.Count is > 0 and <= 8 ? SpeakerPhrase.Describe([np]) : null;
    }

    /// <summary>
    /// "He slightly raised the levy but insisted …": a lower-case "-ly" word right before a past verb, after a pronoun or a
    /// name, is an adverb after the subject (not "The Vance family owned …", a noun in a phrase with a determiner).
    /// </summary>
    private static bool AdverbBeforeVerb(IReadOnlyList<Token> segment, int i, List<Token> np) =>
        np.Count > 0 && np.All(x => x.IsWord && (x.IsCapitalized && !NewsLexicon.Determiners.Contains(x.Lower) || SubjectPronouns.Contains(x.Lower)))
        && !char.IsUpper(segment[i].Text[0]) && segment[i].Lower.Length > 4 && segment[i].Lower.EndsWith("ly", StringComparison.Ordinal)
        && i + 1 < segment.Count && segment[i + 1] is { IsWord: true, Quoted: false } next && !char.IsUpper(next.Text[0])
        && (next.Lower.EndsWith("ed", StringComparison.Ordinal) || PastVerbs.Contains(next.Lower));

    /// <summary>"The firm employs 7,600 workers and insists …": a lower-case "-s" form after a noun phrase, before a figure or a determiner, is its verb.</summary>
    private static bool PresentVerbBeforeObject(IReadOnlyList<Token> segment, int i, int before) =>
        before >= 2 && !char.IsUpper(segment[i].Text[0]) && segment[i].Lower.EndsWith('s') && !segment[i].Lower.EndsWith("ss", StringComparison.Ordinal)
        && i + 1 < segment.Count && segment[i + 1].IsWord && !segment[i + 1].Quoted
        && (char.IsDigit(segment[i + 1].Text[0]) || NewsLexicon.ArticlesAndPossessives.Contains(segment[i + 1].Lower));

    /// <summary>"… Iris director Sir Richard Eyre who called …": the noun phrase before the relative pronoun.</summary>
    private static Referent? RelativeAntecedent(IReadOnlyList<Token> t, int relative)
    {
        // "there are those who believe …", "many who think …": people the sentence does not name.
        if (relative > 0 && t[relative - 1] is { IsWord: true, Quoted: false } people && people.Lower is "those" or "many" or "some" or "others")
        {
            return UnnamedReferent.Instance;
        }

        var start = relative;
        while (start > 0 && !t[start - 1].Quoted
            && ((t[start - 1].IsWord && (char.IsUpper(t[start - 1].Text[0]) || SpeakerPhrase.IsPersonNoun(t[start - 1].Lower) || NewsLexicon.BodyNouns.Contains(t[start - 1].Lower)))
                || t[start - 1].Kind == TokenKind.Possessive))
        {
            start--;
        }

        if (start > 0 && t[start - 1].Kind == TokenKind.Comma)
        {
            // "… by the employers' organisation, the CBI, which complains of …": the name just before the relative.
            var open = start - 1;
            while (open > 0 && !t[open - 1].Quoted && ((t[open - 1].IsWord && (t[open - 1].IsCapitalized || t[open - 1].Lower == "the"
                || (t[open - 1].Lower is "of" or "for" && open >= 2 && t[open - 2].IsCapitalized))) || t[open - 1].Kind == TokenKind.Possessive))
            {
                open--;
            }

            // "… a rival in Zento, which argues that …": a name after a preposition is what the relative is about too.
            var named = open > 0 && (t[open - 1].Kind == TokenKind.Comma
                || (t[open - 1] is { IsWord: true, Quoted: false } before && before.Lower is "in" or "by" or "from" or "with" or "to" or "at" or "against"));
            return open < start - 1 && named && SpeakerPhrase.Describe([Slice(t, open, start - 1)]) is NameReferent name
                ? name
                : null; // ", who said": the subject clause reads it
        }

        return start < relative ? SpeakerPhrase.Describe([Slice(t, start, relative)]) : null;
    }

    private static bool IsIntro(IReadOnlyList<Token> segment)
    {
        var first = segment[0];
        if (!first.IsWord)
        {
            return true;
        }

        var lower = first.Lower;
        if (segment.Count == 1 && NewsLexicon.Openers.Contains(lower))
        {
            return true;
        }

        if (NewsLexicon.Subordinators.Contains(lower) || ClauseBoundaries.Contains(lower))
        {
            return true;
        }

        // Participles that set a scene: "Speaking to the BBC", "Writing in the Times", "Asked about the bid".
        if ((lower.EndsWith("ing", StringComparison.Ordinal) && lower.Length > 5 && char.IsUpper(first.Text[0]))
            || (lower.EndsWith("ed", StringComparison.Ordinal) && segment.Count > 1 && segment[1].IsWord && segment[1].Lower is "about" or "by" or "on" or "if" or "whether" or "in" or "with"))
        {
            return true;
        }

        return NewsLexicon.Openers.Contains(lower) && segment.Count <= 3 && segment.All(s => !s.IsCapitalized || NewsLexicon.NotNames.Contains(s.Text));
    }

    /// <summary>A segment with a verb of its own: not an apposition.</summary>
    private static bool IsClause(IReadOnlyList<Token> segment)
    {
        var words = segment.Where(s => s.IsWord && !s.Quoted && s.Text != SpeakerPhrase.ListAnd).ToList();
        if (words.Count > 14)
        {
            return true;
        }

        for (var i = 0; i < words.Count; i++)
        {
            var lower = words[i].Lower;
            if (Auxiliaries.Contains(lower) && i > 0)
            {
                return true;
            }

            if (SubjectPronouns.Contains(lower) && i + 1 < words.Count && words.Count > 1)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>t[from..to) split at commas outside parentheses, without empty parts.</summary>
    private static List<IReadOnlyList<Token>> Segments(IReadOnlyList<Token> t, int from, int to)
    {
        var segments = new List<IReadOnlyList<Token>>();
        var current = new List<Token>();
        var depth = 0;
        for (var i = from; i < to; i++)
        {
            var token = t[i];
            if (token.Kind == TokenKind.OpenParen)
            {
                depth++;
            }
            else if (token.Kind == TokenKind.CloseParen)
            {
                depth = Math.Max(0, depth - 1);
            }

            if (token.Kind == TokenKind.Comma && depth == 0)
            {
                if (current.Count > 0)
                {
                    segments.Add(current);
                }

                current = [];
                continue;
            }

            if (token.Kind is TokenKind.Quote)
            {
                continue;
            }

            current.Add(token);
        }

        if (current.Count > 0)
        {
            segments.Add(current);
        }

        return segments;
    }

    private static List<Token> Slice(IReadOnlyList<Token> t, int from, int to) => t.Skip(from).Take(to - from).ToList();
}
