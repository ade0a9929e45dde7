namespace Digest.Core.Classification;

/// <summary>What one item looks like to the model: hashed text features, the profile's evidence, and what matched.</summary>
internal sealed class ItemFeatures
{
    public required List<string> Tokens { get; init; }

    /// <summary>Hashed feature indices, sorted and distinct, with their (L2-normalised) values.</summary>
    public required int[] Indices { get; init; }

    public required float[] Values { get; init; }

    /// <summary>The profile's evidence as a few dense features (see <see cref="TopicFeatures.DenseNames"/>).</summary>
    public required double[] Dense { get; init; }

    public required List<int> Evidence { get; init; }
    public required List<int> Context { get; init; }
    public required List<int> Exclusions { get; init; }
}

/// <summary>
/// Turns an item's text into features for the topic model: word uni- and bigrams and character 3–5-grams hashed into a
/// fixed space, plus the topic profile's evidence (weighted entities and phrases, context, exclusions). New profile
/// terms change the dense sums, so a moderator's edits take effect without retraining.
/// </summary>
internal sealed class TopicFeatures
{
    public const int HashBits = 18;
    public const int MaxTokens = 64;
    public static readonly string[] DenseNames = ["evidence", "context", "evidence×context", "exclusion"];

    private const int Mask = (1 << HashBits) - 1;
    private readonly WeightedTerm[] evidenceTerms;
    private readonly TermMatcher evidence;
    private readonly TermMatcher context;
    private readonly TermMatcher exclusions;

    public TopicFeatures(TopicProfile profile)
    {
        Profile = profile;
        evidenceTerms = [.. profile.Entities, .. profile.Phrases];
        evidence = Matcher(evidenceTerms);
        context = Matcher(profile.Context);
        exclusions = Matcher(profile.Exclusions);
    }

    public TopicProfile Profile { get; }

    public IReadOnlyList<WeightedTerm> EvidenceTerms => evidenceTerms;

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
        var evidenceHits = evidence.Match(tokens);
        var contextHits = context.Match(tokens);
        var exclusionHits = exclusions.Match(tokens);

        var indices = new List<int>(tokens.Count * 12);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            indices.Add(WordIndex(token));
            if (i + 1 < tokens.Count)
            {
                indices.Add(BigramIndex(token, tokens[i + 1]));
            }

            AddCharGrams(token, indices);
        }

        foreach (var hit in evidenceHits)
        {
            indices.Add(Hash(0x7465726D, evidenceTerms[hit].Name) & Mask);
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

        var evidenceSum = Math.Min(evidenceHits.Sum(h => evidenceTerms[h].Weight), 6) / 3;
        var hasContext = contextHits.Count > 0 ? 1.0 : 0.0;
        var exclusionSum = Math.Min(exclusionHits.Sum(h => Profile.Exclusions[h].Weight), 6) / 3;
        return new ItemFeatures
        {
            Tokens = tokens,
            Indices = [.. distinct],
            Values = values,
            Dense = [evidenceSum, hasContext, evidenceSum * hasContext, exclusionSum],
            Evidence = evidenceHits,
            Context = contextHits,
            Exclusions = exclusionHits,
        };
    }

    public static int WordIndex(string token) => Hash(0x776F7264, token) & Mask;

    public static int BigramIndex(string first, string second) => Hash(Hash(0x62696772, first), second) & Mask;

    private static void AddCharGrams(string token, List<int> indices)
    {
        // Character n-grams of " token " let unseen inflections ("negotiators", "negotiating") share evidence.
        var padded = token.Length + 2;
        for (var n = 3; n <= 5; n++)
        {
            for (var start = 0; start + n <= padded; start++)
            {
                var h = unchecked((int)2166136261) ^ n;
                for (var k = start; k < start + n; k++)
                {
                    var c = k == 0 || k == padded - 1 ? ' ' : token[k - 1];
                    h = unchecked((h ^ c) * 16777619);
                }

                indices.Add(h & Mask);
            }
        }
    }

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
