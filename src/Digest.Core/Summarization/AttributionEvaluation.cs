using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Digest.Core.Summarization;

/// <summary>
/// Attributes the sentences of a JSONL file (<c>{"file","sentence"}</c> a line, <c>file</c> relative to a folder of
/// articles: headline on the first line, one sentence a line) with each article read as a whole, and — when the lines
/// carry labels (<c>speaker</c>, <c>kind</c>) — scores the result: the share of lines whose speaker matches, by kind, by
/// folder and overall, and the share of <c>none</c> lines given a speaker (false attributions).
/// </summary>
internal static class AttributionEvaluation
{
    // The output is read by people as well as tools: text as written, not \u-escaped.
    private static readonly JsonSerializerOptions Lines = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A line of input that could not be read: its number and why.</summary>
    internal sealed class InputException(string message) : Exception(message);

    internal sealed record Line(int Number, string File, string Sentence, string? Label, string? Kind, string? Speaker, bool InArticle);

    internal sealed record Tally(int Lines, int Right, int Exact)
    {
        public double Accuracy => Lines == 0 ? 0 : Right / (double)Lines;
    }

    internal sealed record Scored(IReadOnlyList<Line> Lines, IReadOnlyList<string> MissingArticles)
    {
        public bool Labelled => Lines.Count > 0 && Lines.All(l => l.Label is not null && l.Kind is not null);

        public IEnumerable<Line> Attributed => Lines.Where(l => l.Kind is not "none");

        public IEnumerable<Line> None => Lines.Where(l => l.Kind is "none");

        public Tally Score(IEnumerable<Line> lines)
        {
            var list = lines.ToList();
            return new Tally(list.Count, list.Count(l => Matches(l.Speaker, l.Label)), list.Count(l => ExactlyMatches(l.Speaker, l.Label)));
        }

        /// <summary>The share of <c>none</c> lines given a speaker.</summary>
        public (int Lines, int Attributed) FalseAttributions(IEnumerable<Line> lines)
        {
            var none = lines.Where(l => l.Kind is "none").ToList();
            return (none.Count, none.Count(l => l.Speaker is not null));
        }
    }

    public static async Task<Scored> RunAsync(string input, string articles, string output, CancellationToken cancellationToken)
    {
        var rows = new List<(JsonObject Json, int Number, string File, string Sentence)>();
        var number = 0;
        foreach (var text in await File.ReadAllLinesAsync(input, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonObject json;
            try
            {
                json = JsonNode.Parse(text) as JsonObject ?? throw new InputException($"{input}:{number}: not a JSON object");
            }
            catch (JsonException e)
            {
                throw new InputException($"{input}:{number}: not valid JSON ({e.Message})");
            }

            var file = json["file"] is JsonValue f && f.TryGetValue(out string? fileText) ? fileText : null;
            var sentence = json["sentence"] is JsonValue s && s.TryGetValue(out string? sentenceText) ? sentenceText : null;
            if (string.IsNullOrWhiteSpace(file) || sentence is null)
            {
                throw new InputException($"{input}:{number}: needs \"file\" and \"sentence\" strings");
            }

            rows.Add((json, number, file, sentence));
        }

        var missing = new List<string>();
        var attributed = new Dictionary<string, (List<string> Sentences, IReadOnlyList<string?> Speakers, string? Headline)?>(StringComparer.Ordinal);
        var lines = new List<Line>();
        var root = Path.GetFullPath(articles);
        var asked = rows.GroupBy(r => r.File, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => r.Sentence.Trim()).ToList(), StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!attributed.TryGetValue(row.File, out var article))
            {
                article = await ReadAsync(root, row.File, asked[row.File], cancellationToken);
                attributed[row.File] = article;
                if (article is null)
                {
                    missing.Add(row.File);
                }
            }

            string? speaker = null;
            var inArticle = false;
            if (article is { } a)
            {
                var index = IndexOf(a.Sentences, row.Sentence);
                inArticle = index >= 0;
                speaker = inArticle ? a.Speakers[index] : Attribution.Speakers([.. a.Sentences, row.Sentence.Trim()], a.Headline)[^1];
            }

            var label = row.Json["speaker"] is JsonValue l && l.TryGetValue(out string? labelText) ? labelText : null;
            var kind = row.Json["kind"] is JsonValue k && k.TryGetValue(out string? kindText) ? kindText : null;
            lines.Add(new Line(row.Number, row.File, row.Sentence, label, kind, speaker, inArticle));

            if (label is not null)
            {
                row.Json["expected"] = label;
            }

            row.Json["speaker"] = speaker;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using (var writer = new StreamWriter(output))
        {
            foreach (var row in rows)
            {
                await writer.WriteLineAsync(row.Json.ToJsonString(Lines));
            }
        }

        return new Scored(lines, missing);
    }

    /// <summary>
    /// An article's sentences and their speakers. A line that holds more than one sentence, one of them asked about on
    /// its own, is split with the sentence splitter so that sentence is read in its place.
    /// </summary>
    private static async Task<(List<string> Sentences, IReadOnlyList<string?> Speakers, string? Headline)?> ReadAsync(string root, string relative, List<string> asked, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(Path.Combine(root, relative));
        if (!path.StartsWith(root, StringComparison.Ordinal) || !File.Exists(path))
        {
            return null;
        }

        var all = (await File.ReadAllLinesAsync(path, cancellationToken)).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (all.Count == 0)
        {
            return ([], [], null);
        }

        var lines = all.Skip(1).ToList();
        var whole = lines.ToHashSet(StringComparer.Ordinal);
        var inside = asked.Where(a => !whole.Contains(a)).ToList(); // asked about, but not a line of its own
        var sentences = new List<string>(lines.Count);
        foreach (var line in lines)
        {
            var holds = inside.Any(a => a.Length < line.Length && line.Contains(a, StringComparison.Ordinal));
            sentences.AddRange(holds ? SentenceSplitter.Split(line) : [line]);
        }

        return (sentences, Attribution.Speakers(sentences, all[0]), all[0]);
    }

    private static int IndexOf(List<string> sentences, string sentence)
    {
        var wanted = sentence.Trim();
        var index = sentences.IndexOf(wanted);
        if (index >= 0)
        {
            return index;
        }

        var folded = Fold(wanted);
        return sentences.FindIndex(s => Fold(s) == folded);
    }

    private static string Fold(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static readonly HashSet<string> Honorifics = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev", "reverend", "rt", "hon",
    };

    /// <summary>Case-insensitive, titles and a leading "the" dropped, several speakers compared as a set.</summary>
    public static bool Matches(string? predicted, string? label)
    {
        if (label is null or "none")
        {
            return predicted is null;
        }

        return predicted is not null && Normalize(predicted).SetEquals(Normalize(label));
    }

    /// <summary>The same, letter for letter apart from case: how the README's rule reads at its strictest.</summary>
    public static bool ExactlyMatches(string? predicted, string? label) =>
        label is null or "none" ? predicted is null : string.Equals(predicted, label, StringComparison.OrdinalIgnoreCase);

    private static HashSet<string> Normalize(string speakers) =>
        speakers.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s =>
            {
                var words = s.ToLowerInvariant().Replace(".", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
                if (words.Count > 1 && words[0] == "the")
                {
                    words.RemoveAt(0);
                }

                words.RemoveAll(Honorifics.Contains);
                return string.Join(' ', words);
            })
            .ToHashSet(StringComparer.Ordinal);
}
