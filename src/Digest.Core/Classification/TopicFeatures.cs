namespace Digest.Core.Classification;

/// <summary>What one item looks like to the model: hashed text features, the event-and-participant features, and what matched.</summary>
internal sealed class ItemFeatures
{
    public required List<string> Tokens { get; init; }

    /// <summary>The content words, with each party's people and places replaced by the party, venues by "‹venue›", numbers by "‹n›".</summary>
    public required List<string> Abstracted { get; init; }

    /// <summary>Hashed feature indices, sorted and distinct, with their (L2-normalised) values.</summary>
    public required int[] Indices { get; init; }

    public required float[] Values { get; init; }

    /// <summary>Who and what kind of event, as a few dense features (see <see cref="TopicFeatures.DenseNames"/>).</summary>
    public required double[] Dense { get; init; }

    /// <summary>Indices of the entities and phrases found (the profile's entities, then its phrases), in order of first occurrence.</summary>
    public required List<int> Evidence { get; init; }

    /// <summary>Indices into the profile's parties of the parties named.</summary>
    public required List<int> Parties { get; init; }

    /// <summary>For each frame of <see cref="TopicFrames.All"/>, the strongest evidence of it (0 when absent).</summary>
    public required double[] Frames { get; init; }

    public required List<int> Exclusions { get; init; }

    public bool HasFrame(string frame) => Frames[Array.IndexOf(TopicFrames.All, frame)] > 0;

    /// <summary>The item reports diplomacy: the peace process, talks, a meeting, a proposal or the terms of a settlement.</summary>
    public bool HasDiplomacy => Frames[0] > 0 || Frames[1] > 0 || Frames[2] > 0 || Frames[3] > 0 || Frames[4] > 0;
}

/// <summary>
/// Turns an item's text into features for the topic model. What carries over from one week of a story to the next is
/// who takes part and what kind of event it is — a side of the war meeting a broker, a proposal, the terms of a
/// settlement — not the names of this week's venues and documents; so the dense features are the parties named (by
/// role: the sides at war, a broker, an ally) crossed with the frames the profile's phrases mark, and the hashed word
/// uni- and bigrams read the text with each party's people and places replaced by the party, venues by one token and
/// numbers by one token ("Witkoff meets Umerov in Geneva on 28-point plan" reads as "‹United States› meets ‹Ukraine›
/// in ‹venue› on ‹n› point plan"). New profile terms take effect without retraining.
/// </summary>
internal sealed class TopicFeatures
{
    public const int HashBits = 18;
    public const int MaxTokens = 64;

    public static readonly string[] DenseNames =
    [
        "side", "both sides", "broker", "ally",
        "peace", "talks", "meeting", "proposal", "terms", "progress", "war", "violence", "money", "scandal",
        "exclusion", "venue",
        "peace×side", "talks×side", "meeting×side and broker or both sides", "meeting×side and ally", "proposal×side",
        "terms×side", "progress×side", "diplomacy×ally×side", "war×side", "diplomacy×venue", "side without diplomacy",
        "other news×diplomacy", "diplomacy without side", "three parties", "outsider", "diplomacy×outsider and one side alone",
        "money×dealing without peace or terms",
    ];

    private const int Mask = (1 << HashBits) - 1;
    private const string VenueToken = "‹venue›";
    private const string NumberToken = "‹n›";
    private static readonly int FrameCount = TopicFrames.All.Length;

    private readonly WeightedTerm[] evidenceTerms;

    /// <summary>One matcher for the evidence terms, then the venues, then the exclusions: one look-up per token.</summary>
    private readonly TermMatcher terms;
    private readonly int venuesFrom;
    private readonly int exclusionsFrom;
    private readonly int[] partyOf;
    private readonly int[] frameOf;
    private readonly string[] partyTokens;
    private readonly bool[] isSide;
    private readonly string[] roleOf;

    public TopicFeatures(TopicProfile profile)
    {
        Profile = profile;
        evidenceTerms = [.. profile.Entities, .. profile.Phrases];
        venuesFrom = evidenceTerms.Length;
        exclusionsFrom = venuesFrom + profile.Venues.Count;
        terms = Matcher([.. evidenceTerms, .. profile.Venues, .. profile.Exclusions]);
        EvidenceNames = [.. evidenceTerms.Select(t => t.Name)];
        PartyNames = [.. profile.Parties.Select(p => p.Name)];
        var parties = profile.Parties.Select(p => p.Name).ToList();
        partyOf = [.. evidenceTerms.Select(t => t.Party is { } p ? parties.FindIndex(n => n.Equals(p, StringComparison.OrdinalIgnoreCase)) : -1)];
        frameOf = [.. evidenceTerms.Select(t => t.Frame is { } f ? Array.IndexOf(TopicFrames.All, f) : -1)];
        partyTokens = [.. parties.Select(p => "‹" + p.ToLowerInvariant() + "›")];
        isSide = [.. profile.Parties.Select(p => p.Role == TopicParty.Side)];
        roleOf = [.. profile.Parties.Select(p => p.Role)];
    }

