using Digest.Core.Classification;
using Digest.Core.Storage;

namespace Digest.Core.Summarization;

/// <summary>
/// The default key-line backend, offline and fast. Each sentence of each source is scored by centrality (LexRank over
/// TF-IDF vectors, with document frequencies from a news corpus), position in its source, relevance to the headline and
/// the topic profile, and informativeness (figures, named people and places, attributed speech). Lines are then picked
/// greedily with maximal marginal relevance, so a fact told by two outlets is kept once, and returned in story order.
/// <para>
/// A story is refreshed again each time it gains an item, mostly over the same sources: what scoring a source's
/// sentences needs of that source alone (its sentences, who speaks in them, their words and vectors) is worked out
/// once per text and kept for the next refreshes (up to <see cref="SourceCacheSize"/> characters of text, the least
/// recently used forgotten first).
/// </para>
/// </summary>
internal sealed class ExtractiveKeyLines : IKeyLineExtractor
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
    private const double ContextPenalty = 0.1; // "But …", "And …": a line that needs the one before it

    /// <summary>The analyses kept between refreshes, in characters of the texts they stand for: a feed's summary or an
    /// article page takes about 3–4 bytes of memory per character, so about 15 MB in all.</summary>
    public const long SourceCacheSize = 4_000_000;

    private readonly DocumentFrequencies frequencies;
    private readonly List<(string[] Tokens, double Weight)> profileTerms;
    private readonly List<string> profileNames;
    private readonly SourceCache<Analysed> sources = new(SourceCacheSize);

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
        profileNames = profile is null ? [] : profile.Entities.SelectMany(e => e.Spellings).Where(IsFullName).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>"Donald Trump", "Volodymyr Zelenskyy": two to four capitalised words of letters, as a person's name is written.</summary>
    private static bool IsFullName(string spelling)
    {
        var words = spelling.Split(' ');
        return words.Length is >= 2 and <= 4 && words.All(w => w.Length >= 2 && char.IsUpper(w[0]) && w.Skip(1).All(c => char.IsLower(c) || c is '-' or '\''));
    }

    /// <summary>One source split into sentences, with its headline.</summary>
    internal sealed record Document(string Title, IReadOnlyList<string> Sentences, IReadOnlyList<bool>? OpensParagraph = null);

    /// <summary>A chosen sentence: which document, which sentence in it, and who speaks (null when nobody, or nobody named).</summary>
    internal sealed record Pick(int Document, int Sentence, string? Speaker);

    public ValueTask<IReadOnlyList<KeyLine>> ExtractAsync(IReadOnlyList<SourceText> sources, int maxLines, CancellationToken cancellationToken)
    {
        var analysed = sources.Select(s => this.sources.GetOrAdd(s.Title, s.Text, (title, text) =>
        {
            var split = SentenceSplitter.SplitParagraphs(Dateline.StripAll(text));
            return Analyse(new Document(title, split.Sentences, split.OpensParagraph));
        })).ToList();
        var lines = Choose(analysed, maxLines)
            .Select(p => new KeyLine(analysed[p.Document].Document.Sentences[p.Sentence], p.Speaker))
            .ToList();
        return ValueTask.FromResult<IReadOnlyList<KeyLine>>(lines);
    }

    internal IReadOnlyList<Pick> Choose(IReadOnlyList<Document> documents, int k) => Choose([.. documents.Select(Analyse)], k);

    /// <summary>The LexRank centrality of each sentence, as <see cref="Choose(IReadOnlyList{Document}, int)"/> weighs it.</summary>
    internal double[] Centrality(IReadOnlyList<string> sentences) => LexRank([.. sentences.Select(s => Vector(Words.ContentTokens(s)))]);

    private List<Pick> Choose(IReadOnlyList<Analysed> documents, int k)
    {
        var candidates = Candidates(documents, profileNames);
        if (k <= 0 || candidates.Count == 0)
        {
            return [];
        }

        var vectors = candidates.Select(c => c.Vector).ToArray();
        var centrality = LexRank(vectors);
        var titleSimilarity = candidates.Select(c => Cosine(c.Vector, documents[c.Document].TitleVector)).ToArray();
        var profileMatch = candidates.Select(c => c.ProfileMatch).ToArray();
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

                var value = scores[i] - Diversity * overlap + (chosen.Count >= CoverageFrom ? Coverage * NewFacets(candidates[i], chosen.Select(j => candidates[j])) : 0)
                    - (candidates[i].LeansOnContext && !chosen.Any(j => FollowsOn(candidates[i], candidates[j])) ? ContextPenalty : 0);
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

    /// <summary>True when <paramref name="line"/> is the sentence right after <paramref name="before"/> in the same source.</summary>
    private static bool FollowsOn(Candidate line, Candidate before) => line.Document == before.Document && line.Position == before.Position + 1;

    private sealed record Candidate(int Document, int Position, bool OpensParagraph, TermVector Vector, double ProfileMatch, string? Speaker, double Information, int Figures, bool LeansOnContext);

    /// <summary>A source's sentences, analysed: what scoring them needs of this source alone.</summary>
    private sealed record Analysed(Document Document, IReadOnlyList<Attribution.Attributed> Attributed, Sentence?[] Sentences, TermVector TitleVector);

    /// <summary>One sentence of a source (null for one without words): its tokens, vector, and its information as a plain
    /// line and as a line that names its speaker.</summary>
    private sealed record Sentence(bool IsSentence, TermVector Vector, double ProfileMatch, double PlainInformation, double SpeechInformation, int Figures, bool LeansOnContext);

    /// <summary>
    /// A sentence's TF-IDF weights with their norm: its terms in the order the sentence first uses them, and their
    /// weights. Sums over a vector run in that order. Two arrays, not a dictionary: the key-line cache keeps a vector for
    /// every sentence it holds (tens of thousands at scale), and a sentence has a few dozen terms at most, few enough to
    /// look one up by going through them.
    /// </summary>
    private sealed class TermVector
    {
        private readonly string[] terms;
        private readonly double[] weights;
        private string? key;

        public TermVector(string[] terms, double[] weights)
        {
            (this.terms, this.weights) = (terms, weights);
            var sum = 0.0;
            foreach (var weight in weights)
            {
                sum += weight * weight;
            }

            Norm = Math.Sqrt(sum);
        }

        public int Count => terms.Length;

        public double Norm { get; }

        public string Term(int i) => terms[i];

        public double Weight(int i) => weights[i];

        /// <summary>The term's weight, 0 when the sentence lacks it.</summary>
        public double WeightOf(string term)
        {
            for (var i = 0; i < terms.Length; i++)
            {
                if (string.Equals(terms[i], term, StringComparison.Ordinal))
                {
                    return weights[i];
                }
            }

            return 0;
        }

        /// <summary>The same for two vectors with the same weights (outlets that run one sentence word for word), and
        /// only for those: the terms in order with their weights' bits. Worked out once, when first asked.</summary>
        public string Key => key ??= string.Join('\u0001', Enumerable.Range(0, terms.Length).OrderBy(i => terms[i], StringComparer.Ordinal)
            .Select(i => terms[i] + "\u0002" + BitConverter.DoubleToInt64Bits(weights[i]).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private Analysed Analyse(Document document)
    {
        var sentences = new Sentence?[document.Sentences.Count];
        var titleWords = Words.ContentTokens(document.Title).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < sentences.Length; i++)
        {
            var text = document.Sentences[i];
            var tokens = Words.Tokens(text);
            var content = Words.ContentTokens(text);
            // A line whose every word the headline already says (the headline again, or its words reordered) adds nothing.
            if (tokens.Count == 0 || KeyLineFilter.IsBoilerplate(text) || KeyLineFilter.IsCutOff(text) || (content.Count > 0 && content.All(titleWords.Contains)))
            {
                continue;
            }

            var isSentence = tokens.Count >= MinimumWords && EndsLikeSentence(text) && !KeyLineFilter.IsQuestion(text);
            sentences[i] = new Sentence(
                isSentence,
                Vector(content),
                ProfileMatch(tokens),
                Information(text, tokens, namesItsSpeaker: false),
                Information(text, tokens, namesItsSpeaker: true),
                tokens.Count(t => char.IsDigit(t[0])),
                KeyLineFilter.LeansOnContext(text));
        }

        return new Analysed(document, Attribution.Attribute(document.Sentences, document.Title), sentences, Vector(Words.ContentTokens(document.Title)));
    }

    /// <summary>The sentences that can be key lines: real sentences, not sub-headings, bylines, the feed's furniture, a
    /// sentence it cut off or the headline again; a question or a sentence that leans on the one before only when nothing
    /// else is left (<see cref="KeyLineFilter"/>).</summary>
    private static List<Candidate> Candidates(IReadOnlyList<Analysed> documents, List<string> profileNames)
    {
        var all = new List<(Candidate Candidate, bool Sentence)>();
        var fullNames = documents.SelectMany(d => d.Attributed).Select(a => a.Speaker).OfType<string>().Where(s => s.Contains(' ', StringComparison.Ordinal) && !s.Contains(';', StringComparison.Ordinal)).Distinct().ToList();
        for (var d = 0; d < documents.Count; d++)
        {
            var document = documents[d];
            // An outlet that gives only "Peskov" is widened to the "Dmitry Peskov" another outlet of the story gives, else
            // to the one full name the topic profile writes for its people ("President Trump told reporters" → Donald Trump).
            var speakers = document.Attributed
                .Select(a => a.Speaker is not { } s || s.Contains(' ', StringComparison.Ordinal) ? a : a with { Speaker = Widened(s, fullNames, profileNames) })
                .ToList();
            for (var i = 0; i < document.Sentences.Length; i++)
            {
                if (document.Sentences[i] is not { } sentence)
                {
                    continue;
                }

                var (speaker, reported) = speakers[i];
                var information = reported && speaker is not Attribution.Unnamed ? sentence.SpeechInformation : sentence.PlainInformation;
                all.Add((new Candidate(d, i, document.Document.OpensParagraph?[i] == true, sentence.Vector, sentence.ProfileMatch, speaker, information, sentence.Figures, sentence.LeansOnContext), sentence.IsSentence));
            }
        }

        var sentences = all.Where(a => a.Sentence).Select(a => a.Candidate).ToList();
        return sentences.Count > 0 ? sentences : all.Select(a => a.Candidate).ToList();
    }

    private static string Widened(string surname, List<string> storyNames, List<string> profileNames)
    {
        if (storyNames.FirstOrDefault(f => f.EndsWith(" " + surname, StringComparison.Ordinal)) is { } fromStory)
        {
            return fromStory;
        }

        var fromProfile = profileNames.Where(f => f.EndsWith(" " + surname, StringComparison.Ordinal)).Take(2).ToList();
        return fromProfile.Count == 1 ? fromProfile[0] : surname;
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
                if (tokens[i] == term[0] && Matches(tokens, i, term))
                {
                    score += weight;
                    break;
                }
            }
        }

        return score;
    }

    private static bool Matches(List<string> tokens, int at, string[] term)
    {
        for (var k = 0; k < term.Length; k++)
        {
            if (!string.Equals(tokens[at + k], term[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private TermVector Vector(List<string> tokens)
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

        return new TermVector([.. vector.Keys], [.. vector.Values]);
    }

    private static double Cosine(TermVector x, TermVector y)
    {
        var (a, b) = x.Count > y.Count ? (y, x) : (x, y);
        var dot = 0.0;
        for (var i = 0; i < a.Count; i++)
        {
            var other = b.WeightOf(a.Term(i));
            if (other != 0)
            {
                dot += a.Weight(i) * other;
            }
        }

        return dot == 0 ? 0 : dot / (a.Norm * b.Norm);
    }

    /// <summary>
    /// LexRank with continuous (cosine) edges: the stationary distribution of a damped random walk over the similarity
    /// graph of the sentences.
    /// <para>
    /// The outlets of a big story run many sentences word for word (wire copy, a shared statement), and every copy of a
    /// sentence has the same edges, so the same rank at every step of the walk. Each distinct vector is therefore one
    /// node that stands for its copies: an edge from a node counts once per copy of it, and the copies' edges among
    /// themselves become one loop. That is the same walk, over distinct sentences instead of all of them — the cost of a
    /// story grows with what its outlets say differently, not with how many run it.
    /// </para>
    /// </summary>
    private static double[] LexRank(TermVector[] vectors, double damping = 0.85, int iterations = 30)
    {
        var n = vectors.Length;
        var nodeOf = new int[n];
        var nodes = new List<TermVector>();
        var copies = new List<int>();
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            if (!byKey.TryGetValue(vectors[i].Key, out var node))
            {
                node = nodes.Count;
                byKey[vectors[i].Key] = node;
                nodes.Add(vectors[i]);
                copies.Add(0);
            }

            nodeOf[i] = node;
            copies[node]++;
        }

        // The similarity graph keeps its edges only (most sentence pairs share no word): a story of many outlets has
        // thousands of sentences, and a full matrix of them would take tens of MB per refresh. Cosines are taken over
        // the nodes' terms numbered for this story, each row spread over a dense array.
        var m = nodes.Count;
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var terms = new (int[] Ids, double[] Weights)[m];
        for (var a = 0; a < m; a++)
        {
            var ids = new int[nodes[a].Count];
            var weights = new double[ids.Length];
            for (var k = 0; k < ids.Length; k++)
            {
                var token = nodes[a].Term(k);
                if (!vocabulary.TryGetValue(token, out var id))
                {
                    id = vocabulary.Count;
                    vocabulary[token] = id;
                }

                (ids[k], weights[k]) = (id, nodes[a].Weight(k));
            }

            terms[a] = (ids, weights);
        }

        // Each pair of nodes with a cosine is one edge, kept once in the row of its lower node (a row's edges in the
        // order of their upper nodes, the rows one after another): the walk goes along it both ways.
        var dense = new double[vocabulary.Count];
        var edges = new List<(int Upper, double Similarity)>();
        var rowStart = new int[m + 1];
        var rowSums = new double[m];
        var loops = new double[m];
        for (var a = 0; a < m; a++)
        {
            rowStart[a] = edges.Count;
            var (ids, weights) = terms[a];
            for (var k = 0; k < ids.Length; k++)
            {
                dense[ids[k]] = weights[k];
            }

            // The copies of a sentence are each other's neighbours: the loop of a node with more than one.
            if (copies[a] > 1)
            {
                var self = NodeCosine(a, a);
                loops[a] = (copies[a] - 1) * self;
                rowSums[a] += loops[a];
            }

            for (var b = a + 1; b < m; b++)
            {
                var s = NodeCosine(a, b);
                rowSums[a] += copies[b] * s;
                rowSums[b] += copies[a] * s;
                if (s != 0)
                {
                    edges.Add((b, s));
                }
            }

            foreach (var id in ids)
            {
                dense[id] = 0;
            }
        }

        rowStart[m] = edges.Count;

        // rank[a] is the rank of each copy of node a; an edge carries a node's copies' shares to the other node. Every
        // node takes its shares in the order of the nodes they come from: the lower ones' (given in their rows), its
        // own loop, then the upper ones'.
        var rank = Enumerable.Repeat(1.0 / n, m).ToArray();
        var next = new double[m];
        var share = new double[m];
        for (var step = 0; step < iterations; step++)
        {
            Array.Fill(next, (1 - damping) / n);
            for (var a = 0; a < m; a++)
            {
                share[a] = rowSums[a] == 0 ? 0 : damping * rank[a] / rowSums[a];
            }

            for (var a = 0; a < m; a++)
            {
                if (rowSums[a] == 0)
                {
                    continue;
                }

                next[a] += loops[a] * share[a];
                for (var e = rowStart[a]; e < rowStart[a + 1]; e++)
                {
                    var (b, s) = edges[e];
                    next[b] += s * copies[a] * share[a];
                    next[a] += s * copies[b] * share[b];
                }
            }

            (rank, next) = (next, rank);
        }

        return [.. nodeOf.Select(a => rank[a])];

        // The cosine of node a (spread over the dense array) and node b.
        double NodeCosine(int a, int b)
        {
            var (ids, weights) = terms[b];
            var dot = 0.0;
            for (var k = 0; k < ids.Length; k++)
            {
                dot += dense[ids[k]] * weights[k];
            }

            return dot == 0 ? 0 : dot / (nodes[a].Norm * nodes[b].Norm);
        }
    }
}
