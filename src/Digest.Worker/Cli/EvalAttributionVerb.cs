using System.Globalization;
using Digest.Core;
using Digest.Core.Summarization;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>eval attribution --input F.jsonl --articles DIR --output O.jsonl</c>: who said each sentence
/// (<see cref="AttributionEvaluation"/>), written as the input lines with <c>"speaker"</c> added (null when nobody speaks,
/// "unnamed" for an anonymous source). When the input lines carry <c>speaker</c> and <c>kind</c> labels it prints the
/// accuracy by kind, by folder and overall, and the false-attribution rate on <c>none</c> lines.
/// </summary>
internal static class EvalAttributionVerb
{
    private const string Usage = "usage: eval attribution --input F.jsonl --articles DIR --output O.jsonl";

    private static readonly string[] Kinds = ["direct", "indirect", "according", "context"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (VerbArguments.Parse(args, ["--input", "--articles", "--output"], stderr) is not { } options)
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        string? input = options.Value("--input"), articles = options.Value("--articles"), output = options.Value("--output");
        if (input is null || articles is null || output is null)
        {
            await stderr.WriteLineAsync($"--input, --articles and --output are required\n{Usage}");
            return 2;
        }

        if (!File.Exists(input))
        {
            await stderr.WriteLineAsync($"--input: no file at '{input}'");
            return 2;
        }

        if (!Directory.Exists(articles))
        {
            await stderr.WriteLineAsync($"--articles: no folder at '{articles}'");
            return 2;
        }

        AttributionEvaluation.Scored scored;
        try
        {
            scored = await AttributionEvaluation.RunAsync(input, articles, output, cancellationToken);
        }
        catch (AttributionEvaluation.InputException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }

        foreach (var file in scored.MissingArticles)
        {
            await stderr.WriteLineAsync($"no article '{file}' under {articles}: its lines get no speaker");
        }

        var outside = scored.Lines.Count(l => !l.InArticle);
        if (outside > 0)
        {
            await stderr.WriteLineAsync($"{outside} sentences were not found in their article; each was read at the article's end");
        }

        var speaking = scored.Lines.Count(l => l.Speaker is not null);
        await stdout.WriteLineAsync($"wrote {scored.Lines.Count} lines to {output} ({speaking} with a speaker)");
        if (scored.Labelled)
        {
            await PrintAsync(stdout, scored);
        }

        return 0;
    }

    private static async Task PrintAsync(TextWriter stdout, AttributionEvaluation.Scored scored)
    {
        await stdout.WriteLineAsync("speaker right (case-insensitive, titles and a leading \"the\" dropped; exact = letter for letter)");
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"kind",-14}{"lines",7}{"right",7}{"accuracy",10}{"exact",8}"));
        foreach (var kind in Kinds.Concat(scored.Lines.Select(l => l.Kind!).Where(k => k != "none" && !Kinds.Contains(k)).Distinct()))
        {
            var tally = scored.Score(scored.Attributed.Where(l => l.Kind == kind));
            if (tally.Lines > 0)
            {
                await stdout.WriteLineAsync(Row(kind, tally));
            }
        }

        await stdout.WriteLineAsync(Row("attributed", scored.Score(scored.Attributed)));
        var (none, falsely) = scored.FalseAttributions(scored.Lines);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"none",-14}{none,7}   false attributions {falsely} ({Share(falsely, none):0.0%})"));

        var folders = scored.Lines.Select(l => Folder(l.File)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (folders.Count > 1)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"by folder",-14}{"lines",7}{"right",7}{"accuracy",10}{"exact",8}   false attributions"));
            foreach (var folder in folders)
            {
                var lines = scored.Lines.Where(l => Folder(l.File) == folder).ToList();
                var (n, f) = scored.FalseAttributions(lines);
                await stdout.WriteLineAsync(Row(folder, scored.Score(lines.Where(l => l.Kind != "none"))) + string.Create(CultureInfo.InvariantCulture, $"   {f} of {n} ({Share(f, n):0.0%})"));
            }
        }
    }

    private static string Folder(string file) => file.Contains('/', StringComparison.Ordinal) ? file[..file.IndexOf('/', StringComparison.Ordinal)] : ".";

    private static double Share(int part, int whole) => whole == 0 ? 0 : part / (double)whole;

    private static string Row(string name, AttributionEvaluation.Tally tally) => string.Create(
        CultureInfo.InvariantCulture,
        $"{name,-14}{tally.Lines,7}{tally.Right,7}{tally.Accuracy,10:0.000}{Share(tally.Exact, tally.Lines),8:0.000}");
}
