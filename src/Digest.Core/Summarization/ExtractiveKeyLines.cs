using Digest.Core.Classification;

namespace Digest.Core.Summarization;

/// <summary>
/// The default key-line backend, offline and fast. Each sentence of each source is scored by centrality (LexRank over
/// TF-IDF vectors, with document frequencies from a news corpus), position in its source, relevance to the headline and
/// the topic profile, and informativeness (figures, named people and places, attributed speech). Lines are then picked
/// greedily with maximal marginal relevance, so a fact told by two outlets is kept once, and returned in story order.
/// </summary>
public sealed class ExtractiveKeyLines : IKeyLineExtractor
{
    private const double CentralityWeight = 0.5;
    private const double PositionWeight = 0.1;
    private const double HeadlineWeight = 0.15;
    private const double InformationWeight = 0.25;
    private const double ProfileWeight = 0.2;   // only with a topic profile; the eval verb runs without one
    private const double ParagraphLead = 0.5;   // position value of a paragraph's first sentence (the story's first is 1)
    private const double Diversity = 0.3;       // MMR: how much similarity to a chosen line costs
    private const double Coverage = 0.3;        // from the fourth line on: the bonus for adding figures or a new voice
    private const int CoverageFrom = 3;
    private const double SameFact = 0.6;    // cosine at which two lines say the same thing
    private const double SameFactAcrossOutlets = 0.2; // outlets retell one event in their own words: a lower bar
    private const int MinimumWords = 6;

    private readonly DocumentFrequencies frequencies;
    private readonly List<(string[] Tokens, double Weight)> profileTerms;

    public ExtractiveKeyLines(TopicProfile? profile = null)
        : this(profile, DocumentFrequencies.Default)
    {
    }

    internal ExtractiveKeyLines(TopicProfile? profile, DocumentFrequencies frequencies)
    {
        this.frequencies = frequencies;
        profileTerms = profile is null
            ? []
            : profile.StoryTerms
                .SelectMany(t => t.Spellings.Select(s => (Tokens: Words.Tokens(s).ToArray(), t.Weight)))
                .Where(t => t.Tokens.Length > 0)
                .ToList();
    }

    /// <summary>One source split into sentences, with its headline.</summary>
    internal sealed record Document(string Title, IReadOnlyList<string> Sentences, IReadOnlyList<bool>? OpensParagraph = null);

    /// <summary>A chosen sentence: which document, which sentence in it, and who speaks (null when nobody, or nobody named).</summary>
    internal sealed record Pick(int Document, int Sentence, string? Speaker);

    public ValueTask<IReadOnlyList<KeyLine>> ExtractAsync(IReadOnlyList<SourceText> sources, int maxLines, CancellationToken cancellationToken)
    {
        var documents = sources
            .Select(s => SentenceSplitter.SplitParagraphs(Dateline.StripAll(s.Text)))
            .Select((split, i) => new Document(sources[i].Title, split.Sentences, split.OpensParagraph))
            .ToList();
        var lines = Choose(documents, maxLines)
            .Select(p => new KeyLine(documents[p.Document].Sentences[p.Sentence], p.Speaker))
            .ToList();
        return ValueTask.FromResult<IReadOnlyList<KeyLine>>(lines);
    }

