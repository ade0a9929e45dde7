using Digest.Core.Commands;

namespace Digest.Core.Tests.Commands;

public sealed class CommandParserTests
{
    [Theory]
    [InlineData("/latest 5", "latest", "5")]
    [InlineData("/latest@digest_bot 5", "latest", "5")]
    [InlineData("/Search   Peace  Talks ", "search", "Peace  Talks")]
    [InlineData("/help", "help", "")]
    [InlineData("/alerts add\n\"security guarantees\"", "alerts", "add\n\"security guarantees\"")]
    public void Parse_Command_GivesNameAndArguments(string text, string name, string arguments)
    {
        var parsed = CommandParser.Parse(text, "digest_bot");

        parsed.ShouldBe(new ParsedCommand(name, arguments));
    }

    [Theory]
    [InlineData("hello there")]
    [InlineData("/latest@other_bot 5")]
    [InlineData("/")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_NotForThisBot_IsNull(string? text) => CommandParser.Parse(text, "digest_bot").ShouldBeNull();

    [Fact]
    public void Words_QuotedPhrases_StayTogether() =>
        CommandParser.Words("add \"security guarantees\" “peace plan” «Witkoff visit» x").ShouldBe(["add", "security guarantees", "peace plan", "Witkoff visit", "x"]);

    [Theory]
    [InlineData("add \"security guarantees\"", "security guarantees")]
    [InlineData("add security guarantees", "security guarantees")]
    [InlineData("include   “ceasefire”  ", "ceasefire")]
    [InlineData("add    spaced \t  out  ", "spaced out")]
    [InlineData("add", "")]
    public void Phrase_AfterTheAction_IsUnquoted(string arguments, string phrase) => CommandParser.Phrase(arguments).ShouldBe(phrase);
}
