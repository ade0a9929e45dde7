using Digest.Core.Summarization;

namespace Digest.Core.Tests.Summarization;

public sealed class KeyLineFilterTests
{
    [Theory]
    [InlineData("The post Harbour treaty signed appeared first on Veldt Daily.")]
    [InlineData("Der Beitrag Hafenvertrag unterzeichnet erschien zuerst auf veldt.example.")]
    [InlineData("The ports reopen within a month... Continue reading…")]
    [InlineData("Read more: how the treaty was negotiated")]
    [InlineData("Sign up to get the harbour news by email.")]
    [InlineData("Not a subscriber yet? Subscribe today and read every story.")]
    [InlineData("Photos: Ana Ruiz Make Veldt your harbour in 2026.")]
    [InlineData("You can download the full treaty text here.")]
    [InlineData("Check out the gallery of the signing ceremony.")]
    [InlineData("Follow us on Veldtgram for the harbour news of the day.")]
    [InlineData("By Ana Ruiz")]
    [InlineData("Treaty day in Veldt pic.twitter.com/abc123 — Veldt Daily (@veldtdaily) December 8, 2025")]
    [InlineData("<div class=\"embed\"> <h1 id=\"treaty\">Harbour treaty signed</h1> </div>")]
    [InlineData("Ports &amp; harbours reopen on Monday, the ministry said.")]
    public void IsBoilerplate_AFeedsFurniture_IsStruck(string line)
    {
        KeyLineFilter.IsBoilerplate(line).ShouldBeTrue();
    }

    [Theory]
    [InlineData("Estmark will sign up to the harbour coalition in March, its foreign minister said.")]
    [InlineData("Norland must sign up by Friday or lose its place at the harbour talks, Estmark said.")]
    [InlineData("Countries that subscribe to the harbour principle met in Veldt on Monday.")]
    [InlineData("The minister said she would read more of the treaty before the vote.")]
    [InlineData("By Monday the two delegations had agreed on every article but one.")]
    [InlineData("The photo of the signing, taken by the ministry, shows both delegations.")]
    [InlineData("\"The others will follow us,\" the Norland minister said of the harbour treaty.")]
    public void IsBoilerplate_NewsThatUsesTheSameWords_Stays(string line)
    {
        KeyLineFilter.IsBoilerplate(line).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Aides to both ministers agreed that the two leaders should meet as soon as...", true)]
    [InlineData("The suspect was questioned by the harbour police over…", true)]
    [InlineData("The treaty was signed “after a long night…”", true)]
    [InlineData("The quotas were left aside […] until the next round.", true)]
    [InlineData("“We waited… and then they signed,” the mayor said.", false)]
    [InlineData("Norland and Estmark signed the harbour treaty on Monday.", false)]
    public void IsCutOff_ASentenceTheFeedCutShort_IsKnown(string line, bool cut)
    {
        KeyLineFilter.IsCutOff(line).ShouldBe(cut);
    }

    [Theory]
    [InlineData("Will the treaty hold?", true)]
    [InlineData("“Will the treaty hold?” the mayor asked.", false)]
    [InlineData("The treaty will hold, the mayor said.", false)]
    public void IsQuestion_OnlyALineThatAsks(string line, bool question)
    {
        KeyLineFilter.IsQuestion(line).ShouldBe(question);
    }

    [Theory]
    [InlineData("But the quotas are left to a later round.", true)]
    [InlineData("And the ports reopen in a month.", true)]
    [InlineData("However, the quotas are left to a later round.", true)]
    [InlineData("Butler Ann Pike said the quotas were left aside.", false)]
    [InlineData("Andriy Sybiha said the quotas were left aside.", false)]
    public void LeansOnContext_AConnectiveOpening_IsKnown(string line, bool leans)
    {
        KeyLineFilter.LeansOnContext(line).ShouldBe(leans);
    }
}