    internal IReadOnlyList<Pick> Choose(IReadOnlyList<Document> documents, int k)
    {
        var candidates = Candidates(documents);
        if (k <= 0 || candidates.Count == 0)
        {
            return [];
        }

        var vectors = candidates.Select(c => Vector(c.Tokens)).ToArray();
        var centrality = LexRank(vectors);
        var titleVectors = documents.Select(d => Vector(Words.ContentTokens(d.Title))).ToArray();
        var titleSimilarity = candidates.Select((c, i) => Cosine(vectors[i], titleVectors[c.Document])).ToArray();
        var profileMatch = candidates.Select(c => ProfileMatch(c.AllTokens)).ToArray();
        var maxCentrality = Math.Max(centrality.Max(), 1e-9);
        var maxTitle = Math.Max(titleSimilarity.Max(), 1e-9);
        var maxProfile = Math.Max(profileMatch.Max(), 1e-9);

        var scores = new double[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            scores[i] = CentralityWeight * centrality[i] / maxCentrality
                + PositionWeight * Position(c.Position, c.OpensParagraph)
                + HeadlineWeight * titleSimilarity[i] / maxTitle
                + InformationWeight * c.Information
                + ProfileWeight * profileMatch[i] / maxProfile;
        }

        var chosen = new List<int>();
        var sameFact = documents.Count > 1 ? SameFactAcrossOutlets : SameFact;
        while (chosen.Count < k)
        {
            var best = -1;
            var bestValue = double.NegativeInfinity;
            for (var i = 0; i < candidates.Count; i++)
            {
                if (chosen.Contains(i))
                {
                    continue;
                }

                var overlap = chosen.Count == 0 ? 0 : chosen.Max(j => Cosine(vectors[i], vectors[j]));
                if (overlap >= sameFact)
                {
                    continue;
                }

                var value = scores[i] - Diversity * overlap + (chosen.Count >= CoverageFrom ? Coverage * NewFacets(candidates[i], chosen.Select(j => candidates[j])) : 0);
                if (value > bestValue)
                {
                    bestValue = value;
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            chosen.Add(best);
        }

        return chosen
            .Select(i => candidates[i])
            .OrderBy(c => c.Document).ThenBy(c => c.Position)
            .Select(c => new Pick(c.Document, c.Position, c.Speaker is Attribution.Unnamed ? null : c.Speaker))
            .ToList();
    }

    private sealed record Candidate(int Document, int Position, bool OpensParagraph, List<string> Tokens, List<string> AllTokens, string? Speaker, double Information)
    {
        public int Figures { get; } = AllTokens.Count(t => char.IsDigit(t[0]));
    }

    /// <summary>The sentences that can be key lines: real sentences, not sub-headings, bylines or the headline again.</summary>
    private static List<Candidate> Candidates(IReadOnlyList<Document> documents)
    {
        var all = new List<(Candidate Candidate, bool Sentence)>();
        var attributed = documents.Select(d => Attribution.Attribute(d.Sentences, d.Title)).ToList();
        var fullNames = attributed.SelectMany(s => s).Select(a => a.Speaker).OfType<string>().Where(s => s.Contains(' ', StringComparison.Ordinal) && !s.Contains(';', StringComparison.Ordinal)).Distinct().ToList();
        for (var d = 0; d < documents.Count; d++)
        {
            var document = documents[d];
            // An outlet that gives only "Peskov" is widened to the "Dmitry Peskov" another outlet of the story gives.
            var speakers = attributed[d]
                .Select(a => a.Speaker is not { } s || s.Contains(' ', StringComparison.Ordinal) ? a : a with { Speaker = fullNames.FirstOrDefault(f => f.EndsWith(" " + s, StringComparison.Ordinal)) ?? s })
                .ToList();
            for (var i = 0; i < document.Sentences.Count; i++)
            {
                var text = document.Sentences[i];
                var tokens = Words.Tokens(text);
                if (tokens.Count == 0)
                {
                    continue;
                }

                var (speaker, reported) = speakers[i];
                var content = Words.ContentTokens(text);
                var isSentence = tokens.Count >= MinimumWords && EndsLikeSentence(text) && !string.Equals(text.TrimEnd('.'), document.Title.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
                all.Add((new Candidate(d, i, document.OpensParagraph?[i] == true, content, tokens, speaker, Information(text, tokens, reported && speaker is not Attribution.Unnamed)), isSentence));
            }
        }

        var sentences = all.Where(a => a.Sentence).Select(a => a.Candidate).ToList();
        return sentences.Count > 0 ? sentences : all.Select(a => a.Candidate).ToList();
    }

    /// <summary>What a line adds to the lines already chosen: the first figures, a voice not heard yet.</summary>
    private static double NewFacets(Candidate line, IEnumerable<Candidate> chosen)
    {
        var bonus = 0.0;
        if (line.Figures >= 2 && chosen.All(c => c.Figures < 2))
        {
            bonus += 0.5;
        }

        if (line.Speaker is { } speaker && chosen.All(c => c.Speaker != speaker))
        {
            bonus += 0.5;
        }

        return bonus;
    }

    private static double Position(int position, bool opensParagraph) => position == 0 ? 1 : opensParagraph ? ParagraphLead : 0;

    private static bool EndsLikeSentence(string text) => text[^1] is '.' or '!' or '?' or '…' or '"' or '”' or '’' or '»' or ')' or '\'';

    /// <summary>
    /// How much news a line carries on its face: figures, named people and places, speech — a quotation, or a line that
    /// names who said it with a verb of saying ("Peskov said", "the bishop told") — and the words of decisions (agreed,
    /// rejected, unacceptable) that a reader of news looks for first. Views and stances ("is confident", "feels") and
    /// anonymous sources are not speech here: they would crowd out the facts.
    /// </summary>
    private static double Information(string text, List<string> tokens, bool namesItsSpeaker)
    {
        var figures = tokens.Count(t => char.IsDigit(t[0]));
        var names = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i - 1] == ' ' && char.IsUpper(text[i]))
            {
                names++;
            }
        }

        var quoted = text.Contains('"') || text.Contains('“') || (namesItsSpeaker && tokens.Any(SayingVerbs.Contains));
        var decision = tokens.Any(DecisionWords.Contains);
        return 0.35 * Math.Min(1.0, figures / 2.0) + 0.2 * Math.Min(1.0, names / 3.0) + (quoted ? 0.25 : 0) + (decision ? 0.2 : 0);
    }

