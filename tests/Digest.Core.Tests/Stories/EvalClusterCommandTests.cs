using Digest.Core.Stories;
using Digest.Core.Tests.Classification;

namespace Digest.Core.Tests.Stories;

public sealed class EvalClusterCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("digest-cluster-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task EvalCluster_TwoRoundsAndNoise_PrintsTwoStoriesOfTheRelevantItems()
    {
        var input = Path.Combine(directory, "week.jsonl");
        File.WriteAllLines(input,
        [
            """{"id": 1, "first_seen": "2025-12-13T09:00Z", "outlet": "Wire A", "title": "Witkoff and Kushner meet Zelensky in Berlin on the 20-point peace plan"}""",
            """{"id": 2, "first_seen": "2025-12-13T10:00Z", "outlet": "Paper B", "title": "Gaza ceasefire enters second phase as Hamas hands over remains"}""",
            """{"id": 3, "first_seen": "2025-12-13T12:00Z", "outlet": "Paper C", "title": "Zelensky meets Witkoff and Kushner in Berlin as peace plan talks resume"}""",
            """{"id": 4, "first_seen": "2025-12-14T18:00Z", "outlet": "Wire A", "title": "Russian envoy Dmitriev arrives in Miami for talks with US team on Ukraine plan"}""",
            """{"id": 5, "first_seen": "2025-12-14T19:00Z", "outlet": "Wire A", "title": "Russian envoy Dmitriev arrives in Miami for talks with US team on Ukraine peace plan"}""",
        ]);
        var stdout = new StringWriter();

        var code = await EvalClusterCommand.RunAsync(["--input", input, "--profile", ShippedClassifier.ProfilePath], stdout, TextWriter.Null, TestContext.Current.CancellationToken);

        code.ShouldBe(0);
        var text = stdout.ToString();
        text.ShouldContain("5 headlines, 4 relevant → 2 stories (1 near-duplicates folded)");
        text.ShouldContain("2 items, 2 outlets");
        text.ShouldNotContain("Gaza");
    }

    [Fact]
    public async Task EvalCluster_BadDate_ExplainsAndExits2()
    {
        var stderr = new StringWriter();

        (await EvalClusterCommand.RunAsync(["--input", "x.jsonl", "--from", "yesterday"], TextWriter.Null, stderr, TestContext.Current.CancellationToken)).ShouldBe(2);

        stderr.ToString().ShouldContain("--from");
    }
}
