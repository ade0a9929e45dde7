using Digest.Core.Classification;
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

    /// <summary>Places as wire copy writes them, at a paragraph's start or standing alone ("— Miami"): never a speaker.</summary>
    [Fact]
    public void Speakers_DatelinesAndPlaceFragments_AreNeverSpeakers()
    {
        var speakers = Attribution.Speakers(
        [
            "MIAMI (Reuters) — Envoys met for a third day on the peace plan, officials said.",
            "— Miami",
            "\"We are closer than before,\" negotiator Rustem Umerov said.",
            "Miami —",
            "KYIV, Dec 21 — Officials in Kyiv said they expected a report by Monday.",
            "The talks will go on next week — Miami.",
        ]);

        speakers.ShouldAllBe(s => s == null || !(s.Contains("Miami", StringComparison.OrdinalIgnoreCase) || s.Contains("Kyiv", StringComparison.OrdinalIgnoreCase) || s.Contains("Reuters", StringComparison.OrdinalIgnoreCase)));
        speakers[1].ShouldBeNull();
        speakers[2].ShouldBe("Rustem Umerov");
        speakers[3].ShouldBeNull();
        speakers[5].ShouldBeNull();
    }

    [Fact]
    public async Task KeyLines_PlaceFragments_NeitherLeadALineNorSpeak()
    {
        var profile = new TopicProfile { Id = "talks", Name = "Talks", Phrases = [new WeightedTerm("peace plan", [], 2)] };
        var noon = new DateTimeOffset(2025, 12, 21, 12, 0, 0, TimeSpan.Zero);
        var source = new SourceText(
            "Envoys end third day of talks on peace plan",
            "— Miami\n"
            + "MIAMI, Dec 21 — Envoys from Kyiv and Washington ended a third day of talks on the peace plan on Sunday.\n"
            + "Miami —\n"
            + "\"We are closer than before,\" negotiator Rustem Umerov said after the talks on the peace plan.\n"
            + "The delegations will meet again in January to settle the last points of the peace plan — Miami.",
            "Wire",
            noon);

        var lines = await new ExtractiveKeyLines(profile).ExtractAsync([source], 3, TestContext.Current.CancellationToken);

        lines.ShouldNotBeEmpty();
        lines.ShouldAllBe(l => !l.Text.StartsWith('—') && !l.Text.StartsWith("Miami", StringComparison.OrdinalIgnoreCase) && l.Text.Length > 12);
        lines.ShouldAllBe(l => l.Speaker == null || !l.Speaker.Contains("Miami", StringComparison.OrdinalIgnoreCase));
        lines.Where(l => l.Text.Contains("closer than before")).ShouldAllBe(l => l.Speaker == "Rustem Umerov");
    }
}
