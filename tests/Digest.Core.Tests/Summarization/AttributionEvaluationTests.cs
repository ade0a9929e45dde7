using System.Text.Json;
using Digest.Core.Summarization;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Summarization;

public sealed class AttributionEvaluationTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("digest-attribution-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Article => Path.Combine(root, "articles");

    private async Task WriteArticleAsync()
    {
        Directory.CreateDirectory(Path.Combine(Article, "port"));
        await File.WriteAllLinesAsync(Path.Combine(Article, "port", "a.txt"), [
            "Dock strike ends",
            "",
            "Union leader Anna de Vries said the strike was over.",
            "\"Our members have won,\" she said.",
            "\"The deal protects every job.\"",
            "Ships began unloading on Tuesday evening.",
        ], TestContext.Current.CancellationToken);
    }

    private async Task<string> WriteInputAsync(params object[] lines)
    {
        var input = Path.Combine(root, "input.jsonl");
        await File.WriteAllLinesAsync(input, lines.Select(l => JsonSerializer.Serialize(l)), TestContext.Current.CancellationToken);
        return input;
    }

    [Fact]
    public async Task Run_LabelledLines_WritesSpeakersAndScoresThemByKind()
    {
        await WriteArticleAsync();
        var input = await WriteInputAsync(
            new { file = "port/a.txt", sentence = "Union leader Anna de Vries said the strike was over.", speaker = "Anna de Vries", kind = "indirect" },
            new { file = "port/a.txt", sentence = "\"The deal protects every job.\"", speaker = "Anna de Vries", kind = "context" },
            new { file = "port/a.txt", sentence = "Ships began unloading on Tuesday evening.", speaker = "none", kind = "none" });
        var output = Path.Combine(root, "out", "speakers.jsonl");

        var result = await AttributionEvaluation.RunAsync(input, Article, output, TestContext.Current.CancellationToken);

        var written = (await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        written.Select(w => w.GetProperty("speaker").ValueKind == JsonValueKind.Null ? null : w.GetProperty("speaker").GetString())
            .ShouldBe(["Anna de Vries", "Anna de Vries", null]);
        written.ShouldAllBe(w => w.GetProperty("file").GetString() == "port/a.txt");
        written[0].GetProperty("expected").GetString().ShouldBe("Anna de Vries");
        result.Labelled.ShouldBeTrue();
        result.Score(result.Attributed).Accuracy.ShouldBe(1.0);
        result.FalseAttributions(result.Lines).ShouldBe((1, 0));
    }

    [Fact]
    public async Task Run_UnlabelledLinesAndAMissingArticle_KeepsEveryLine()
    {
        await WriteArticleAsync();
        var input = await WriteInputAsync(
            new { file = "port/a.txt", sentence = "\"Our members have won,\" she said." },
            new { file = "port/missing.txt", sentence = "Nobody said anything." });
        var output = Path.Combine(root, "speakers.jsonl");

        var result = await AttributionEvaluation.RunAsync(input, Article, output, TestContext.Current.CancellationToken);

        result.Labelled.ShouldBeFalse();
        result.MissingArticles.ShouldBe(["port/missing.txt"]);
        var written = await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken);
        written.Length.ShouldBe(2);
        written[0].ShouldContain("\"speaker\":\"Anna de Vries\"");
        written[1].ShouldContain("\"speaker\":null");
    }

    [Fact]
    public async Task Run_LineThatIsNotJson_NamesTheLine()
    {
        await WriteArticleAsync();
        var input = Path.Combine(root, "bad.jsonl");
        await File.WriteAllLinesAsync(input, ["{\"file\": \"port/a.txt\", \"sentence\": \"x\"}", "{not json"], TestContext.Current.CancellationToken);

        var error = await Should.ThrowAsync<AttributionEvaluation.InputException>(
            () => AttributionEvaluation.RunAsync(input, Article, Path.Combine(root, "o.jsonl"), TestContext.Current.CancellationToken));

        error.Message.ShouldContain(":2:");
    }

    [Theory]
    [InlineData("Mr Tony Blair", "Tony Blair", true)]
    [InlineData("the Treasury", "Treasury", true)]
    [InlineData("Peugeot; Mitsubishi Motors", "Mitsubishi Motors; Peugeot", true)]
    [InlineData("Blair", "Tony Blair", false)]
    [InlineData(null, "none", true)]
    [InlineData("unnamed", "none", false)]
    public void Matches_CaseTitlesAndOrder_AreIgnored(string? predicted, string label, bool matches)
    {
        AttributionEvaluation.Matches(predicted, label).ShouldBe(matches);
    }

    /// <summary>The targets on the labelled BBC sentences (business, entertainment, sport).</summary>
    [Fact]
    public async Task Run_BbcDevLabels_AttributedRightAtLeast085AndFalseAttributionsAtMost3Percent()
    {
        var input = SharedData.PathOf("data/speakers/dev.jsonl");
        var articles = SharedData.PathOf("data/summaries/bbc/article");

        var result = await AttributionEvaluation.RunAsync(input, articles, Path.Combine(root, "dev.jsonl"), TestContext.Current.CancellationToken);

        result.Lines.Count.ShouldBe(410);
        result.Score(result.Attributed).Accuracy.ShouldBeGreaterThanOrEqualTo(0.85);
        var (none, falsely) = result.FalseAttributions(result.Lines);
        ((double)falsely / none).ShouldBeLessThanOrEqualTo(0.03);
    }
}
