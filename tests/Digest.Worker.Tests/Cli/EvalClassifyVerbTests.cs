using System.Globalization;
using System.Text.Json;

namespace Digest.Worker.Tests.Cli;

public sealed class EvalClassifyVerbTests
{
    [Fact]
    public async Task EvalClassify_LabelledLines_WritesOneVerdictPerLineAndPrintsScores()
    {
        using var cli = new TestSupport.Cli();
        var (input, output) = await LabelledInputAsync(cli,
        [
            """{"id": 1, "title": "Witkoff and Umerov hold talks on 20-point peace plan in Berlin", "label": "T"}""",
            """{"id": 2, "title": "Hamas and Israel trade blame over Gaza ceasefire", "label": "O"}""",
            """{"id": "x3", "title": "Russian strike on Dnipro kills two - Reuters", "outlet": "Reuters", "label": "W"}""",
            """{"id": 4, "title": "Talks continue, officials say", "label": "?"}""",
        ]);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "classify", "--input", input, "--output", output);

        exit.ShouldBe(0, stderr);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Select(l => l.GetProperty("id").ToString()).ShouldBe(["1", "2", "x3", "4"]);
        lines[0].GetProperty("relevant").GetBoolean().ShouldBeTrue();
        lines[0].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ShouldContain(r => r!.StartsWith("matched: ", StringComparison.Ordinal));
        lines[1].GetProperty("relevant").GetBoolean().ShouldBeFalse();
        lines[1].GetProperty("borderline").GetBoolean().ShouldBeFalse();
        lines[1].GetProperty("score").GetDouble().ShouldBeLessThan(0.2);
        lines[0].TryGetProperty("tags", out _).ShouldBeTrue();
        stdout.ShouldContain("precision 1.000 recall 1.000 F1 1.000 (TP 1, FP 0, FN 0, TN 2)");
    }

    /// <summary>A blind check prints its figures, never which headlines it got wrong, unless asked with --mistakes.</summary>
    [Fact]
    public async Task EvalClassify_LabelledMistakes_ListedOnlyWithMistakes()
    {
        using var cli = new TestSupport.Cli();
        var (input, output) = await LabelledInputAsync(cli,
        [
            """{"id": 1, "title": "Witkoff and Umerov hold talks on 20-point peace plan in Berlin", "label": "O"}""",
            """{"id": 2, "title": "Hamas and Israel trade blame over Gaza ceasefire", "label": "O"}""",
        ]);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "classify", "--input", input, "--output", output);
        var (exitListed, listed, _) = await cli.RunAsync("eval", "classify", "--input", input, "--output", output, "--mistakes");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("(TP 0, FP 1, FN 0, TN 1)");
        stdout.ShouldNotContain("Witkoff");
        exitListed.ShouldBe(0);
        listed.ShouldContain("FP ");
        listed.ShouldContain("Witkoff and Umerov hold talks");
    }

    [Fact]
    public async Task EvalClassify_Rolling_PrintsOneRowPerOriginTrainedOnTheDaysBefore()
    {
        using var cli = new TestSupport.Cli();
        var (input, labels) = await WriteDaysAsync(cli.Directory, days: 8);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "classify", "--rolling", "2025-03-04", "2025-03-06", "--input", input, "--labels", labels, "--horizon", "2");

        exit.ShouldBe(0, stderr);
        var rows = stdout.Split('\n').Where(l => l.StartsWith("| 2025-", StringComparison.Ordinal)).ToList();
        rows.Count.ShouldBe(2);
        rows[0].ShouldStartWith("| 2025-03-04 | 16 (8) | 03-05…03-06 | 8 (4) |");
        rows[1].ShouldStartWith("| 2025-03-06 | 24 (12) | 03-07…03-08 | 8 (4) |");
        stdout.ShouldContain("| mean |");
        stdout.ShouldContain("| score | items | about the story |");
    }

    [Fact]
    public async Task EvalClassify_RollingWithoutOrigins_ChoosesThemFromTheLabels()
    {
        using var cli = new TestSupport.Cli();
        var (input, labels) = await WriteDaysAsync(cli.Directory, days: 30);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "classify", "--rolling", "--input", input, "--labels", labels);

        exit.ShouldBe(0, stderr);
        // 20 positives are seen by the tenth day (2 a day); then every second day, leaving two days to test.
        stdout.ShouldContain("| 2025-03-10 |");
        stdout.ShouldContain("| 2025-03-28 |");
        stdout.ShouldNotContain("| 2025-03-29 |");
    }

    [Theory]
    [InlineData("--input x.jsonl")]
    [InlineData("--rolling --input {input}")]
    [InlineData("--rolling 24/11/2025 --input {input} --labels {labels}")]
    [InlineData("--rolling --input {input} --labels {labels} --horizon 0")]
    [InlineData("--input {input} --output o.jsonl --threshold 2")]
    [InlineData("--input missing.jsonl --output o.jsonl")]
    [InlineData("--rolling --input {input} --labels {labels} --bogus")]
    public async Task EvalClassify_BadArguments_ExplainsAndExits2(string line)
    {
        using var cli = new TestSupport.Cli();
        var (input, labels) = await WriteDaysAsync(cli.Directory, days: 2);
        var args = line.Replace("{input}", input, StringComparison.Ordinal).Replace("{labels}", labels, StringComparison.Ordinal).Split(' ');

        var (exit, _, stderr) = await cli.RunAsync(["eval", "classify", .. args]);

        exit.ShouldBe(2);
        stderr.ShouldNotBeEmpty();
    }

    /// <summary>Headlines in our own words over consecutive days of March 2025: each day two about the talks, two not.</summary>
    private static async Task<(string Input, string Labels)> WriteDaysAsync(string directory, int days)
    {
        var lines = new List<string>();
        var labels = new List<string> { "id\tlabel" };
        var id = 0;
        for (var d = 0; d < days; d++)
        {
            var day = new DateOnly(2025, 3, 1).AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var (title, label) in new[]
            {
                ($"Ukrainian and American negotiators meet for day {d} of peace talks", "T"),
                ($"Kremlin studies the revised US proposal to end the war, aide says ({d})", "T"),
                ($"Russian drones hit a depot in Kharkiv region ({d})", "W"),
                ($"Local bakery wins regional prize for the {d}th time", "O"),
            })
            {
                id++;
                lines.Add(JsonSerializer.Serialize(new { id, first_seen = day + "T09:00Z", outlet = "Test Wire", title }));
                labels.Add($"{id}\t{label}");
            }
        }

        var input = Path.Combine(directory, "headlines.jsonl");
        var labelsPath = Path.Combine(directory, "labels.tsv");
        await File.WriteAllLinesAsync(input, lines);
        await File.WriteAllLinesAsync(labelsPath, labels);
        return (input, labelsPath);
    }

    /// <summary>Writes the labelled lines to in.jsonl in the CLI's folder; returns it and the out.jsonl beside it.</summary>
    private static async Task<(string Input, string Output)> LabelledInputAsync(TestSupport.Cli cli, string[] lines)
    {
        var input = Path.Combine(cli.Directory, "in.jsonl");
        await File.WriteAllLinesAsync(input, lines, TestContext.Current.CancellationToken);
        return (input, Path.Combine(cli.Directory, "out.jsonl"));
    }
}
