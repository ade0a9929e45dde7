using Digest.Core.Classification;
using Digest.Core.Summarization;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Summarization;

public sealed class ExtractiveKeyLinesTests
{
    private static readonly DateTimeOffset Noon = new(2025, 12, 21, 12, 0, 0, TimeSpan.Zero);

    private static readonly TopicProfile Profile = new()
    {
        Id = "talks",
        Name = "Ukraine peace talks",
        Entities = [new WeightedTerm("Kremlin", [], 1), new WeightedTerm("Zelenskyy", ["Zelensky"], 1), new WeightedTerm("Peskov", [], 1)],
        Phrases = [new WeightedTerm("peace plan", [], 2), new WeightedTerm("security guarantees", [], 2), new WeightedTerm("Witkoff", [], 1)],
    };

    /// <summary>
    /// The statement tells six facts (the Miami talks ended upbeat; the 20-point plan and security guarantees were
    /// refined; the Kremlin called the amendments unacceptable; its envoy takes the revisions to Moscow, as Peskov says;
    /// Zelenskyy sees negative signals; and his drone and bomb figures), so the test asks for six lines, one a fact:
    /// three lines, the digest default, must leave some of them out.
    /// </summary>
    [Fact]
    public async Task Extract_MiamiStatement_KeepsThePlanTheKremlinAnswerAndTheFiguresWithSpeakers()
    {
        var text = await File.ReadAllTextAsync(SharedData.PathOf("seeds/miami-talks-statement.txt"), TestContext.Current.CancellationToken);
        var extractor = new ExtractiveKeyLines(Profile);

        var lines = await extractor.ExtractAsync([new SourceText("Miami talks: US and Ukraine issue joint statement", text, "seed", Noon)], 6, TestContext.Current.CancellationToken);

        lines.Count.ShouldBe(6);
        lines.ShouldContain(l => l.Text.Contains("20-point peace plan") && l.Text.Contains("security guarantees"));
        lines.ShouldContain(l => l.Text.Contains("Kremlin") && l.Text.Contains("unacceptable"));
        var figures = lines.Where(l => l.Text.Contains("1,300 attack drones") && l.Text.Contains("1,000 guided aerial bombs")).ShouldHaveSingleItem();
        figures.Speaker.ShouldBe("Volodymyr Zelenskyy");
        lines.Where(l => l.Text.Contains("Peskov stated")).ShouldAllBe(l => l.Speaker == "Dmitry Peskov");
        lines.Where(l => l.Text.Contains("Zelenskyy cautioned")).ShouldAllBe(l => l.Speaker == "Volodymyr Zelenskyy");
        lines.ShouldContain(l => l.Speaker == "Dmitry Peskov");
        lines.Select(l => text.IndexOf(l.Text, StringComparison.Ordinal)).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task Extract_TwoOutletsTellTheSameFact_KeepsItOnce()
    {
        var first = new SourceText(
            "Kremlin rejects changes to peace plan",
            "The Kremlin said on Sunday that the European amendments to the US peace plan were unacceptable. "
            + "\"These changes do not bring peace closer,\" Kremlin spokesman Dmitry Peskov told reporters in Moscow. "
            + "The weather in Moscow was cold and grey for the season.",
            "Outlet A",
            Noon);
        var second = new SourceText(
            "Moscow says amendments to US peace plan unacceptable",
            "The Kremlin said on Sunday that European amendments to the US peace plan were unacceptable. "
            + "Ukraine said Russia launched 1,300 drones at its cities in a single week. "
            + "Talks between the US and Ukrainian delegations continue in Miami on Monday.",
            "Outlet B",
            Noon.AddHours(1));

        var lines = await new ExtractiveKeyLines(Profile).ExtractAsync([first, second], 3, TestContext.Current.CancellationToken);

        lines.Count(l => l.Text.Contains("unacceptable")).ShouldBe(1);
        lines.ShouldContain(l => l.Text.Contains("1,300 drones"));
        lines.ShouldContain(l => l.Speaker == "Dmitry Peskov");
    }

    [Fact]
    public async Task Extract_ASurnameNoOutletOfTheStoryWritesInFull_TakesTheProfilesFullName()
    {
        var profile = Profile with { Entities = [.. Profile.Entities, new WeightedTerm("Marek", ["Ilya Marek"], 1), new WeightedTerm("Lind", ["Ada Lind", "Ola Lind"], 1)] };
        var source = new SourceText(
            "Deadline for the peace plan set",
            "President Marek told reporters that Friday was the deadline for a reply to the peace plan. "
            + "Minister Lind said the Kremlin had not yet answered the peace plan.",
            "Outlet A",
            Noon);

        var lines = await new ExtractiveKeyLines(profile).ExtractAsync([source], 2, TestContext.Current.CancellationToken);

        lines.Single(l => l.Text.Contains("deadline")).Speaker.ShouldBe("Ilya Marek");
        lines.Single(l => l.Text.Contains("not yet answered")).Speaker.ShouldBe("Lind"); // two people of the profile share the surname
    }

    [Fact]
    public async Task Extract_SubheadingsAndShortFragments_AreNeverKeyLines()
    {
        var source = new SourceText(
            "Talks in Miami",
            "Kremlin Downplays Progress\nThe delegations met for three days in Miami to refine the peace plan.\nRead more\n"
            + "Security guarantees for Ukraine were the main subject of the second day.",
            null,
            Noon);

        var lines = await new ExtractiveKeyLines(Profile).ExtractAsync([source], 3, TestContext.Current.CancellationToken);

        lines.Select(l => l.Text).ShouldBe([
            "The delegations met for three days in Miami to refine the peace plan.",
            "Security guarantees for Ukraine were the main subject of the second day.",
        ]);
    }

    [Fact]
    public async Task Extract_AFeedsFurnitureAndACutSentence_AreNeverKeyLines()
    {
        var source = new SourceText(
            "Harbour treaty signed in Veldt",
            "Norland and Estmark signed the harbour treaty in Veldt on Monday after two days of talks.\n"
            + "Photo: Ana Ruiz for the Veldt Daily, with the two delegations at the harbour office.\n"
            + "Sign up for our newsletter to get the harbour news of the week in your inbox.\n"
            + "Check out our gallery of the signing ceremony with the ministers of both countries.\n"
            + "The post Harbour treaty signed in Veldt appeared first on Veldt Daily.\n"
            + "Under the treaty the ports of both countries reopen to each other's ships within 30 days, and tariffs on fish fall by half...",
            null,
            Noon);

        var lines = await new ExtractiveKeyLines(Profile).ExtractAsync([source], 3, TestContext.Current.CancellationToken);

        lines.Select(l => l.Text).ShouldBe(["Norland and Estmark signed the harbour treaty in Veldt on Monday after two days of talks."]);
    }

    [Fact]
    public async Task Extract_ALineOpeningOnTheOneBefore_YieldsToALineThatStandsAlone()
    {
        var source = new SourceText(
            "Harbour treaty signed in Veldt",
            "Norland and Estmark signed the harbour treaty in Veldt on Monday after two days of talks. "
            + "The treaty reopens the ports of both countries to each other's ships within 30 days. "
            + "But the fishing quotas that blocked the treaty for a year are left to a later round. "
            + "Estmark's parliament votes on the treaty in March, and Norland's assembly in April.",
            null,
            Noon);

        var lines = await new ExtractiveKeyLines(Profile).ExtractAsync([source], 2, TestContext.Current.CancellationToken);

        lines.ShouldNotContain(l => l.Text.StartsWith("But ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extract_ASentenceThatOnlySaysTheHeadlineAgain_IsNotAKeyLine()
    {
        var source = new SourceText(
            "Norland and Estmark sign harbour treaty in Veldt",
            "In Veldt, Norland and Estmark sign the harbour treaty. "
            + "The treaty reopens the ports of both countries to each other's ships within 30 days.",
            null,
            Noon);

        var lines = await new ExtractiveKeyLines(Profile).ExtractAsync([source], 3, TestContext.Current.CancellationToken);

        lines.Select(l => l.Text).ShouldBe(["The treaty reopens the ports of both countries to each other's ships within 30 days."]);
    }

    [Fact]
    public async Task Extract_AQuestionInTheText_IsNotAKeyLineWhileStatementsRemain()
    {
        var source = new SourceText(
            "Harbour treaty signed in Veldt",
            "Norland and Estmark signed the harbour treaty in Veldt on Monday after two days of talks. "
            + "Will the harbour treaty between Norland and Estmark survive the fishing season? "
            + "The treaty reopens the ports of both countries to each other's ships within 30 days.",
            null,
            Noon);

        var lines = await new ExtractiveKeyLines(Profile).ExtractAsync([source], 3, TestContext.Current.CancellationToken);

        lines.Select(l => l.Text).ShouldBe([
            "Norland and Estmark signed the harbour treaty in Veldt on Monday after two days of talks.",
            "The treaty reopens the ports of both countries to each other's ships within 30 days.",
        ]);
    }

    [Fact]
    public async Task Extract_WireCopyWithDatelines_LinesStartWithTheNewsAndNoPlaceSpeaks()
    {
        var wire = new SourceText(
            "Envoys end Miami round of talks on peace plan",
            "MIAMI (Reuters) — U.S. envoy Steve Witkoff and Ukrainian negotiator Rustem Umerov said three days of talks on the peace plan had been productive.\n"
            + "The sides worked on security guarantees for Ukraine and on the sequence of next steps.\n"
            + "\"We are closer than we have been,\" Witkoff told reporters after the last session.",
            "Wire",
            Noon);
        var local = new SourceText(
            "Kyiv waits for word from Miami",
            "KYIV, Dec 21 — Officials in Kyiv said they expected a full report on the Miami talks by Monday.\n"
            + "Russian drones struck power stations in three regions overnight, the energy ministry said.",
            "Local",
            Noon.AddHours(2));

        var lines = await new ExtractiveKeyLines(Profile).ExtractAsync([wire, local], 4, TestContext.Current.CancellationToken);

        lines.ShouldNotBeEmpty();
        lines.ShouldAllBe(l => !l.Text.StartsWith("MIAMI", StringComparison.Ordinal) && !l.Text.StartsWith("KYIV", StringComparison.Ordinal));
        lines.ShouldAllBe(l => l.Speaker == null || !(l.Speaker.Contains("Miami", StringComparison.OrdinalIgnoreCase) || l.Speaker.Contains("Kyiv", StringComparison.OrdinalIgnoreCase)));
        lines.Where(l => l.Text.StartsWith("U.S. envoy Steve Witkoff", StringComparison.Ordinal)).ShouldAllBe(l => l.Speaker == "Steve Witkoff; Rustem Umerov");
        lines.Where(l => l.Text.Contains("closer than we have been")).ShouldAllBe(l => l.Speaker == "Steve Witkoff");
    }

    [Fact]
    public async Task Extract_AnonymousSource_ShowsNoSpeaker()
    {
        var source = new SourceText(
            "Oil slides as traders weigh peace talks",
            "Crude prices fell for a third day on Tuesday as traders bet on progress in the Ukraine peace talks.\n"
            + "\"The peace headlines are the spark,\" said one commodities strategist.",
            null,
            Noon);

        var lines = await new ExtractiveKeyLines(Profile).ExtractAsync([source], 2, TestContext.Current.CancellationToken);

        lines.Count.ShouldBe(2);
        lines.ShouldAllBe(l => l.Speaker == null);
    }

    [Fact]
    public void Choose_OneFactToldInOtherWordOrderAndAShorterLine_KeepsTheFactOnce()
    {
        var document = new ExtractiveKeyLines.Document(
            "Prisoner exchange agreed in Geneva",
            [
                "Negotiators in Geneva agreed on a prisoner exchange covering hundreds of soldiers.",
                "Heavy snow closed the main airport of the capital for two whole days this week.",
                "Covering hundreds of soldiers, a prisoner exchange was agreed by negotiators in Geneva.",
                "Negotiators in Geneva agreed on a prisoner exchange for soldiers.",
            ]);

        var picks = new ExtractiveKeyLines().Choose([document], 4);

        picks.Select(p => p.Sentence).ShouldContain(1);
        picks.Count(p => p.Sentence is 0 or 2 or 3).ShouldBe(1);
    }

    [Fact]
    public void Choose_OneLineTheOthersEachShareWordsWith_IsTheKeyLine()
    {
        var document = new ExtractiveKeyLines.Document(
            "Harbour notes",
            [
                "Fishing boats returned early because of strong winds near the coast.",
                "The ferry service between the islands stopped because of strong winds and high waves.",
                "Passengers waited at the terminal for the ferry service to the islands to resume.",
                "High waves damaged a wall along the promenade overnight.",
            ]);

        var picks = new ExtractiveKeyLines().Choose([document], 1);

        picks.ShouldHaveSingleItem().Sentence.ShouldBe(1);
    }

    [Fact]
    public void Centrality_SentencesInAnotherOrder_EachKeepsItsRank()
    {
        string[] sentences =
        [
            "Fishing boats returned early because of strong winds near the coast.",
            "The ferry service between the islands stopped because of strong winds and high waves.",
            "Passengers waited at the terminal for the ferry service to the islands to resume.",
            "High waves damaged a wall along the promenade overnight.",
            "The ferry service between the islands stopped because of strong winds and high waves.",
            "Strong winds are expected again near the coast on Friday.",
        ];
        var extractor = new ExtractiveKeyLines();

        var ranks = extractor.Centrality(sentences);
        var reversed = extractor.Centrality([.. sentences.Reverse()]);

        reversed.Reverse().ShouldBe(ranks, 1e-12);
        ranks[4].ShouldBe(ranks[1]);
        ranks.Sum().ShouldBe(1, 1e-9);
    }

    [Fact]
    public async Task Extract_EmptySources_ReturnsNoLines()
    {
        var lines = await new ExtractiveKeyLines().ExtractAsync([new SourceText("", "", null, Noon)], 3, TestContext.Current.CancellationToken);

        lines.ShouldBeEmpty();
    }
}
