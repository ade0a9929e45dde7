namespace Digest.Worker.Tests.Cli;

public sealed class DigestCliTests
{
    [Theory]
    [InlineData("once", "--format text|markdown|json")]
    [InlineData("run", "start the bot")]
    [InlineData("status", "every feed's last success")]
    [InlineData("feeds check", "check URL_OR_PATH")]
    [InlineData("train", "train stories --input")]
    [InlineData("eval keylines", "eval attribution --input")]
    public async Task Verb_Help_ThatVerbsUsageOnStandardOutputAndExit0(string verb, string expected)
    {
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync([.. verb.Split(' '), "--help"]);

        exit.ShouldBe(0);
        errors.ShouldBeEmpty();
        output.ShouldContain(expected);
        output.ShouldContain("--Section:Key=value");
        File.Exists(cli.Database).ShouldBeFalse("asking for help opens no database");
    }

    [Fact]
    public async Task Once_ShortHelp_OnlyOncesUsage()
    {
        using var cli = new TestSupport.Cli();

        var (exit, output, _) = await cli.RunAsync(["once", "-h"]);

        exit.ShouldBe(0);
        output.ShouldContain("poll every feed once");
        output.ShouldNotContain("eval cluster");
    }

    [Theory]
    [InlineData("train --labels labels.tsv")]
    [InlineData("train stories --input h.jsonl --labels c.tsv")]
    [InlineData("eval classify --input h.jsonl")]
    [InlineData("eval cluster --input h.jsonl")]
    [InlineData("eval keylines --input articles")]
    [InlineData("eval attribution --input s.jsonl --articles articles")]
    public async Task Verb_OutputIsAFolder_RefusedBeforeAnyWork(string words)
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync([.. words.Split(' '), "--output", cli.Directory]);

        exit.ShouldBe(2);
        errors.Split('\n')[0].ShouldBe($"--output: {cli.Directory} is a folder; name the file to write");
    }
}
