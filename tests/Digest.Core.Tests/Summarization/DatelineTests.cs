using Digest.Core.Summarization;

namespace Digest.Core.Tests.Summarization;

public sealed class DatelineTests
{
    [Theory]
    [InlineData("MIAMI (Reuters) — Envoys met for a third day.", "Envoys met for a third day.")]
    [InlineData("KYIV, Dec 5 — Air raid sirens sounded across the city.", "Air raid sirens sounded across the city.")]
    [InlineData("WASHINGTON, Dec. 5 (AP) - The Senate voted late on Friday.", "The Senate voted late on Friday.")]
    [InlineData("Miami, FL – A joint statement was released on Sunday.", "A joint statement was released on Sunday.")]
    [InlineData("Kyiv (AFP) -- Talks resumed on Monday.", "Talks resumed on Monday.")]
    [InlineData("GENEVA — Negotiators worked through the night.", "Negotiators worked through the night.")]
    public void Strip_WireDateline_LeavesTheSentence(string text, string expected)
    {
        Dateline.Strip(text).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Trade talks resumed on Monday - and quickly stalled.")]
    [InlineData("The Kremlin - which denies any role - said nothing.")]
    [InlineData("Ukraine's president spoke to reporters.")]
    public void Strip_OrdinaryOpening_IsKept(string text)
    {
        Dateline.Strip(text).ShouldBe(text);
    }
}
