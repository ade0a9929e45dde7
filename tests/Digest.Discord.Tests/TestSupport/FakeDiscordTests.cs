using System.Text.Json;

namespace Digest.Discord.Tests.TestSupport;

/// <summary>The fake is only worth its passes if it refuses what Discord refuses.</summary>
public sealed class FakeDiscordTests
{
    [Theory]
    [InlineData("""{"embeds":[{"title":5}]}""")]
    [InlineData("""{"embeds":[{"fields":[{"name":"no value"}]}]}""")]
    [InlineData("""{"allowed_mentions":{"parse":["nobody"]}}""")]
    public void Spec_BodyAgainstSchema_Refused(string body)
    {
        DiscordSpec.Instance.Validate("POST", "/channels/1/messages", JsonDocument.Parse(body).RootElement).ShouldNotBeEmpty();
    }

    [Fact]
    public void Spec_ValidMessage_Accepted()
    {
        var body = """{"content":"hi","embeds":[{"title":"t","fields":[{"name":"n","value":"v"}]}],"allowed_mentions":{"parse":[]}}""";

        DiscordSpec.Instance.Validate("POST", "/channels/1/messages", JsonDocument.Parse(body).RootElement).ShouldBeEmpty();
    }

    [Fact]
    public void Limits_ContentOver2000AndEmbedsOver6000_Refused()
    {
        var embeds = string.Join(",", Enumerable.Repeat($$"""{"description":"{{new string('x', 4000)}}"}""", 2));
        var body = $$"""{"content":"{{new string('y', 2001)}}","embeds":[{{embeds}}]}""";

        DiscordLimits.Check(JsonDocument.Parse(body).RootElement).Count.ShouldBe(2);
    }
}