    public TopicProfile Profile { get; }

    public string[] EvidenceNames { get; }

    public string[] PartyNames { get; }

    public static TermMatcher Matcher(IReadOnlyList<WeightedTerm> terms) => new([.. terms.Select(t => t.Spellings)]);

    /// <summary>The text the model reads: the title without a trailing " - Outlet", then the start of the summary.</summary>
    public static string TextOf(ClassifierInput input)
    {
        var title = input.Title;
        if (input.Outlet is { Length: > 0 } outlet && title.EndsWith(" - " + outlet, StringComparison.OrdinalIgnoreCase))
        {
            title = title[..^(outlet.Length + 3)];
        }

        return input.Summary is { Length: > 0 } summary ? title + " . " + summary : title;
    }

    public ItemFeatures Extract(string text)
    {
        var tokens = Tokenizer.Tokenize(text, MaxTokens);
        var all = terms.Hits(tokens);
        var hits = new List<TermHit>(all.Count);
        var venueHits = new List<TermHit>(2);
        var exclusionHits = new List<int>(2);
        foreach (var hit in all)
        {
            if (hit.Term < venuesFrom)
            {
                hits.Add(hit);
            }
            else if (hit.Term < exclusionsFrom)
            {
                venueHits.Add(hit with { Term = hit.Term - venuesFrom });
            }
            else if (!exclusionHits.Contains(hit.Term - exclusionsFrom))
            {
                exclusionHits.Add(hit.Term - exclusionsFrom);
            }
        }

        hits = Longest(hits);
        var found = new List<int>(hits.Count);
        var parties = new List<int>(4);
        var frames = new double[FrameCount];
        foreach (var hit in hits)
        {
            if (!found.Contains(hit.Term))
            {
                found.Add(hit.Term);
            }

            if (partyOf[hit.Term] is >= 0 and var party && !parties.Contains(party))
            {
                parties.Add(party);
            }

            if (frameOf[hit.Term] is >= 0 and var frame)
            {
                frames[frame] = Math.Max(frames[frame], Math.Min(evidenceTerms[hit.Term].Weight, 1));
            }
        }

        var abstracted = Abstract(tokens, hits, venueHits);
        var (indices, values) = Hashed(abstracted);
        return new ItemFeatures
        {
            Tokens = tokens,
            Abstracted = abstracted,
            Indices = indices,
            Values = values,
            Dense = Dense(parties, frames, exclusionHits, venueHits.Count > 0),
            Evidence = found,
            Parties = parties,
            Frames = frames,
            Exclusions = exclusionHits,
        };
    }

    private double[] Dense(List<int> parties, double[] fr, List<int> exclusionHits, bool venue)
    {
        int sides = 0, named = 0;
        double broker = 0, ally = 0, outsider = 0;
        foreach (var p in parties)
        {
            sides += isSide[p] ? 1 : 0;
            named += roleOf[p] == TopicParty.Outsider ? 0 : 1;
            broker = roleOf[p] == TopicParty.Broker ? 1 : broker;
            ally = roleOf[p] == TopicParty.Ally ? 1 : ally;
            outsider = roleOf[p] == TopicParty.Outsider ? 1 : outsider;
        }

        var side = sides > 0 ? 1.0 : 0;
        var both = sides > 1 ? 1.0 : 0;
        double peace = fr[0], talks = fr[1], meeting = fr[2], proposal = fr[3], terms = fr[4], progress = fr[5], war = fr[6];
        double violence = fr[7], money = fr[8], scandal = fr[9];
        var diplomacy = Math.Max(Math.Max(peace, talks), Math.Max(meeting, Math.Max(proposal, terms)));
        var otherNews = Math.Max(violence, Math.Max(money, scandal));
        var exclusionSum = 0.0;
        foreach (var i in exclusionHits)
        {
            exclusionSum += Profile.Exclusions[i].Weight;
        }

        var exclusion = Math.Min(exclusionSum, 6) / 3;
        var venueValue = venue ? 1.0 : 0;

        // A side dealing with an outsider (Putin's summit with Modi) is that side's own business, even when the broker
        // is named beside it as a bystander ("defying US pressure"): its diplomacy does not count as the side's part in
        // the talks; "diplomacy×outsider and one side alone" weighs such items instead. With both sides or an ally named
        // ("Macron urges Xi to help end the war in Ukraine") it is not set aside.
        var withOutsiderAlone = outsider > 0 && sides == 1 && ally == 0 ? side : 0;
        var inTalks = side - withOutsiderAlone;
        var sideAndBroker = Math.Max(both, inTalks * broker);
        return
        [
            side, both, broker, ally,
            peace, talks, meeting, proposal, terms, progress, war, violence, money, scandal,
            exclusion, venueValue,
            peace * inTalks, talks * inTalks, meeting * sideAndBroker, meeting * inTalks * ally, proposal * inTalks,
            terms * inTalks, progress * inTalks, diplomacy * ally * side, war * side, diplomacy * venueValue, side * (1 - diplomacy),
            otherNews * diplomacy, diplomacy * (1 - side), named >= 3 ? 1 : 0, outsider, diplomacy * withOutsiderAlone,
            money > 0 && (talks > 0 || meeting > 0 || proposal > 0) && peace == 0 && terms == 0 ? 1 : 0,
        ];
    }

