using System.Globalization;
using Digest.Core;
using Digest.Core.Summarization;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>eval keylines --input DIR --output OUT.json [--reference DIR] [--k 3]</c>: key lines for every article under DIR
/// (<see cref="KeyLineEvaluation"/>); with --reference it prints precision@k and ROUGE-1/ROUGE-2 F1 next to Lead-k.
/// </summary>
internal static class EvalKeyLinesVerb
{
    private const string Usage = "usage: eval keylines --input DIR --output OUT.json [--reference DIR] [--k 3]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
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

        var result = await KeyLineEvaluation.RunAsync(input, output, reference, k, cancellationToken);
        await stdout.WriteLineAsync($"wrote key lines for {result.Picks.Count} files to {output}");
        if (reference is not null)
        {
            await PrintAsync(stdout, result.Scores, k, result.Picks.Count);
        }

        return 0;
    }

    private static async Task PrintAsync(TextWriter stdout, IReadOnlyList<KeyLineEvaluation.Scored> scores, int k, int files)
    {
        await stdout.WriteLineAsync($"{scores.Count} of {files} files have a reference");
        if (scores.Count == 0)
        {
            return;
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"",-24}{"precision@" + k,14}{"ROUGE-1 F1",12}{"ROUGE-2 F1",12}"));
        var groups = scores.Select(s => s.Group).Distinct().ToList();
        var rows = groups.Count > 1
            ? groups.Select(g => (Name: g, Rows: scores.Where(s => s.Group == g).ToList())).Append(("all", scores.ToList()))
            : [("all", scores.ToList())];
        foreach (var (name, rowScores) in rows)
        {
            await stdout.WriteLineAsync(Row($"{name} key lines", rowScores.Select(s => s.Ours).ToList()));
            await stdout.WriteLineAsync(Row($"{name} lead-{k}", rowScores.Select(s => s.Lead).ToList()));
        }
    }

    private static string Row(string name, List<KeyLineEvaluation.Scores> scores) => string.Create(
        CultureInfo.InvariantCulture,
        $"{name,-24}{scores.Average(s => s.Precision),14:0.000}{scores.Average(s => s.Rouge1),12:0.000}{scores.Average(s => s.Rouge2),12:0.000}");
}