    private static readonly HashSet<string> SayingVerbs = new(StringComparer.Ordinal)
    {
        "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "announced", "announces", "confirmed", "confirms",
        "warned", "warns", "cautioned", "insisted", "insists", "explained", "explains", "declared", "declares", "wrote", "writes",
        "noted", "notes", "argued", "argues", "denied", "denies", "posted", "tweeted", "accused", "accuses",
        "stressed", "stresses", "acknowledged", "admitted", "asserted", "replied", "responded", "urged", "urges", "described",
        "describes", "predicted", "suggested", "emphasized", "emphasised", "reiterated", "dismissed", "rejected",
    };

    private static readonly HashSet<string> DecisionWords = new(StringComparer.Ordinal)
    {
        "agreed", "agrees", "agreement", "deal", "rejected", "rejects", "refused", "refuses", "unacceptable", "accepted", "accepts",
        "approved", "approves", "signed", "signs", "vetoed", "denied", "denies", "dismissed", "ruled", "demanded", "demands", "ceasefire",
        "blocked", "backed", "opposed", "withdrew", "won", "lost", "beat", "resigned", "banned", "charged", "convicted",
    };

    private double ProfileMatch(List<string> tokens)
    {
        var score = 0.0;
        foreach (var (term, weight) in profileTerms)
        {
            for (var i = 0; i + term.Length <= tokens.Count; i++)
            {
                if (tokens[i] == term[0] && term.AsSpan().SequenceEqual(tokens.GetRange(i, term.Length).ToArray()))
                {
                    score += weight;
                    break;
                }
            }
        }

        return score;
    }

    private Dictionary<string, double> Vector(List<string> tokens)
    {
        var vector = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            vector[token] = vector.GetValueOrDefault(token) + 1;
        }

        foreach (var token in vector.Keys)
        {
            vector[token] *= frequencies.Idf(token);
        }

        return vector;
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        if (a.Count > b.Count)
        {
            (a, b) = (b, a);
        }

        var dot = 0.0;
        foreach (var (token, weight) in a)
        {
            if (b.TryGetValue(token, out var other))
            {
                dot += weight * other;
            }
        }

        return dot == 0 ? 0 : dot / (Norm(a) * Norm(b));
    }

    private static double Norm(Dictionary<string, double> v) => Math.Sqrt(v.Values.Sum(x => x * x));

    /// <summary>LexRank with continuous (cosine) edges: the stationary distribution of a damped random walk over the similarity graph.</summary>
    private static double[] LexRank(Dictionary<string, double>[] vectors, double damping = 0.85, int iterations = 30)
    {
        var n = vectors.Length;
        var weights = new double[n, n];
        var rowSums = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var s = Cosine(vectors[i], vectors[j]);
                weights[i, j] = s;
                weights[j, i] = s;
                rowSums[i] += s;
                rowSums[j] += s;
            }
        }

        var rank = Enumerable.Repeat(1.0 / n, n).ToArray();
        var next = new double[n];
        for (var step = 0; step < iterations; step++)
        {
            Array.Fill(next, (1 - damping) / n);
            for (var j = 0; j < n; j++)
            {
                if (rowSums[j] == 0)
                {
                    continue;
                }

                var share = damping * rank[j] / rowSums[j];
                for (var i = 0; i < n; i++)
                {
                    next[i] += weights[j, i] * share;
                }
            }

            (rank, next) = (next, rank);
        }

        return rank;
    }
}
