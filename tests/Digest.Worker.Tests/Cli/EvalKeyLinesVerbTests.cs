namespace Digest.Worker.Tests.Cli;

public sealed class EvalKeyLinesVerbTests
{
    [Theory]
    [InlineData("--input")]
    [InlineData("--output", "x.json")]
    [InlineData("--input", "/nonexistent-folder", "--output", "x.json")]
    [InlineData("--k", "zero")]
    [InlineData("--verbose")]
    public async Task EvalKeyLines_BadArguments_ExplainsAndExitsWith2(params string[] args)
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["eval", "keylines", .. args]);

        exit.ShouldBe(2);
        errors.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task EvalKeyLines_FolderWithReferences_PrintsPrecisionNextToLead()
    {
        using var cli = new TestSupport.Cli();
        var articles = Directory.CreateDirectory(Path.Combine(cli.Directory, "articles", "world")).FullName;
        var references = Directory.CreateDirectory(Path.Combine(cli.Directory, "reference", "world")).FullName;
        string[] lines =
        [
            "Ferry service resumes after storm",
            "The island ferry resumed sailing on Thursday after three days of gales kept it in port.",
            "About 1,200 passengers had waited on the mainland, the operator said.",
            "The café by the pier sold out of soup.",
            "Timetables return to normal on Friday, the operator said.",
        ];
        await File.WriteAllLinesAsync(Path.Combine(articles, "a.txt"), lines, TestContext.Current.CancellationToken);
        await File.WriteAllLinesAsync(Path.Combine(references, "a.txt"), [lines[1], lines[2]], TestContext.Current.CancellationToken);
        var output = Path.Combine(cli.Directory, "picks.json");

        var (exit, stdout, errors) = await cli.RunAsync(["eval", "keylines", "--input", Path.Combine(cli.Directory, "articles"), "--output", output, "--reference", Path.Combine(cli.Directory, "reference"), "--k", "2"]);

        exit.ShouldBe(0, errors);
        stdout.ShouldContain("wrote key lines for 1 files");
        stdout.ShouldContain("precision@2");
        stdout.ShouldContain("all lead-2");
        File.Exists(output).ShouldBeTrue();
    }
}
