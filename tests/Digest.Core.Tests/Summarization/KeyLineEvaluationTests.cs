using System.Text.Json;
using Digest.Core.Summarization;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Summarization;

public sealed class KeyLineEvaluationTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("digest-eval-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Run_FolderWithReferences_WritesIndicesAndScoresThemAboveLead()
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

        var result = await KeyLineEvaluation.RunAsync(Path.Combine(root, "articles"), output, Path.Combine(root, "reference"), 2, TestContext.Current.CancellationToken);

        var picks = JsonSerializer.Deserialize<Dictionary<string, int[]>>(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken))!;
        picks.Keys.ShouldBe(["world/a.txt"]);
        picks["world/a.txt"].Length.ShouldBe(2);
        picks["world/a.txt"].ShouldBeInOrder(SortDirection.Ascending);
        picks["world/a.txt"].ShouldNotContain(3); // the weather
        var scored = result.Scores.ShouldHaveSingleItem();
        scored.Group.ShouldBe("world");
        scored.Ours.Precision.ShouldBeGreaterThanOrEqualTo(0.5);
    }

    /// <summary>The target on the BBC articles that have reference summaries (business, entertainment, sport).</summary>
    [Fact]
    public async Task Run_BbcArticles_PrecisionAtThreeIsAtLeast085()
    {
        var bbc = SharedData.PathOf("data/summaries/bbc");
        var output = Path.Combine(root, "bbc.json");

        await KeyLineEvaluation.RunAsync(Path.Combine(bbc, "article"), output, null, 3, TestContext.Current.CancellationToken);

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
