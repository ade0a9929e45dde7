using System.Text.Json;

namespace Digest.Core.Summarization;

/// <summary>
/// Picks key lines for every *.txt under a folder (one sentence a line, headline first), writes their 0-based indices
/// (into the lines after the headline) as JSON, and scores them against reference summaries of the same relative path:
/// precision@k and ROUGE-1/ROUGE-2 F1, next to the Lead-k baseline (the first k lines).
/// </summary>
internal static class KeyLineEvaluation
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    internal sealed record Scored(string Group, Scores Ours, Scores Lead);

    internal sealed record Result(IReadOnlyDictionary<string, int[]> Picks, IReadOnlyList<Scored> Scores);

    public static async Task<Result> RunAsync(string input, string output, string? reference, int k, CancellationToken cancellationToken)
    {
        var extractor = new ExtractiveKeyLines();
        var picks = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        var scores = new List<Scored>();
        var files = Directory.EnumerateFiles(input, "*.txt", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(input, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (full, relative) in files)
        {
            var lines = (await File.ReadAllLinesAsync(full, cancellationToken)).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (lines.Count < 2)
            {
                picks[relative] = [];
                continue;
            }

            var sentences = lines.Skip(1).ToList();
            var chosen = extractor.Choose([new ExtractiveKeyLines.Document(lines[0], sentences)], k).Select(p => p.Sentence).ToArray();
            picks[relative] = chosen;

            var referencePath = reference is null ? null : Path.Combine(reference, relative);
            if (referencePath is not null && File.Exists(referencePath))
            {
                var wanted = (await File.ReadAllLinesAsync(referencePath, cancellationToken)).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
                var lead = Enumerable.Range(0, Math.Min(k, sentences.Count)).ToArray();
                var group = relative.Contains('/') ? relative[..relative.IndexOf('/')] : ".";
                scores.Add(new Scored(group, Scores.Of(chosen.Select(i => sentences[i]).ToList(), wanted), Scores.Of(lead.Select(i => sentences[i]).ToList(), wanted)));
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using (var stream = File.Create(output))
        {
            await JsonSerializer.SerializeAsync(stream, picks, Indented, cancellationToken);
        }

        return new Result(picks, scores);
    }

    internal sealed record Scores(double Precision, double Rouge1, double Rouge2)
    {
        public static Scores Of(List<string> chosen, List<string> reference)
        {
            var wanted = reference.ToHashSet(StringComparer.Ordinal);
            var precision = chosen.Count == 0 ? 0 : chosen.Count(wanted.Contains) / (double)chosen.Count;
            var ours = chosen.SelectMany(Words.Tokens).ToList();
            var theirs = reference.SelectMany(Words.Tokens).ToList();
            return new Scores(precision, RougeF1(ours, theirs, 1), RougeF1(ours, theirs, 2));
        }

        private static double RougeF1(List<string> candidate, List<string> reference, int n)
        {
            var c = NGrams(candidate, n);
            var r = NGrams(reference, n);
            var overlap = c.Sum(g => Math.Min(g.Value, r.GetValueOrDefault(g.Key)));
            var total = (Candidate: c.Values.Sum(), Reference: r.Values.Sum());
            if (overlap == 0 || total.Candidate == 0 || total.Reference == 0)
            {
                return 0;
            }

            var p = overlap / (double)total.Candidate;
            var recall = overlap / (double)total.Reference;
            return 2 * p * recall / (p + recall);
        }

        private static Dictionary<string, int> NGrams(List<string> tokens, int n)
        {
            var grams = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i + n <= tokens.Count; i++)
            {
                var gram = string.Join(' ', tokens.GetRange(i, n));
                grams[gram] = grams.GetValueOrDefault(gram) + 1;
            }

            return grams;
        }
    }
}
