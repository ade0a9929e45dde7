using System.Text.Json;
using Digest.Core.Classification;

namespace Digest.Core.Tests.Classification;

public sealed class EvalClassifyCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("digest-eval-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task EvalClassify_LabelledLines_WritesOneVerdictPerLineAndPrintsScores()
    {
        var input = Path.Combine(directory, "in.jsonl");
        var output = Path.Combine(directory, "out.jsonl");
        File.WriteAllLines(input,
        [
            """{"id": 1, "title": "Witkoff and Umerov hold talks on 20-point peace plan in Berlin", "label": "T"}""",
            """{"id": 2, "title": "Hamas and Israel trade blame over Gaza ceasefire", "label": "O"}""",
            """{"id": "x3", "title": "Russian strike on Dnipro kills two", "outlet": "Reuters", "label": "W"}""",
            """{"id": 4, "title": "Talks continue, officials say", "label": "?"}""",
        ]);
        var stdout = new StringWriter();

        var code = await EvalClassifyCommand.RunAsync(["--input", input, "--output", output, "--profile", ShippedClassifier.ProfilePath], stdout, TextWriter.Null, TestContext.Current.CancellationToken);

        code.ShouldBe(0);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Count.ShouldBe(4);
        lines.Select(l => l.GetProperty("id").ToString()).ShouldBe(["1", "2", "x3", "4"]);
        lines[0].GetProperty("relevant").GetBoolean().ShouldBeTrue();
        lines[0].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ShouldContain(r => r!.StartsWith("matched: ", StringComparison.Ordinal));
        lines[1].GetProperty("relevant").GetBoolean().ShouldBeFalse();
        lines[1].GetProperty("score").GetDouble().ShouldBeLessThan(0.5);
        lines[0].TryGetProperty("tags", out _).ShouldBeTrue();
        stdout.ToString().ShouldContain("precision 1.000 recall 1.000 F1 1.000 (TP 1, FP 0, FN 0, TN 2)");
    }

    [Fact]
    public async Task EvalClassify_MissingOutput_ExplainsAndExits2()
    {
        var stderr = new StringWriter();

        (await EvalClassifyCommand.RunAsync(["--input", "x.jsonl"], TextWriter.Null, stderr, TestContext.Current.CancellationToken)).ShouldBe(2);

        stderr.ToString().ShouldContain("usage: eval classify");
    }
}
