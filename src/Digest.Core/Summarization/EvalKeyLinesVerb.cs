using System.Globalization;
using System.Text.Json;

namespace Digest.Core.Summarization;

/// <summary>
/// <c>eval keylines --input DIR --output OUT.json [--reference DIR] [--k 3]</c>: picks key lines for every *.txt under DIR
/// (one sentence a line, headline first) and writes their 0-based indices (into the lines after the headline). With
/// --reference it prints precision@k and ROUGE-1/ROUGE-2 F1 against the reference file of the same relative path, next
/// to the Lead-k baseline (the first k lines).
/// </summary>
public static class EvalKeyLinesVerb
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string Usage = "usage: eval keylines --input DIR --output OUT.json [--reference DIR] [--k 3]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (VerbArguments.Parse(args, ["--input", "--output", "--reference", "--k"], stderr) is not { } options)
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        string? input = options.Value("--input"), output = options.Value("--output"), reference = options.Value("--reference");
        var k = 3;
        if (options.Value("--k") is { } kText)
        {
            if (!int.TryParse(kText, NumberStyles.None, CultureInfo.InvariantCulture, out k) || k is < 1 or > 50)
            {
                await stderr.WriteLineAsync($"--k needs a whole number from 1 to 50\n{Usage}");
                return 2;
            }
        }

        if (input is null || output is null)
        {
            await stderr.WriteLineAsync($"--input and --output are required\n{Usage}");
            return 2;
        }

        if (!Directory.Exists(input))
        {
            await stderr.WriteLineAsync($"--input: no folder at '{input}'");
            return 2;
        }

        if (reference is not null && !Directory.Exists(reference))
        {
            await stderr.WriteLineAsync($"--reference: no folder at '{reference}'");
            return 2;
        }

        var extractor = new ExtractiveKeyLines();
        var picks = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        var scores = new List<(string Group, Scores Ours, Scores Lead)>();
        var files = Directory.EnumerateFiles(input, "*.txt", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(input, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (full, relative) in files)
        {
            var lines = (await File.ReadAllLinesAsync(full, ct)).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
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
                var wanted = (await File.ReadAllLinesAsync(referencePath, ct)).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
                var lead = Enumerable.Range(0, Math.Min(k, sentences.Count)).ToArray();
                var group = relative.Contains('/') ? relative[..relative.IndexOf('/')] : ".";
                scores.Add((group, Scores.Of(chosen.Select(i => sentences[i]).ToList(), wanted), Scores.Of(lead.Select(i => sentences[i]).ToList(), wanted)));
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using (var stream = File.Create(output))
        {
            await JsonSerializer.SerializeAsync(stream, picks, Indented, ct);
        }

        await stdout.WriteLineAsync($"wrote key lines for {picks.Count} files to {output}");
        if (reference is not null)
        {
            await PrintAsync(stdout, scores, k, picks.Count);
        }

        return 0;
    }

    private static async Task PrintAsync(TextWriter stdout, List<(string Group, Scores Ours, Scores Lead)> scores, int k, int files)
    {
        await stdout.WriteLineAsync($"{scores.Count} of {files} files have a reference");
        if (scores.Count == 0)
        {
            return;
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"",-24}{"precision@" + k,14}{"ROUGE-1 F1",12}{"ROUGE-2 F1",12}"));
        var groups = scores.Select(s => s.Group).Distinct().ToList();
        var rows = groups.Count > 1 ? groups.Select(g => (Name: g, Rows: scores.Where(s => s.Group == g).ToList())).Append(("all", scores)) : [("all", scores)];
        foreach (var (name, rowScores) in rows)
        {
            await stdout.WriteLineAsync(Row($"{name} key lines", rowScores.Select(s => s.Ours).ToList()));
            await stdout.WriteLineAsync(Row($"{name} lead-{k}", rowScores.Select(s => s.Lead).ToList()));
        }
    }

    private static string Row(string name, List<Scores> scores) => string.Create(
        CultureInfo.InvariantCulture,
        $"{name,-24}{scores.Average(s => s.Precision),14:0.000}{scores.Average(s => s.Rouge1),12:0.000}{scores.Average(s => s.Rouge2),12:0.000}");

    private sealed record Scores(double Precision, double Rouge1, double Rouge2)
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