    /// <summary>
    /// A phrase inside a longer one counts only as part of it: "economic" in "free economic zone" is not the economy. A
    /// party's name always counts ("Russia" in "end Russia's war").
    /// </summary>
    private List<TermHit> Longest(List<TermHit> hits)
    {
        if (hits.Count < 2)
        {
            return hits;
        }

        var kept = new List<TermHit>(hits.Count);
        foreach (var h in hits)
        {
            var inside = false;
            if (partyOf[h.Term] < 0)
            {
                foreach (var o in hits)
                {
                    if (o.Length > h.Length && o.Start <= h.Start && h.Start + h.Length <= o.Start + o.Length)
                    {
                        inside = true;
                        break;
                    }
                }
            }

            if (!inside)
            {
                kept.Add(h);
            }
        }

        return kept;
    }

    /// <summary>The tokens with party members, venues and numbers replaced by what they stand for.</summary>
    private List<string> Abstract(List<string> tokens, List<TermHit> hits, List<TermHit> venueHits)
    {
        var result = new List<string>(tokens.Count);
        var replaced = new string?[tokens.Count];
        var covered = new int[tokens.Count];
        foreach (var hit in venueHits)
        {
            Mark(hit, VenueToken);
        }

        foreach (var hit in hits)
        {
            if (partyOf[hit.Term] >= 0)
            {
                Mark(hit, partyTokens[partyOf[hit.Term]]);
            }
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            if (replaced[i] is { } token)
            {
                result.Add(token);
                i += covered[i] - 1;
            }
            else if (!Tokenizer.IsStopWord(tokens[i]))
            {
                result.Add(char.IsDigit(tokens[i][0]) ? NumberToken : tokens[i]);
            }
        }

        return result;

        void Mark(TermHit hit, string token)
        {
            replaced[hit.Start] = token;
            covered[hit.Start] = Math.Max(covered[hit.Start], hit.Length);
        }
    }

    private static (int[] Indices, float[] Values) Hashed(List<string> tokens)
    {
        var indices = new List<int>(tokens.Count * 2);
        for (var i = 0; i < tokens.Count; i++)
        {
            indices.Add(WordIndex(tokens[i]));
            if (i + 1 < tokens.Count)
            {
                indices.Add(BigramIndex(tokens[i], tokens[i + 1]));
            }
        }

        indices.Sort();
        var distinct = new List<int>(indices.Count);
        var counts = new List<float>(indices.Count);
        foreach (var index in indices)
        {
            if (distinct.Count > 0 && distinct[^1] == index)
            {
                counts[^1]++;
            }
            else
            {
                distinct.Add(index);
                counts.Add(1);
            }
        }

        var norm = 0.0;
        foreach (var c in counts)
        {
            norm += c * c;
        }

        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
        var values = new float[counts.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = counts[i] * scale;
        }

        return ([.. distinct], values);
    }

    public static int WordIndex(string token) => Hash(0x776F7264, token) & Mask;

    public static int BigramIndex(string first, string second) => Hash(Hash(0x62696772, first), second) & Mask;

    /// <summary>FNV-1a: stable across processes, unlike string.GetHashCode.</summary>
    private static int Hash(int seed, string text)
    {
        var h = unchecked((int)2166136261 ^ seed);
        foreach (var c in text)
        {
            h = unchecked((h ^ c) * 16777619);
        }

        return unchecked((h ^ ' ') * 16777619);
    }
}
