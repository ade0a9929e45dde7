using System.Text.Json;

namespace Digest.Worker.Tests.Cli;

public sealed class EvalAttributionVerbTests
{
    private static async Task<(string Input, string Articles)> WriteFixtureAsync(string directory)
    {
        var articles = Directory.CreateDirectory(Path.Combine(directory, "articles", "sport")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(articles, "1.txt"), [
            "Vidal praises young side",
            "Coach Rosa Vidal was pleased with her team after the win.",
            "\"We defended well,\" said Vidal.",
            "\"Now we need to score more.\"",
            "The club’s next game is on Saturday.",
        ], TestContext.Current.CancellationToken);
        var input = Path.Combine(directory, "input.jsonl");
        await File.WriteAllLinesAsync(input, [
            JsonSerializer.Serialize(new { file = "sport/1.txt", sentence = "\"We defended well,\" said Vidal.", speaker = "Rosa Vidal", kind = "direct" }),
            JsonSerializer.Serialize(new { file = "sport/1.txt", sentence = "\"Now we need to score more.\"", speaker = "Rosa Vidal", kind = "context" }),
            JsonSerializer.Serialize(new { file = "sport/1.txt", sentence = "The club’s next game is on Saturday.", speaker = "none", kind = "none" }),
        ], TestContext.Current.CancellationToken);
        return (input, Path.Combine(directory, "articles"));
    }

    [Fact]
    public async Task EvalAttribution_LabelledInput_WritesSpeakersAndPrintsAccuracyByKind()
    {
        using var cli = new TestSupport.Cli();
        var (input, articles) = await WriteFixtureAsync(cli.Directory);
        var output = Path.Combine(cli.Directory, "out.jsonl");

        var (exit, stdout, errors) = await cli.RunAsync(["eval", "attribution", "--input", input, "--articles", articles, "--output", output]);

        exit.ShouldBe(0, errors);
        var speakers = (await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("speaker"))
            .Select(s => s.ValueKind == JsonValueKind.Null ? null : s.GetString())
            .ToList();
        speakers.ShouldBe(["Rosa Vidal", "Rosa Vidal", null]);
        (await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken)).ShouldContain("\"The club’s next game is on Saturday.\""); // as written, not \u-escaped
        stdout.ShouldContain("wrote 3 lines");
        stdout.ShouldMatch(@"direct\s+1\s+1\s+1\.000");
        stdout.ShouldMatch(@"context\s+1\s+1\s+1\.000");
        stdout.ShouldMatch(@"attributed\s+2\s+2\s+1\.000");
        stdout.ShouldContain("false attributions 0 (0.0%)");
    }

    [Theory]
    [InlineData("--input")]
    [InlineData("--input", "x.jsonl", "--output", "o.jsonl")]
    [InlineData("--input", "/nonexistent.jsonl", "--articles", "/tmp", "--output", "o.jsonl")]
    [InlineData("--labels", "x")]
    public async Task EvalAttribution_BadArguments_ExplainsAndExitsWith2(params string[] args)
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["eval", "attribution", .. args]);

        exit.ShouldBe(2);
        errors.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task EvalAttribution_LineThatIsNotJson_SaysWhichAndExitsWith2()
    {
        using var cli = new TestSupport.Cli();
        var (input, articles) = await WriteFixtureAsync(cli.Directory);
        await File.AppendAllLinesAsync(input, ["{\"file\": \"sport/1.txt\""], TestContext.Current.CancellationToken);

        var (exit, _, errors) = await cli.RunAsync(["eval", "attribution", "--input", input, "--articles", articles, "--output", Path.Combine(cli.Directory, "o.jsonl")]);

        exit.ShouldBe(2);
        errors.ShouldContain("input.jsonl:4:");
    }
}
