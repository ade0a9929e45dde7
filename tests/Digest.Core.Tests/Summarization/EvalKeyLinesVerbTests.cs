using System.Text.Json;
using Digest.Core.Summarization;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Summarization;

public sealed class EvalKeyLinesVerbTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("digest-eval-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Run_FolderWithReferences_WritesIndicesAndPrintsScoresNextToLead()
    {
        Write("articles/world/a.txt", """
            Port strike ends after pay deal

            Dock workers at the port of Rotterdam ended a five-day strike on Tuesday after unions accepted a 6% pay rise.
            The strike had stranded about 40,000 containers and cost shippers an estimated €200m, the port authority said.

            Union leader Anna de Vries said the deal was "the best our members have had in a decade".
            The weather was mild for the time of year.
            Traffic in the city centre was light.
            Ships began unloading again on Tuesday evening, and the backlog should clear within a week, the port authority said.
            """);
        Write("reference/world/a.txt", """
            Dock workers at the port of Rotterdam ended a five-day strike on Tuesday after unions accepted a 6% pay rise.
            The strike had stranded about 40,000 containers and cost shippers an estimated €200m, the port authority said.
            Ships began unloading again on Tuesday evening, and the backlog should clear within a week, the port authority said.
            """);
        var output = Path.Combine(root, "out", "picks.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await EvalKeyLinesVerb.RunAsync(
            ["--input", Path.Combine(root, "articles"), "--output", output, "--reference", Path.Combine(root, "reference"), "--k", "2"], stdout, stderr, TestContext.Current.CancellationToken);

        code.ShouldBe(0, stderr.ToString());
        var picks = JsonSerializer.Deserialize<Dictionary<string, int[]>>(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken))!;
        picks.Keys.ShouldBe(["world/a.txt"]);
        picks["world/a.txt"].Length.ShouldBe(2);
        picks["world/a.txt"].ShouldBeInOrder(SortDirection.Ascending);
        picks["world/a.txt"].ShouldNotContain(3); // the weather
        stdout.ToString().ShouldContain("precision@2");
        stdout.ToString().ShouldContain("lead-2");
    }

    [Theory]
    [InlineData("--input")]
    [InlineData("--output", "x.json")]
    [InlineData("--input", "/nonexistent-folder", "--output", "x.json")]
    [InlineData("--k", "zero")]
    [InlineData("--verbose")]
    public async Task Run_BadArguments_ExplainsAndExitsWith2(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await EvalKeyLinesVerb.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);

        code.ShouldBe(2);
        stderr.ToString().ShouldNotBeEmpty();
    }

    /// <summary>The target on the BBC articles that have reference summaries (business, entertainment, sport).</summary>
    [Fact]
    public async Task Run_BbcArticles_PrecisionAtThreeIsAtLeast085()
    {
        var bbc = SharedData.PathOf("data/summaries/bbc");
        var output = Path.Combine(root, "bbc.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await EvalKeyLinesVerb.RunAsync(["--input", Path.Combine(bbc, "article"), "--output", output], stdout, stderr, TestContext.Current.CancellationToken);

        code.ShouldBe(0, stderr.ToString());
        var picks = JsonSerializer.Deserialize<Dictionary<string, int[]>>(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken))!;
        picks.Count.ShouldBe(100);
        int chosen = 0, found = 0;
        foreach (var (relative, indices) in picks)
        {
            var reference = Path.Combine(bbc, "summary", relative);
            if (!File.Exists(reference))
            {
                continue;
            }

            var lines = NonEmpty(Path.Combine(bbc, "article", relative)).Skip(1).ToList();
            var wanted = NonEmpty(reference).ToHashSet();
            chosen += indices.Length;
            found += indices.Count(i => wanted.Contains(lines[i]));
        }

        chosen.ShouldBe(180);
        (found / (double)chosen).ShouldBeGreaterThanOrEqualTo(0.85);
    }

    private static IEnumerable<string> NonEmpty(string path) => File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
