using Digest.Core.Summarization;

namespace Digest.Core.Tests.Summarization;

/// <summary>Who said it, one construction of news prose at a time; every article here is written for these tests.</summary>
public sealed class AttributionTests
{
    private static IReadOnlyList<string?> Speakers(params string[] article) => Attribution.Speakers(article);

    private static string? Last(params string[] article) => Speakers(article)[^1];

    [Theory]
    [InlineData("Mara Lind, the head of the dockworkers' union, said the strike would go on.", "Mara Lind")]
    [InlineData("But Paul Okafor, chief economist at Harbour Bank, warned that rates could rise again.", "Paul Okafor")]
    [InlineData("The Shadow Secretary of State for Transport, Theresa Hale, said the fares were too high.", "Theresa Hale")]
    [InlineData("Norway's fisheries minister, Ingrid Solberg, lashed out at the new quotas.", "Ingrid Solberg")]
    [InlineData("The Bishop of Lowton, the Rt Rev Dr Alan Marsh, described the film as \"harmless fun\".", "Alan Marsh")]
    public void Speakers_Apposition_NamesThePersonNotTheRole(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    /// <summary>
    /// An acronym defined twice, the second time after a shorter form of the name, once made an entity nothing mentions,
    /// and reading the article then failed (so did every refresh of a story holding it).
    /// </summary>
    [Fact]
    public void Speakers_AcronymDefinedAgainAfterAShorterName_ReadsTheArticle()
    {
        Speakers(
                "Contoso ships the Cloud Farm Planning Tools (FPT) to all users.",
                "The Farm Planning Tools now run in the browser, Contoso said.",
                "Read more about the Farm Planning Tools (FPT) on the team's blog.")
            .ShouldBe([null, "Contoso", null]);
    }

    [Theory]
    [InlineData("Chancellor Gordon Brown said the budget would be fair.", "Gordon Brown")]
    [InlineData("Sir Digby Jones warned that costs were rising.", "Digby Jones")]
    [InlineData("Secretary of State Marco Lewin told reporters the deal was close.", "Marco Lewin")]
    [InlineData("Ukrainian Chief Negotiator Rustem Umerov said the sides had made progress.", "Rustem Umerov")]
    [InlineData("Hollywood actor Dan Reyes has said he will return to the stage.", "Dan Reyes")]
    public void Speakers_TitleBeforeName_IsDropped(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The new chips could also go into cars, phones and everything in between, said Lena Hart, an analyst at Dune Research.", "Lena Hart")]
    [InlineData("Currently, says Dr Omar Fell, most of the cost lies in the cooling.", "Omar Fell")]
    [InlineData("However, one of the so-called Harbour Six, Ruth Gale - who spent a decade in prison - said the ruling came too late.", "Ruth Gale")]
    [InlineData("Conservative Nia Bowen, the youngest member of the council, told reporters the plan was unfair.", "Nia Bowen")]
    [InlineData("Labour spokesman for housing Tom Reddy said the rents were too high.", "Tom Reddy")]
    public void Speakers_InvertedAsideAndAffiliation_NameThePerson(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The aim, says Vexa Labs, is to bring artists and engineers together.", "Vexa Labs")]
    [InlineData("Columnist Hamish Dell said the vote had been closer than expected.", "Hamish Dell")]
    [InlineData("Brown, the chancellor, said Labour, which had won twice, would win again.", "Brown")]
    public void Speakers_ParentheticalNameAndFirstNamesLikeNationalities(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_QuotationAfterASentenceAboutAPerson_IsThatPersons()
    {
        Speakers(
            "Mr Olver, who runs the charity, wants every school to have a garden.",
            "\"We planted 40 gardens last year and only one has failed.\"").ShouldBe([null, "Olver"]);
    }

    [Fact]
    public void Speakers_QuotationAfterNarration_IsTheSpeakerJustBefore()
    {
        Speakers(
            "\"The plan covers every village,\" said Rosa Quint, the project's director.",
            "The evening classes have been full since March.",
            "\"We have had a wonderful response from older people.\"").ShouldBe(["Rosa Quint", null, "Rosa Quint"]);
    }

    [Theory]
    [InlineData("Former minister Jill Harte remembered how colleagues had ignored her in meetings.", "Jill Harte")]
    [InlineData("\"This is only a pilot,\" underlined Mr Tovar.", "Tovar")]
    [InlineData("Security firms speculate that the worm spread through shared folders.", "unnamed")]
    public void Speakers_RememberUnderlineSpeculate_AreReports(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Nadia Deans, a director of the studio, said the new projectors would arrive in May.", "Nadia Deans")]
    [InlineData("Tory MPs said the plan would fail.", "unnamed")]
    [InlineData("Mr Whit says the scheme is the best way forward.", "Whit")]
    public void Speakers_PluralTitleAfterAFirstName_IsASurname(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_StatesBeforeAnAuxiliary_AreCountriesNotAReport()
    {
        Last("To pass, both the European Parliament and a majority of EU states have to approve the text.").ShouldBeNull();
    }

    [Fact]
    public void Speakers_WentOnToSay_IsTheSubjectsReport()
    {
        Last(
            "Shadow minister Carl Ames told the radio station the plan would fail.",
            "He went on to say: \"We will vote against it.\"").ShouldBe("Carl Ames");
    }

    [Fact]
    public void Speakers_PronounAfterASpokesperson_StaysWithTheBody()
    {
        Speakers(
            "Opposition spokesman Carl Ames said the plan was rushed.",
            "A spokeswoman for Fair Trials Watch said the orders broke a basic principle.",
            "She added: \"Nobody should be punished without a trial.\"").ShouldBe(["Carl Ames", "Fair Trials Watch", "Fair Trials Watch"]);
    }

    [Fact]
    public void Speakers_ParticipleOpeningASentence_IsNoPerson()
    {
        Last(
            "Sensing his mistake, Mr Dorran wrote to the producer again.",
            "He said: \"That message was meant for someone else.\"").ShouldBe("Dorran");
    }

    [Fact]
    public void Speakers_SirAndFirstName_IsTheFullName()
    {
        Last(
            "Sir Digby Jones, director general of the CBI, warned that suppliers could not absorb the cost.",
            "Sir Digby added that firms had already cut their margins.").ShouldBe("Digby Jones");
    }

    [Fact]
    public void Speakers_Surname_IsWidenedToTheFullNameGivenEarlier()
    {
        Last(
            "Kremlin spokesman Dmitry Peskov spoke on Friday.",
            "\"The amendments are unacceptable,\" Peskov said.").ShouldBe("Dmitry Peskov");
    }

    [Fact]
    public void Speakers_LaterReferenceByRole_IsThePersonDescribedSo()
    {
        Last(
            "Chancellor Gordon Brown is expected to announce extra funding next month.",
            "The weather in London was mild.",
            "The chancellor told MPs that the budget would be \"fair to families\".").ShouldBe("Gordon Brown");
    }

    [Theory]
    [InlineData("\"We expect a quiet winter,\" said Paul Okafor, an economist at Harbour Bank.", "Paul Okafor")]
    [InlineData("\"We expect a quiet winter,\" Harbour Bank economist Paul Okafor said.", "Paul Okafor")]
    [InlineData("\"We expect a quiet winter,\" the bank's economist, Paul Okafor, told the BBC.", "Paul Okafor")]
    [InlineData("Paul Okafor told the Financial Times: \"We expect a quiet winter.\"", "Paul Okafor")]
    public void Speakers_DirectQuote_NamesItsSpeaker(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_QuoteContinuedInTheNextSentences_KeepsItsSpeaker()
    {
        var speakers = Speakers(
            "Coach Rosa Vidal was pleased with her young side.",
            "\"We defended well,\" said Vidal.",
            "\"The second half was our best this season.\"",
            "\"Now we need to score more.\"",
            "The club play again on Saturday.");

        speakers.ShouldBe([null, "Rosa Vidal", "Rosa Vidal", "Rosa Vidal", null]);
    }

    [Fact]
    public void Speakers_QuotesBeforeTheirAttribution_TakeTheSpeakerNamedAfterThem()
    {
        var speakers = Speakers(
            "The sprinter Owen Tate lost his title last summer.",
            "\"It still hurts.\"",
            "\"I made one mistake and paid for it,\" said Tate.");

        speakers.ShouldBe([null, "Owen Tate", "Owen Tate"]);
    }

    [Fact]
    public void Speakers_QuotationOpenAcrossSentences_BelongsToItsSpeaker()
    {
        var speakers = Speakers(
            "Retail analyst Nia Obi said: \"Shoppers held back in December.",
            "Prices will have to fall before they come back,\" she added.");

        speakers.ShouldBe(["Nia Obi", "Nia Obi"]);
    }

    [Fact]
    public void Speakers_QuotesAfterReportedSpeech_BelongToThatSpeaker()
    {
        var speakers = Speakers(
            "Boxer Kim Sato says she is ready for the rematch.",
            "\"I have trained harder than ever.\"",
            "\"This time I will win.\"");

        speakers.ShouldBe(["Kim Sato", "Kim Sato", "Kim Sato"]);
    }

    [Fact]
    public void Speakers_Pronouns_PointToTheLastPersonOfFittingSex()
    {
        var speakers = Speakers(
            "Finance minister Ana Ruiz met union leader Mr Tomas Berg on Monday.",
            "Ms Ruiz said the talks had been constructive.",
            "Mr Berg said the union would consider the offer.",
            "She said a deal could be signed within a week.",
            "He added that members would vote first.");

        speakers.ShouldBe([null, "Ana Ruiz", "Tomas Berg", "Ana Ruiz", "Tomas Berg"]);
    }

    [Fact]
    public void Speakers_ItAndTheCompany_AreTheBodyThatSpokeLast()
    {
        var speakers = Speakers(
            "Engineering firm Harlow Systems has warned that profits will fall.",
            "The company said orders from Asia had slowed.",
            "It added that it would cut 200 jobs.");

        speakers.ShouldBe(["Harlow Systems", "Harlow Systems", "Harlow Systems"]);
    }

    [Theory]
    [InlineData("A Cabinet Office spokeswoman said the report would be published.", "the Cabinet Office")]
    [InlineData("A spokesman for the Home Office said the rules were clear.", "the Home Office")]
    [InlineData("The prime minister's official spokesman said no decision had been taken.", "Downing Street")]
    [InlineData("No 10 said the timetable would not change.", "Downing Street")]
    [InlineData("A spokeswoman said the plans were at an early stage.", Attribution.Unnamed)]
    public void Speakers_Spokespeople_SpeakForTheirBody(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Labour MP Anne Wells and Conservative MP John Barker said the plan should be delayed.", "Anne Wells; John Barker")]
    [InlineData("Reports in the Daily Courier and the Evening Post suggested that a bid was close.", "the Daily Courier; the Evening Post")]
    public void Speakers_SeveralSpeakers_AreJoined(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Exports rose 2% in March, according to figures from the Office for National Statistics.", "the Office for National Statistics")]
    [InlineData("According to a survey by the National Union of Teachers, most schools had raised prices.", "the National Union of Teachers")]
    [InlineData("The striker will miss the final, according to reports.", Attribution.Unnamed)]
    public void Speakers_AccordingTo_NamesTheSource(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Analysts said the fall in sales was worse than expected.")]
    [InlineData("One trader said the market had \"lost its nerve\".")]
    [InlineData("The painter is said to have burned his early work.")]
    [InlineData("Critics argue the tax will hurt the poorest families.")]
    [InlineData("The half-point gap, some believe, could keep the currency strong.")]
    [InlineData("It is understood that the talks will resume on Monday.")]
    [InlineData("The minister reportedly offered to resign.")]
    public void Speakers_AnonymousSources_AreUnnamed(string sentence)
    {
        Last(sentence).ShouldBe(Attribution.Unnamed);
    }

    [Theory]
    [InlineData("The Department for Education and Skills said the money would reach schools in April.", "the Department for Education and Skills")]
    [InlineData("The Office of the Deputy Prime Minister said councils had been consulted.", "the Office of the Deputy Prime Minister")]
    [InlineData("A survey by research firm Northgate shows that most schools have fast internet.", "Northgate")]
    [InlineData("The researchers, from the University of Leeds, found that prices had fallen.", "the University of Leeds")]
    public void Speakers_Bodies_AreNamedAsTheArticleWritesThem(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_FirmByItsTrade_IsTheBodyNamedBefore()
    {
        Last(
            "Semiconductor firm Acme Microsystems has warned that profits will fall.",
            "Shares fell 8% in early trading.",
            "The Oslo-based chip maker expects sales of $2bn this year.").ShouldBe("Acme Microsystems");
    }

    /// <summary>A surname two people share stands for the one named last before it, else the first named after it.</summary>
    [Fact]
    public void Speakers_SurnameTwoPeopleShare_IsTheOneNamedNearestBefore()
    {
        var speakers = Speakers(
            "\"We will appeal,\" Smith said.",
            "Coach Anna Smith picked the team on Monday.",
            "Her brother, Tom Smith, runs the club's academy.",
            "Smith said the young players were ready.",
            "Striker Leo Park scored twice.",
            "Anna Smith praised the defence.",
            "Smith added that the title race was open.");

        speakers[0].ShouldBe("Anna Smith");
        speakers[3].ShouldBe("Tom Smith");
        speakers[6].ShouldBe("Anna Smith");
    }

    [Fact]
    public void Speakers_NameWrittenWithoutItsSpace_IsTheFullName()
    {
        Last(
            "Shares in Easy Jet rose after the results.",
            "EasyJet said bookings were ahead of last year.").ShouldBe("Easy Jet");
    }

    [Fact]
    public void Speakers_Acronym_IsTheNameItStandsFor()
    {
        Last(
            "The European Regions Airline Association (ERAA) wants the rules changed.",
            "The ERAA said passengers would pay in the end.").ShouldBe("the European Regions Airline Association");
    }

    [Fact]
    public void Speakers_OpeningRoleWithoutAName_IsThePersonNamedNext()
    {
        var speakers = Speakers(
            "A new film about the cathedral is \"harmless fun\", a clergyman has said.",
            "The Bishop of Lowton, the Rt Rev Dr Alan Marsh, said he had enjoyed it.");

        speakers.ShouldBe(["Alan Marsh", "Alan Marsh"]);
    }

    [Fact]
    public void Speakers_SomeonesLawyer_IsNotThatPerson()
    {
        Speakers(
            "Jonas Berg's lawyer has called for the ban to be lifted.",
            "Pieter Kamp has sent new evidence to the tribunal.",
            "Kamp said: \"The case should never have been brought.\"")[0].ShouldBe("Pieter Kamp");
    }

    [Fact]
    public void Speakers_RelativeNamedByFirstName_TakesTheFamilyName()
    {
        Last(
            "Novelist Arthur Penrose has died at the age of 84.",
            "\"He had a wonderful life,\" said his wife, Margaret.").ShouldBe("Margaret Penrose");
    }

    [Fact]
    public void Speakers_StanceOfASubject_IsReportedSpeech()
    {
        Last("Sprinter Ada Moss is confident she can win in Madrid.").ShouldBe("Ada Moss");
    }

    [Theory]
    [InlineData("The bridge reopened on Monday after three weeks of repairs.")]
    [InlineData("Shares fell 5% after the forecast was published.")]
    [InlineData("The firm added 300 jobs in the last quarter.")]
    [InlineData("He scored twice in the second half to seal the win.")]
    [InlineData("The talks centred on a proposed plan, although the rebels rejected suggested changes.")]
    [InlineData("The band will announce the tour dates next week.")]
    [InlineData("Her latest novel, called \"Rain\", sold a million copies.")]
    [InlineData("Kremlin Rejects Changes To Plan")]
    [InlineData("Shares rose amid fears of a takeover.")]
    [InlineData("The firm settled a tax claim against its former owner.")]
    [InlineData("The winners will be officially announced next week.")]
    [InlineData("Revised figures indicated growth of just 0.1%.")]
    public void Speakers_NoReportedSpeech_IsNull(string sentence)
    {
        Last("Talks resumed in Geneva with envoy Steve Witkoff present.", sentence).ShouldBeNull();
    }

    [Fact]
    public void Speakers_PronounRightBeforeTheVerb_IsTheSubjectAfterALongOpening()
    {
        Last(
            "Singer Lena Hart joined her brother on the tour.",
            "During a chat on Radio Nine's Breakfast Hour she said she had never been happier.").ShouldBe("Lena Hart");
    }

    [Theory]
    [InlineData("Mayor Ann Kerr has apologised to the families of the flood victims.", "Ann Kerr")]
    [InlineData("Mayor Ann Kerr was commenting on the delays to the new bridge.", "Ann Kerr")]
    [InlineData("Mayor Ann Kerr was speaking to pupils about litter on Monday.", "Ann Kerr")]
    public void Speakers_ApologisingCommentingAndSpeakingAbout_AreReports(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The new timetable has left commuters worse off, it has been claimed.", "unnamed")]
    [InlineData("It was announced that the pier would close for the winter.", "unnamed")]
    public void Speakers_ImpersonalPassive_IsAnUnnamedSource(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("But Green Party campaign chiefs say there are no plans for a daily briefing.", "the Green Party")]
    [InlineData("Vexa researchers said products using the chip should appear by 2030.", "Vexa")]
    [InlineData("Officials from the Kettle Institute said the survey would be repeated.", "the Kettle Institute")]
    public void Speakers_PeopleWhoSpeakForABody_GiveTheBody(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Leaders of Norway, Chile and Japan said the treaty was fair.", "Norway; Chile; Japan")]
    [InlineData("Leaders of Norway, Chile, Peru, Spain, Kenya and several Baltic states said in Oslo that they backed the treaty.", "Norway; Chile; Peru; Spain; Kenya")]
    [InlineData("Acme, Brill and Corvo said the merger talks were over.", "Acme; Brill; Corvo")]
    [InlineData("The deal is off, said Acme, Brill and Corvo.", "Acme; Brill; Corvo")]
    [InlineData("Writing in a science journal, Dr Ana Ruiz - and colleagues Tom Hale, Li Wen and Sara Bird - show how the gel repairs itself.", "Ana Ruiz; Tom Hale; Li Wen; Sara Bird")]
    public void Speakers_ListOfSpeakers_NamesEveryOne(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_QuantifiedNationality_IsUnnamed()
    {
        Last("Most Norwegians said in a poll that they wanted a shorter working week.").ShouldBe("unnamed");
    }

    [Fact]
    public void Speakers_DocumentNounOpeningASentence_IsItsAuthorNamedNearby()
    {
        Speakers(
            "Research has found that bees prefer blue flowers.",
            "The Kettle Institute study found that the effect was strongest in spring.",
            "The Kettle Institute report took a close look at Peru.").ShouldBe(["the Kettle Institute", "the Kettle Institute", null]);
    }

    [Fact]
    public void Speakers_RoleOfOffice_IsNotSomeoneDescribedByAnotherOffice()
    {
        Speakers(
            "Ian Barr's remark about the trams has angered commuters.",
            "Nick Moss, the opposition leader, wrote to Mr Barr calling for an apology.",
            "In a sharp reply, the first minister said his words had been twisted.",
            "He told Mr Moss: \"You have made this about yourself.\"").ShouldBe([null, "Nick Moss", "Ian Barr", "Ian Barr"]);
    }

    [Fact]
    public void Speakers_SpokesmanOfAPrimeMinisterKnownByRole_IsDowningStreet()
    {
        Speakers(
            "Tom Reed has apologised to the miners' families.",
            "The prime minister was commenting on the pit closures of 1985.",
            "Mr Reed's official spokesman said the meeting had been moving.").ShouldBe(["Tom Reed", "Tom Reed", "Downing Street"]);
    }

    [Theory]
    [InlineData("According to Brill's chief executive, Joan Pike, sales will recover by spring.", "Joan Pike")]
    [InlineData("According to sources close to the minister, the plan has been dropped.", "unnamed")]
    public void Speakers_AccordingTo_ReadsAppositionsAndAnonymousSources(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Joan Pike and Bob Crane both said the talks had failed.", "Joan Pike; Bob Crane")]
    [InlineData("Mr Bob Crane, who has led the union since 2002, said the vote was clear.", "Bob Crane")]
    [InlineData("Shadow chancellor Oliver Pratt accused the government of hiding the figures.", "Oliver Pratt")]
    [InlineData("The Greens said the tax was unfair, while the Ecology Party insisted it would work.", "the Greens; the Ecology Party")]
    public void Speakers_BothRelativeClausesChargesAndContrastedClauses(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_CoChairmanAndNationality_AreRolesOfPeopleNamedBefore()
    {
        Speakers(
            "Party co-chairman Liam Hart said the campaign would start in March.",
            "The Tory co-chairman attacked the plans and said they would hurt pensioners.",
            "Rovers manager Angus Reid says his side can still win the league.",
            "The Scot also praised his young striker.").ShouldBe(["Liam Hart", "Liam Hart", "Angus Reid", "Angus Reid"]);
    }

    [Fact]
    public void Speakers_ClubBeforeARoleAndAName_IsAnAffiliationNotTheSubject()
    {
        Last(
            "Albion boss Jose Marin was in no mood to concede.",
            "He told reporters: \"The title is ours to lose.\"").ShouldBe("Jose Marin");
    }

    [Fact]
    public void Speakers_SpeechFramedAsANoun_IsThePossessors()
    {
        Speakers(
            "Chancellor Gordon Brewer met business leaders in Leeds.",
            "His message to the bankers was: \"Lend again.\"",
            "Mr Brewer's view is that growth will return.").ShouldBe([null, "Gordon Brewer", "Gordon Brewer"]);
    }

    [Fact]
    public void Speakers_AnalystsAtAFirmAndThePartyNamedBefore_AreThoseBodies()
    {
        Speakers(
            "Analysts at Quill Research said sales would double.",
            "Labour said the claims were false.",
            "The party said it would publish its manifesto next week.").ShouldBe(["Quill Research", "Labour", "Labour"]);
    }

    [Fact]
    public void Speakers_BodyWithARemitInLowerCase_IsNamedAsTheArticleWritesIt()
    {
        Speakers(
            "A new agency for rural transport should be set up, a committee of MPs has said.",
            "Bus services were in \"steep decline\", the Commons transport and regions committee added.",
            "In its report on the bus companies the committee said: \"Passengers deserve better.\"",
            "\"Ministers must act.\"").ShouldBe(Enumerable.Repeat("the Commons transport and regions committee", 4).ToArray());
    }

    [Theory]
    [InlineData("Many workers were sacked for what they have said on their blogs.")]
    [InlineData("Universities and teachers in the independent and state sectors have backed the plan.")]
    public void Speakers_ObjectClausesAndAdjectives_AreNoReports(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("A blog is started every few seconds, according to a US research think-tank.", "unnamed")]
    [InlineData("The proposal was attacked by the employers' group, the CBI, which complains of a lack of skills.", "the CBI")]
    [InlineData("Asked if she likes tennis, Ms Ruth Vale confesses: \"Only when I win.\"", "Ruth Vale")]
    [InlineData("Mr Tom Ward brands such criticism as \"nonsense\".", "Tom Ward")]
    [InlineData("The Campaign to Protect Rural Wales is asking walkers to report damaged stiles.", "the Campaign to Protect Rural Wales")]
    [InlineData("The ruling was welcomed by many, Rabbi Aaron Levy, founder of the Open Door Centre said.", "Aaron Levy")]
    public void Speakers_ConfessBrandAskRelativeAfterAnAppositionAndTrailingApposition(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void SpeakerOf_LineWrittenFromTheArticle_IsReadWithTheArticle()
    {
        string[] article = ["Finance minister Ana Ruiz presented the budget on Monday.", "It cuts fuel duty."];

        Attribution.SpeakerOf("Ruiz said the budget would help drivers.", article).ShouldBe("Ana Ruiz");
        Attribution.SpeakerOf("It cuts fuel duty.", article).ShouldBeNull();
    }

    [Theory]
    [InlineData("Towns which could be said to have gained most include Ely and Wells.")]
    [InlineData("The tower might be described as a lighthouse without a sea.")]
    [InlineData("The pickers were told to leave the orchard by noon.")]
    [InlineData("Residents remain worried about the cost of the new bridge.")]
    public void Speakers_MannersOfSpeakingAndOrders_AreNoReports(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("Jurors were told the van had been stolen a week earlier.")]
    [InlineData("Staff who stayed late were docked pay, researchers from Harwell University were told.")]
    [InlineData("Shareholders were told: \"The worst is behind us.\"")]
    public void Speakers_HearersOfAPassiveTold_HeardSomeoneUnnamed(string sentence)
    {
        Last(sentence).ShouldBe(Attribution.Unnamed);
    }

    [Fact]
    public void Speakers_SpecifiedFlaggedUpAndWorriedThat_AreReports()
    {
        Speakers(
            "The Lumo 5 was picked as phone of the year by US magazine Pocket World.",
            "The magazine specified that entries had to be on sale before June.",
            "Brell Bank has warned customers about fake e-mails.",
            "In its monthly security bulletin, it flagged up three new scams.",
            "Norway has long been worried that its fish stocks are shrinking.")
            .ShouldBe([null, "Pocket World", "Brell Bank", "Brell Bank", "Norway"]);
    }

    [Fact]
    public void Speakers_AcronymsAndNamesBeforeABodyNoun_TakeTheOnlyWhereTheArticleWritesIt()
    {
        Speakers(
            "IBM said the money would go to research.",
            "The Open Wires Watch group said in a report that the rules were harsh.",
            "Later the BBC said it would appeal.")
            .ShouldBe(["IBM", "Open Wires Watch", "the BBC"]);
    }

    [Theory]
    [InlineData("Mara Quill, one of the so-called \"Harbour Five\" freed in 1999, told reporters: \"We never gave up.\"", "Mara Quill")]
    [InlineData("Another senior member of the council says she was warned: \"Keep quiet.\"", "unnamed")]
    [InlineData("Even after the arrival of new nurses on the wards, and more money from the Health Trust, older staff often say they feel ignored.", "unnamed")]
    [InlineData("Engineers have long argued over the design.", null)]
    public void Speakers_ScareQuotesInANounPhraseMembersAndLongOpeningClauses(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_ADescriptionOfANamedBody_IsThatBody()
    {
        Speakers(
            "According to the state news agency most of the new dams were finished in May.",
            "The official Tarsa News Agency said the dams had cost $2bn.")
            .ShouldBe(["the Tarsa News Agency", "the Tarsa News Agency"]);
    }

    [Theory]
    [InlineData("Even before Norvo announced the merger it was the largest supplier in the region.", null)]
    [InlineData("After the minister said the plan was dead, shares fell.", "unnamed")]
    [InlineData("Open source developers reason that many eyes find more bugs.", "unnamed")]
    public void Speakers_TimeClausesAndReasoning(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_PassiveReportWithAnAgent_IsTheAgents()
    {
        Speakers(
            "The levy has been criticised by the Federation of Small Bakers for its cost.",
            "The idea was welcomed by Labour.")
            .ShouldBe(["the Federation of Small Bakers", "Labour"]);
    }

    [Fact]
    public void Speakers_AFirmsNounAfterAFirmThatSpoke_IsThatFirm()
    {
        Speakers(
            "Norvo said the update would be free.",
            "The software giant added that older phones would not get it.")
            .ShouldBe(["Norvo", "Norvo"]);
    }

    [Theory]
    [InlineData("The panel's chairman, Rhys Morgan MP, said ministers should listen.", "Rhys Morgan")]
    [InlineData("Helen Cole QC told the inquiry the papers had been lost.", "Helen Cole")]
    public void Speakers_LettersAfterAName_AreDropped(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_ItAfterABodyOfNoKnownKind_IsThatBody()
    {
        Speakers(
            "Zendo said in a statement that the service would stay free.",
            "It said: \"Users can leave at any time.\"",
            "\"We welcome every comment.\"")
            .ShouldBe(["Zendo", "Zendo", "Zendo"]);
    }

    [Theory]
    [InlineData("Former MP Ann Winter recalled a string of insults from a senior colleague.", "Ann Winter")]
    [InlineData("The minister recalled the ambassador for talks.", null)]
    public void Speakers_RecalledWords_AreReports(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_APluralTitleAfterAnHonorific_IsASurname()
    {
        Speakers(
            "Moira Bishops, head of the film board, said prints were costly.",
            "\"Some films need time,\" explained Ms Bishops.")
            .ShouldBe(["Moira Bishops", "Moira Bishops"]);
    }

    [Fact]
    public void Speakers_ANameBeforeAPlainNoun_DoesNotTakeThatNounsThe()
    {
        Speakers(
            "Users of the Zendo toolbar can switch the links off.",
            "Zendo said the feature was still on trial.")
            .ShouldBe([null, "Zendo"]);
    }

    [Theory]
    [InlineData("Rescuers reached the village on Friday to clear the road, which farmers and the mayor have criticised as too narrow.")]
    [InlineData("The board met to review the merger, which Norvo and its lenders had opposed as too costly.")]
    [InlineData("Crews began work on the bridge, which the council had promised would open by May.")]
    public void Speakers_AVerbInAnObjectRelative_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("The levy, which ministers had defended for years, was unfair, Ada Moss told the inquiry.")]
    [InlineData("The levy, which the Treasury had backed for years, was unfair, Ada Moss said.")]
    [InlineData("The levy, which the Treasury had backed for years, was unfair, said Ada Moss.")]
    [InlineData("The plan, which Kyiv has criticised, was rewritten, Ada Moss said.")]
    public void Speakers_ARelativeClauseBeforeATrailingReport_LeavesTheReport(string sentence)
    {
        Last(sentence).ShouldBe("Ada Moss");
    }

    [Fact]
    public void Speakers_HisOffice_IsTheOfficeOfThePersonHisPointsTo()
    {
        Speakers(
            "Envoys led by Tom Reddy handed President Ilya Marek a draft treaty on Monday, according to his office.",
            "The draft was passed to Sara Quinn, according to her office.",
            "Mr Marek's office said he would reply within a week.")
            .ShouldBe(["Ilya Marek's office", "Sara Quinn's office", "Ilya Marek's office"]);
    }

    [Fact]
    public void Speakers_LeadersOfSeveralCountries_AreEveryCountryNamed()
    {
        Last("Leaders of Norway, Chile, Kenya and several Baltic states said in Oslo on Tuesday that they would fund the scheme.")
            .ShouldBe("Norway; Chile; Kenya");
    }

    [Theory]
    [InlineData("Ms Ada Dunne was speaking at a housing conference organised by the Renters' Alliance.", "Ada Dunne")]
    [InlineData("Tom Pike later phoned the newsroom saying the figures had been sent by mistake.", "Tom Pike")]
    [InlineData("Tom Pike e-mailed Ms Ana Lane saying the vote was off.", "Tom Pike")]
    [InlineData("Realising his error, Tom Pike then e-mailed Ms Ana Lane pointing out the mistake.", "Tom Pike")]
    [InlineData("The Greens have lauded the decision as a victory for common sense.", "the Greens")]
    [InlineData("A survey carried out by the Harbour Trust last year found that many tenants believe rents will keep rising.", "the Harbour Trust")]
    [InlineData("Research conducted by the Harbour Trust revealed that most tenants fear eviction.", "the Harbour Trust")]
    public void Speakers_IndirectReportsOfLessCommonShapes_NameTheSpeaker(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("There are growing rumours that the mayor is poised to resign.")]
    [InlineData("Local radio stations have carried stories that the bridge is unsafe.")]
    [InlineData("The ferry service is widely seen as the worst in the region.")]
    [InlineData("The old port is seen by many residents as a relic of another age.")]
    public void Speakers_TalkAndViewsFromNobodyNamed_AreUnnamed(string sentence)
    {
        Last(sentence).ShouldBe(Attribution.Unnamed);
    }

    [Theory]
    [InlineData("Police found a note saying the driver had gone home.")]
    [InlineData("Hikers passed a sign saying the path was closed.")]
    [InlineData("The tower is seen as a landmark from across the bay.")]
    [InlineData("Crowds gathered amid rumours that the band would play.")]
    public void Speakers_ShapesLikeThoseReportsWithoutSpeech_NameNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Fact]
    public void Speakers_ItsFigures_AreTheBodyNamedBefore()
    {
        Speakers(
            "The Harbour Trust published its annual survey of tenants on Monday.",
            "Nearly a third of tenants pay more than half their income in rent, according to its figures.")
            .ShouldBe([null, "the Harbour Trust"]);
    }

    [Fact]
    public void Speakers_TheMinister_IsTheSecretaryOfStateNamedBefore()
    {
        Speakers(
            "Trade Secretary Nora Vance opened the conference in Leeds on Tuesday.",
            "The minister told delegates that cutting red tape was vital to growth.")
            .ShouldBe([null, "Nora Vance"]);
    }

    [Fact]
    public void Speakers_APersonsEmail_IsThatPersons()
    {
        Speakers(
            "Tom Reddy chairs the planning board.",
            "Mr Reddy's e-mail, which was apparently meant for a colleague, suggested they should delay the vote.")
            .ShouldBe([null, "Tom Reddy"]);
    }

    [Fact]
    public void Speakers_ClippedWordsOfANameTheArticleGives_AreThatName()
    {
        Speakers(
            "Members of the Liberal Democrats gathered in Harrogate for their spring conference.",
            "The Lib Dems accuse the government of ignoring rural bus routes.")
            .ShouldBe([null, "the Liberal Democrats"]);
    }

    [Fact]
    public void Speakers_QuotesOfUtf8ReadAsWindows1252_OpenAndCloseQuotations()
    {
        // A feed that published its text decoded twice: “ ” ’ arrive as "â€œ", "â€\u009d" (or "â€" with the last byte dropped), "â€™".
        Speakers(
            "\u00e2\u20ac\u0153The lease is settled,\u00e2\u20ac\u009d Ann Pike said in a statement.",
            "\u00e2\u20ac\u0153We will sign it on Monday.\u00e2\u20ac",
            "The bridge reopened to traffic in the spring.",
            "The tolls will not change this year.")
            .ShouldBe(["Ann Pike", "Ann Pike", null, null]);
    }

    [Fact]
    public void Speakers_AnOfficeBeforeANameInApposition_IsThatName()
    {
        Speakers(
            "Head of Research, Ann Pike, said: \u201cThe figures are good.\u201d",
            "In addition, Chairman of the Harbour Trust, Tom Reed, said:",
            "\u201cWe are delighted with the result.\u201d",
            "SVP Lena Moss said the plan would be ready in June.")
            .ShouldBe(["Ann Pike", "Tom Reed", "Tom Reed", "Lena Moss"]);
    }

    [Fact]
    public void Speakers_AnAdverbOpeningASentence_IsNoPartOfAName()
    {
        Speakers(
            "Hopefully Norvo will fix the fault before the holidays.",
            "Norvo said the fix is ready.",
            "Please note that the office is closed on Friday.")
            .ShouldBe([null, "Norvo", null]);
    }

    [Theory]
    [InlineData("The rents rose sharply, as reported by the Harbour Trust in March.", "the Harbour Trust")]
    [InlineData("The fares will rise in May, the Kestrel news outlet reported on Monday.", "the Kestrel")]
    [InlineData("Lena Moss underscored how the course had helped new tenants.", "Lena Moss")]
    [InlineData("Dan Ross showcased how the new tool sorts the post.", "Dan Ross")]
    [InlineData("According to its annual report, the plant is safe, Ann Pike says.", "Ann Pike")]
    public void Speakers_ReportsOfThisRoundsShapes_NameTheSpeaker(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Gunfire broke out at the base on Sunday, a soldier and a local resident said.")]
    [InlineData("A leading donor to the Harbour Party warned he would cut his support.")]
    [InlineData("Federal officials identified the driver in Friday's crash as a former guard.")]
    [InlineData("Officials worry the bridge could fail in a storm.")]
    public void Speakers_AnonymousSourcesOfThisRound_AreUnnamed(string sentence)
    {
        Last(sentence).ShouldBe(Attribution.Unnamed);
    }

    [Fact]
    public void Speakers_ARelativeOfSomeoneNamed_IsUnnamed()
    {
        Speakers(
            "Tom Hale said the club had been good to him.",
            "Mia Stone's aunt claims she was unwell for months.")
            .ShouldBe(["Tom Hale", Attribution.Unnamed]);
    }

    [Theory]
    [InlineData("Even though it was a big year for films, Norvo felt more like a comedy than a drama.")]
    [InlineData("Ayla Kaya has responded to the unrest with a curfew.")]
    [InlineData("The two films, generally praised when released, quickly faded from memory.")]
    [InlineData("The crash underscored the risks of the old road.")]
    [InlineData("The rally concluded with a march to the town hall.")]
    [InlineData("Police identified with the victims' families.")]
    [InlineData("The fee was first set by the Harbour Trust in 1999.")]
    public void Speakers_ShapesLikeThisRoundsReportsWithoutSpeech_NameNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Fact]
    public void Speakers_APrepositionOpeningASentence_IsNoName()
    {
        Speakers(
            "Mira Kovac, 48, says she was let down by the agency.",
            "Through a former colleague, she made contact with the ministry.",
            "She says she was promised a pension.")
            .ShouldBe(["Mira Kovac", null, "Mira Kovac"]);
    }

    [Fact]
    public void Speakers_AFirmIsNotTheProductNamedAfterIt()
    {
        Speakers(
            "Norvo will launch the Norvo Pad in June.",
            "Norvo said a dozen apps would be ready by June.",
            "Norvo also announced a charging dock on Friday.",
            "Norvo announced that it would close two plants.")
            .ShouldBe([null, "Norvo", null, "Norvo"]);
    }

    [Fact]
    public void Speakers_TheCompany_IsAFirmNamedLatelyBeforeAnyPlace()
    {
        Speakers(
            "Kestrel makes electric scooters in Leeds.",
            "Its new model will go on sale in the US and Japan in May, the company has announced.")
            .ShouldBe([null, "Kestrel"]);
        Speakers(
            "Norvo showed off a faster modem at the fair.",
            "The Swedish company said it would ship in June.")
            .ShouldBe([null, "Norvo"]);
    }

    [Theory]
    [InlineData("Rival Kestrel has said it will cut prices.", "Kestrel")]
    [InlineData("The ATOC industry body said fares would rise.", "ATOC")]
    [InlineData("Mr Reed pointed to the council's own forecasts of a deficit.", "Reed")]
    [InlineData("Tom Reed hailed the council's record on housing.", "Tom Reed")]
    [InlineData("Ms Pike retorted that tenants cared about repairs.", "Pike")]
    [InlineData("Ms Pike wants every flat insulated by 2030 but conceded this would be hard.", "Pike")]
    [InlineData("A Harbour Trust source said: \"The deal is done.\"", "Harbour Trust")]
    [InlineData("When the council announced the new bus lanes were finished, Mayor Ann Pike said more would follow.", "Ann Pike")]
    [InlineData("The scooter will compete with bikes, despite Kestrel's assertion that scooters serve shorter trips.", "Kestrel")]
    [InlineData("Ann Pike is proud of the trust's work with young tenants.", "Ann Pike")]
    [InlineData("Mr Reed instead hailed the council's record.", "Reed")]
    [InlineData("Fares rose, according to research by the Harbour Policy and Rural Affairs Institute.", "the Harbour Policy and Rural Affairs Institute")]
    [InlineData("Barclays Bank and Lloyds Bank said rates would rise.", "Barclays Bank; Lloyds Bank")]
    [InlineData("The Home Office says people will pay more for passports.", "the Home Office")]
    [InlineData("A new model could be years away, though Norvo did not rule out a launch this spring.", "Norvo")]
    [InlineData("The Harbour Bank ruled out a cut in rates.", "the Harbour Bank")]
    [InlineData("He praised the scheme - but Mr Reed said the old council had drawn it up.", "Reed")]
    [InlineData("Landlords should hold rents at \"fair levels\" after a grant rise of 4%, says the Harbour Trust.", "the Harbour Trust")]
    [InlineData("The dock would halve charging times, says Norvo - and owners could save £40 a month.", "Norvo")]
    [InlineData("Tenants are being promised lower rents by the Harbour Party before the vote.", "the Harbour Party")]
    [InlineData("The row led Norvo to warn that prices would rise.", "Norvo")]
    [InlineData("Ann Pike refused to rule out a rise in fares.", "Ann Pike")]
    public void Speakers_ReportsOfRound11Shapes_NameTheSpeaker(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Some 300 tenants were warned they would lose their deposits.")]
    [InlineData("Those reported to have doubts include Tom Reed.")]
    [InlineData("The move prompted two charities to say the plan would fail.")]
    [InlineData("Her first book, Open Roads, now widely seen as a classic of cycling, came out in 1998.")]
    public void Speakers_AnonymousSourcesOfRound11_AreUnnamed(string sentence)
    {
        Last(sentence).ShouldBe(Attribution.Unnamed);
    }

    [Theory]
    [InlineData("The figures point to a slowdown in building.")]
    [InlineData("All the evidence pointed to a fault in the wiring.")]
    [InlineData("She went on holiday in May.")]
    [InlineData("He went on to win the race.")]
    [InlineData("Residents were warned to stay indoors.")]
    [InlineData("The bridge, now widely used by cyclists, reopened in May.")]
    [InlineData("The two managers are to be questioned by councillors next week.")]
    [InlineData("Norvo showcased a folding phone at the fair.")]
    [InlineData("When the council announced the closure, shares in the builder fell.")]
    [InlineData("Fans were angry despite the club's promise that prices would fall.")]
    [InlineData("The town is proud of its old bridge.")]
    [InlineData("The Senate questions session again saw senators clash over taxes.")]
    [InlineData("Smith was ruled out of the final by injury.")]
    [InlineData("He wants to rule out any doubt.")]
    [InlineData("A man thought to be in his forties was arrested.")]
    [InlineData("The band's sound has been likened to early punk.")]
    [InlineData("The rain led the club to cancel the match.")]
    [InlineData("Tenants were promised lower rents.")]
    public void Speakers_ShapesLikeRound11sReportsWithoutSpeech_NameNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Fact]
    public void Speakers_AnOfficeNamedInFull_IsItsHolderWhoeverSpokeLast()
    {
        Speakers(
            "Tom Reed met Housing Minister Ann Pike in Leeds on Monday.",
            "Tom Reed said the visit was a stunt.",
            "Mr Reed added: \"Nothing will change.\"",
            "The visit lasted two hours.",
            "The housing minister has admitted the delay was a mistake.")
            .ShouldBe([null, "Tom Reed", "Tom Reed", null, "Ann Pike"]);
    }

    [Fact]
    public void Speakers_WentOnWithAColon_ContinuesTheSpeaker()
    {
        Speakers(
            "Tory leader Ann Pike spoke in Leeds.",
            "The Tory leader went on: \"Nothing will change.\"")
            .ShouldBe([null, "Ann Pike"]);
    }

    [Fact]
    public void Speakers_AReportWithoutAnAuthor_IsTheBodyThatSpeaksAfterTheLede()
    {
        Speakers(
            "Rail fares will rise faster than wages unless the network is reformed, a report says.",
            "The Transport Audit Office criticised the rail companies over delays.",
            "Some 3 million people commute by rail.",
            "According to the report, half of all trains ran late.",
            "The report recommends running more trains at peak times.")
            .ShouldBe(["the Transport Audit Office", "the Transport Audit Office", null, "the Transport Audit Office", "the Transport Audit Office"]);
        Speakers(
            "Rail fares will rise faster than wages, a report says.",
            "Tom Reed said the figures were alarming.")
            .ShouldBe([Attribution.Unnamed, "Tom Reed"]);
    }

    [Fact]
    public void Speakers_ItAfterAStudy_IsTheStudysSource()
    {
        Speakers(
            "The Harbour Trust opened its new offices in May.",
            "A survey in 2001, which was paid for by the Harbour Trust, found that tolls would cover the bridge's upkeep.",
            "It also found that the ferry could close.")
            .ShouldBe([null, Attribution.Unnamed, Attribution.Unnamed]);
    }

    [Fact]
    public void Speakers_LongerQuotedWordsRightAfterAQuotedReport_AreTheSameSpeakers()
    {
        Speakers(
            "Ann Pike praised the \"steady gains\" of the past year and called the results \"a good start\".",
            "Landlords across the city would \"need to spend far more on damp\".",
            "Europe is ahead in \"end of life\" schemes.")
            .ShouldBe(["Ann Pike", "Ann Pike", null]);
    }

    [Fact]
    public void Speakers_ASurnameOfTwoSpellings_IsTheOneNamedOutsideQuotations()
    {
        Speakers(
            "Mira Kovacs, 48, says she was let down by the agency.",
            "\"We knew Myra Kovacs well,\" Ann Pike said.",
            "Ms Kovacs said she would fight on.")
            .ShouldBe(["Mira Kovacs", "Ann Pike", "Mira Kovacs"]);
    }

    [Fact]
    public void Speakers_AnAcronymAfterAPossessiveName_AndTheBody_AreThatName()
    {
        Speakers(
            "The Film Council of America's (FCA) new scanner helps families find pirated films.",
            "The FCA said no data would be kept.",
            "The industry body also said it would take more downloaders to court.")
            .ShouldBe([null, "the Film Council of America", "the Film Council of America"]);
    }

    [Fact]
    public void Speakers_TheUnion_IsTheWholeNameWrittenBeforeItsHead()
    {
        Speakers(
            "Harbour and Coastal Workers union members will strike on Friday.",
            "The union says it fears for overtime pay.")
            .ShouldBe([null, "the Harbour and Coastal Workers union"]);
    }

    [Fact]
    public void Speakers_AFirmThatEmploysAndInsists_SpeaksThroughTheSecondVerb()
    {
        Speakers(
            "Norvo was set up in a garage by two students.",
            "Today the firm employs 5,200 staff and insists it still feels like a start-up.")
            .ShouldBe([null, "Norvo"]);
        Speakers("The firm employs 5,200 staff and sells a million phones a year.").ShouldBe([null]);
    }

    [Fact]
    public void Speakers_LikenedTo_IsTheSpeakersComparison()
    {
        Speakers(
            "Ann Pike unveiled a plan for the harbour on Monday.",
            "It is a scheme which she has likened to the rebuilding of Rotterdam.")
            .ShouldBe([null, "Ann Pike"]);
    }

    // Round 11b: constructions of technology news (firms, products, their spokespeople and reports).

    [Theory]
    [InlineData("Forty lawsuits against people alleged to have shared films were filed by the Harbour Trust.")]
    [InlineData("Two men thought to be behind the scam were held in Leeds.")]
    [InlineData("A firm said to be worth $2bn has bought the app.")]
    public void Speakers_APassiveShortenedInsideANounPhrase_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("The two men are alleged to have stolen the laptops.")]
    [InlineData("The chip maker is said to be planning a cheaper model.")]
    public void Speakers_TheSamePassiveAsTheSentencesVerb_IsStillUnnamed(string sentence)
    {
        Last(sentence).ShouldBe(Attribution.Unnamed);
    }

    [Theory]
    [InlineData("Buyers can claim up to $500 back if they think the phone was faulty.")]
    [InlineData("It is not clear whether the chip maker believes the figures.")]
    [InlineData("The refund is paid unless the shop says the box was opened.")]
    public void Speakers_AViewOnlySupposedInAConditionalClause_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("If the launch slips, analysts warn, the price will fall.")]
    [InlineData("Norvo said that if the tests go well the phone will ship in May.")]
    public void Speakers_AReportOutsideTheConditionalClause_IsStillRead(string sentence)
    {
        Last(sentence).ShouldNotBeNull();
    }

    [Fact]
    public void Speakers_AStatementOrSpokesmanOfABodyNoun_IsTheBodyTheArticleNames()
    {
        Speakers(
            "The Kestrel Agency runs its checks on computers built in the 1970s.",
            "\"Failure to act will carry large risks,\" said an agency statement.",
            "A company spokesman said the plan was on track.")
            .ShouldBe([null, "the Kestrel Agency", Attribution.Unnamed]);
    }

    [Theory]
    [InlineData("Lena Moss & Partners said the shop would be sold.", "Lena Moss & Partners")]
    [InlineData("Harbour & Vale said its profits rose.", "Harbour & Vale")]
    public void Speakers_AnAmpersandJoinsOneName(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_TheAdministratorOfAFirm_IsTheBodyCalledSo()
    {
        Speakers(
            "Tessa Games called in administrators Rob Kent & Partners on Friday.",
            "The administrator said it would pay the staff by Christmas.",
            "It said it was hopeful of a quick sale.",
            "The administrator of the fan site closed it in May.")
            .ShouldBe([null, "Rob Kent & Partners", "Rob Kent & Partners", null]);
    }

    [Theory]
    [InlineData("Spyware is considered by computer experts to be the worst threat of the year.")]
    [InlineData("The new chip is viewed by many analysts as a turning point.")]
    [InlineData("The tablet is widely considered to be the best of the year.")]
    public void Speakers_AViewHeldByPeopleNotNamed_IsUnnamed(string sentence)
    {
        Last(sentence).ShouldBe(Attribution.Unnamed);
    }

    [Theory]
    [InlineData("The app was considered by the board in May.")]
    [InlineData("The advert is seen by millions of people every day.")]
    public void Speakers_ThePassiveOfSeeingOrWeighing_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("Norway's film industry said it was pleased with the ruling.")]
    [InlineData("The games sector has warned that prices will rise.")]
    public void Speakers_AWholeTradeSpeaking_IsUnnamed(string sentence)
    {
        Last(sentence).ShouldBe(Attribution.Unnamed);
    }

    [Theory]
    [InlineData("The Federation of Harbour Industries said growth would slow.", "the Federation of Harbour Industries")]
    public void Speakers_ATradeWordEndingABodysName_IsStillTheBody(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_ATradeThatDoesNotSpeak_NamesNobody()
    {
        Last("The industry grew by 6% last year.").ShouldBeNull();
    }

    [Fact]
    public void Speakers_ASpokesmanOfNoBody_SpeaksForTheBodyWhoseSpokesmanSpokeLast()
    {
        Speakers(
            "A spokesman for the Kestrel Agency said its computers were 20 years old.",
            "Lena Moss, who runs the project, said the work would start in May.",
            "The upgrade could also help spot fraud, according to a spokesman.")
            .ShouldBe(["the Kestrel Agency", "Lena Moss", "the Kestrel Agency"]);
    }

    [Fact]
    public void Speakers_ASpokesmanOfNoBody_WithNoSpokesmanBefore_IsUnnamed()
    {
        Speakers(
            "Lena Moss, who runs the Kestrel Agency, said the work would start in May.",
            "A spokeswoman said the shop would open in June.")
            .ShouldBe(["Lena Moss", Attribution.Unnamed]);
    }

    [Fact]
    public void Speakers_PeopleOfATradeOpeningTheSentence_AreUnnamedNotTheFirmWhoseNameEndsInTheTrade()
    {
        Speakers(
            "The claim against the music site was brought by Lark Music and Vale Music.",
            "Music industry bosses said the ruling would help sales.")
            .ShouldBe([null, Attribution.Unnamed]);
    }

    [Fact]
    public void Speakers_PeopleOfABodyTheArticleNames_SpeakForIt()
    {
        Speakers(
            "Harbour Music has cut the price of its songs.",
            "Harbour music chiefs said the cut would help sales.")
            .ShouldBe([null, "Harbour Music"]);
    }

    [Fact]
    public void Speakers_OneMadeToSpeak_IsTheObjectOfTheCause()
    {
        Speakers(
            "Tessa Games had lost two contracts.",
            "The deals were delayed, leading Tessa to warn in May that it was short of cash.",
            "The fall in sales led analysts to predict a loss.")
            .ShouldBe([null, "Tessa Games", Attribution.Unnamed]);
    }

    [Theory]
    [InlineData("The rain forced the club to call off the game.")]
    [InlineData("The storm led people to leave their homes.")]
    public void Speakers_OneMadeToActNotToSpeak_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Fact]
    public void Speakers_AGroupOfTheOneBodyTheArticleCallsSo_IsThatBody_EvenBeforeItIsNamed()
    {
        Speakers(
            "The administrators told the BBC that a sale was the only way to save the shop.",
            "Tessa Games called in administrators Rob Kent & Partners on Friday.",
            "The judges said the ruling was final.")
            .ShouldBe(["Rob Kent & Partners", null, "the judges"]);
    }

    [Theory]
    [InlineData("The UK's film industry body, the Harbour Guild, said the lawsuits would go ahead.", "the Harbour Guild")]
    [InlineData("The chip maker, Norvo, said sales were up.", "Norvo")]
    public void Speakers_ABodyNounWithANameInApposition_NamesTheBody(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_ABodyNounWithAnAsideThatIsNoApposition_IsNotThePlaceInIt()
    {
        Speakers(
            "Norvo, a chip firm, said sales were up.",
            "The firm, based in Leeds since 1999, said it would appeal.")[1]
            .ShouldNotBe("Leeds");
    }

    [Theory]
    [InlineData("The technology is still years away, reckons Tom Reed of Harbour Digest.", "Tom Reed")]
    [InlineData("The phones will be cheaper next year, predicts Ann Pike, an analyst at Norvo.", "Ann Pike")]
    public void Speakers_AViewInvertedAfterItsClause_NamesThePerson(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Sales rose in May, suggesting the campaign worked.")]
    [InlineData("The phone was popular, claims notwithstanding.")]
    public void Speakers_AnInvertedLookAlikeWithNoSpeaker_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("The phone, which Norvo says will cost $300, goes on sale in May.", "Norvo")]
    [InlineData("The chip, which Ann Pike believes is the fastest yet, ships in June.", "Ann Pike")]
    public void Speakers_ARelativeWhoseSubjectReportsAClauseWithNoSubject_NamesThatSubject(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The tax, which Harbour nations have blamed for the slump, will go.")]
    [InlineData("The says were few and the claims were many.")]
    public void Speakers_ARelativeWhoseVerbTakesTheRelativeAsObject_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("The site lets people comment on the news.")]
    [InlineData("The service helps users tell their friends about songs.")]
    public void Speakers_SpeechMadePossibleByLetOrHelp_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Fact]
    public void Speakers_ABareVerbAfterLetThatStartsAQuotedAside_DoesNotHideTheReport()
    {
        Last("Let me say this: the phone is good, Tom Reed said.").ShouldBe("Tom Reed");
    }

    [Theory]
    [InlineData("The toolbar, dubbed Zendo, promises faster searches.")]
    [InlineData("The new chip pledges longer battery life.")]
    public void Speakers_APromiseOfAThing_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("Norvo promised that the phone would ship in May.", "Norvo")]
    [InlineData("Norvo promised to cut prices.", "Norvo")]
    public void Speakers_APromiseOfWordsOrDeeds_NamesTheSpeaker(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_APersonAndTheFirmNamedAfterHim_StayTwo()
    {
        Speakers(
            "\"We are pleased with the sale,\" said Rob Kent of administrators Rob Kent & Partners.",
            "Mr Kent said the talks would go on.",
            "Tessa Games called in Rob Kent & Partners on Friday.",
            "The firm said it would pay the staff.")
            .ShouldBe(["Rob Kent", "Rob Kent", null, "Rob Kent & Partners"]);
    }

    // Round 12: constructions of the first blind BBC politics-and-tech set, studied once it was no longer blind.
    [Fact]
    public void Speakers_AFirmsFirstWordAfterItsProductIsNamed_IsTheFirmNamedFirst()
    {
        Speakers(
            "Norvo Systems has launched a service that rents out computing power.",
            "Norvo Cloud costs $2 an hour on machines run by Norvo.",
            "Some clients want thousands of processors, Norvo said.")
            .ShouldBe([null, null, "Norvo Systems"]);
    }

    [Fact]
    public void Speakers_AFirmsNameBesideItsProductInFull_IsTheFirm()
    {
        Speakers(
            "Brisk Box leads the market for video recorders, with 400,000 users.",
            "Brisk has said it wants a quarter of its customers using Brisk Box by 2010.")
            .ShouldBe([null, "Brisk"]);
    }

    [Fact]
    public void Speakers_AProductNamedAfterItsFirm_IsNoSpeaker()
    {
        Speakers(
            "Brisk Box leads the market for video recorders.",
            "Brisk Box owners pay a monthly fee.")
            .ShouldBe([null, null]);
    }

    [Theory]
    [InlineData("In a statement the Irish Department of Justice said the two men ran the servers.", "the Irish Department of Justice")]
    [InlineData("The UK Ministry of Justice said the rules would change.", "the UK Ministry of Justice")]
    public void Speakers_ABodyWhoseRemitIsATitleWord_KeepsItsWholeName(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_ATitleOfOfficeBeforeABodysName_IsStillATitle()
    {
        Last("Minister of Justice Ann Lee said the rules would change.").ShouldBe("Ann Lee");
    }

    [Theory]
    [InlineData("The Greens are promising to cut rail fares if they win the election.", "the Greens")]
    [InlineData("Norvo is promising that the phone will ship in May.", "Norvo")]
    public void Speakers_APromiseInTheProgressive_NamesTheSpeaker(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The early results from the trial are promising.")]
    [InlineData("Tom Reed made a promising start to the season.")]
    [InlineData("The talks looked promising to the union.")]
    [InlineData("The Greens are promising voters a cheaper railway.")]
    public void Speakers_PromisingAsAnAdjectiveOrAPromiseOfAThing_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("Printers top the year's gadgets, according to a list of gadgets compiled by Gizmo Weekly.", "Gizmo Weekly")]
    [InlineData("Sales fell by 3%, according to a survey carried out by Norvo Research.", "Norvo Research")]
    public void Speakers_AccordingToADocumentMadeBySomeone_NamesItsMaker(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The station was built by hand, according to plan.")]
    [InlineData("The list, compiled by Gizmo Weekly, puts printers first.")]
    public void Speakers_ADocumentMadeBySomeoneWithoutAccordingTo_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("The firm has opened offices in Lagos in response to what the government says is rising demand.", "the government")]
    [InlineData("Prices rose because of what the Treasury says were higher costs.", "the Treasury")]
    public void Speakers_WhatSomeoneSaysIsAfterAPreposition_NamesThatSomeone(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_WhatAFirmSaysIsAfterAPreposition_NamesTheFirmThePronounStandsFor()
    {
        Speakers("Norvo Systems makes chips.", "Its prices rose because of what it says were higher costs.").ShouldBe([null, "Norvo Systems"]);
    }

    [Theory]
    [InlineData("The minister was sacked for what he had said.")]
    [InlineData("The board agreed on what the firm says.")]
    public void Speakers_WhatSomeoneSaidAsAnObject_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Fact]
    public void Speakers_ItAsTheObjectOfAPrepositionBeforeAVerb_IsNoSubject()
    {
        Speakers(
            "The Home Office said the two men ran the hubs.",
            "The club named itself the Circle and membership of it demanded that users share files.")
            .ShouldBe(["the Home Office", null]);
    }

    [Fact]
    public void Speakers_ItAsTheSubjectAfterAnOpeningPhrase_IsStillTheSpeaker()
    {
        Speakers(
            "Norvo Systems makes chips.",
            "In a note to staff it said the plant would close.")
            .ShouldBe([null, "Norvo Systems"]);
    }

    [Theory]
    [InlineData("The firm faces a rival in Zento, which argues that its own service is cheaper.", "Zento")]
    [InlineData("The plan was studied by the Office of Fair Pricing, which warned that costs would rise.", "the Office of Fair Pricing")]
    public void Speakers_ARelativeAfterANameThatFollowsAPreposition_NamesThatName(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The firm faces a rival in Zento, which sells a cheaper service.")]
    [InlineData("The plan was studied in London, which has the busiest airports.")]
    public void Speakers_ARelativeAfterANameWithNoReport_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("Cheap gadgets are slowly changing the role of the high street thinks Mr Tom Reed.", "Tom Reed")]
    [InlineData("The market for phones will double by next year predicts Gizmo Weekly.", "Gizmo Weekly")]
    public void Speakers_AnInvertedReportWithoutItsComma_NamesTheSpeaker(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Fans queued all night for the new album that says Hello.")]
    [InlineData("The firm sells a toy that says Merry Christmas.")]
    [InlineData("The sign on the old shop door says Private.")]
    public void Speakers_AVerbOfSayingBeforeAClosingName_WithoutAReport_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Fact]
    public void Speakers_AComparisonSomeoneDraws_NamesThem()
    {
        Last("Norvo likened renting computer power to buying mains electricity.").ShouldBe("Norvo");
    }

    [Theory]
    [InlineData("The new rules have been likened to a tax on readers.")]
    [InlineData("The likeness between the two phones is striking.")]
    public void Speakers_AComparisonNobodyIsSaidToDraw_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    // Round 13: mechanisms behind the errors of the second blind BBC politics-and-tech set, studied once a third set
    // replaced it; every sentence here is our own.
    [Theory]
    [InlineData("A report by the Hume of Garran Institute says the costs were wrong.", "the Hume of Garran Institute")]
    [InlineData("The Value in Policy Unit says the scheme wastes money.", "the Value in Policy Unit")]
    [InlineData("Professor Ada Kerr of Leeds University said the costs were wrong.", "Ada Kerr")]
    [InlineData("Dr Kerr of Harbour Institute said the costs were wrong.", "Kerr")]
    public void Speakers_ABodysNameWithAPrepositionRunningOnToItsHeadNoun_IsOneName(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_ABodysNameWithAPreposition_IsNoSpeakerWithoutAReport()
    {
        Last("The Friends of Ash Wood Trust held a fair on Sunday.").ShouldBeNull();
    }

    [Theory]
    [InlineData("Minister for Schools, Adult Learning and Skills Sarah Dunn said the new rules would help.")]
    [InlineData("Minister for Schools, Colleges and Families Sarah Dunn said the new rules would help.")]
    public void Speakers_AnOfficeWithAListForItsRemit_NamesThePersonAfterIt(string sentence)
    {
        Speakers(sentence, "Ms Dunn said: \"It is fair.\"").ShouldBe(["Sarah Dunn", "Sarah Dunn"]);
    }

    [Theory]
    [InlineData("Work and Pensions Secretary Alan Pike said the agency would be kept.", "Alan Pike")]
    [InlineData("Secretary of State for Culture, Media and Sport Joe Blake said the plan was sound.", "Joe Blake")]
    [InlineData("The Shadow Secretary of State for the Family, Rita Holm, said the plan was late.", "Rita Holm")]
    public void Speakers_AnOfficeWithARemit_IsStillDroppedFromTheName(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_AHeadlinesOpeningWord_IsNoPartOfANameTheBodyGivesWithoutIt()
    {
        Attribution.Speakers(
            [
                "Mr Lee is at a meeting in Paris, where trade is on the agenda.",
                "Mr Lee has met President Grant more often than any other leader.",
                "Italian President Marco Neri was less warm about the visit.",
                "The Italian president told reporters: \"We want the rules kept.\"",
            ],
            "Stop Grant rumours, Lee tells board")
            .ShouldBe([null, null, null, "Marco Neri"]);
    }

    [Fact]
    public void Speakers_AHeadlinesOpeningName_TheBodyGivesInFull_IsKept()
    {
        Attribution.Speakers(["Tony Rudd said he was tired of the job."], "Tony Rudd quits as chairman").ShouldBe(["Tony Rudd"]);
    }

    [Fact]
    public void Speakers_AnOfficeWithoutItsQualifier_IsNotTheShadowOne()
    {
        Speakers(
            "Shadow home secretary Ann Lowe told MPs the bill was rushed.",
            "Home Secretary Tom Field defended it.",
            "Ms Lowe said the police had not been asked.",
            "The home secretary hit back by saying the police had been consulted.",
            "The shadow home secretary said that was not true.")
            .ShouldBe(["Ann Lowe", null, "Ann Lowe", "Tom Field", "Ann Lowe"]);
    }

    [Theory]
    [InlineData("Italian President Marco Neri answered the critics by saying the vote should wait.", "Marco Neri")]
    [InlineData("Jo Hart hit back by claiming the figures were wrong.", "Jo Hart")]
    public void Speakers_SpeechAsTheMeansOfAnAct_NamesTheSubject(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The board marked the day by opening a new office.")]
    [InlineData("He started by thanking the staff.")]
    public void Speakers_AnActDoneByDoingAnother_NamesNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("\"Discs must get bigger,\" Peter Lang, from Acme's research centre, an early backer of the format, told reporters.", "Peter Lang")]
    [InlineData("Ann Cole, from the Harbour Trust, said the plan was sound.", "Ann Cole")]
    [InlineData("\"Discs must get bigger,\" one of the format's early backers told reporters.", "unnamed")]
    public void Speakers_WhereAPersonIsFrom_IsAnAppositionNotAScene(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_AReportByABodyNamedInLowerCase_SpeaksForItLater()
    {
        Speakers(
            "A report by the Commons transport committee urged ministers to scrap the tolls.",
            "The committee believes drivers have paid twice.",
            "It added that the roads were in poor repair.",
            "The report also urged the department to publish its costs.")
            .ShouldBe(Enumerable.Repeat<string?>("the Commons transport committee", 4).ToArray());
    }

    [Fact]
    public void Speakers_ABodyNamedInLowerCase_WithoutAReport_NamesNobody()
    {
        Last("A park run by the Westshire parks committee opened on Friday.").ShouldBeNull();
    }

    [Theory]
    [InlineData("The summit would focus on water, said Ms Quill.", "Fishing quotas would be discussed as well.")]
    [InlineData("Ms Quill argued the summit had stalled.", "And that would matter to every member.")]
    public void Speakers_ABackShiftedWouldAfterAReportInThePast_GoesOnWithTheReport(string report, string sentence)
    {
        Speakers(report, sentence).ShouldBe(["Quill", "Quill"]);
    }

    [Theory]
    [InlineData("The Greens promise to cut fares.", "The Liberals would freeze them.")]
    [InlineData("Ms Quill said the plan was sound.", "The new bill, which gets a vote on Monday, would allow fines.")]
    [InlineData("Mr Dale argued the rules were unfair.", "If passed, the law would cost millions.")]
    [InlineData("Mr Dale said the talks had failed.", "The families had hoped the deal would hold.")]
    public void Speakers_AWouldThatIsNotTheReportGoingOn_NamesNobody(string report, string sentence)
    {
        Last(report, sentence).ShouldBeNull();
    }

    [Fact]
    public void Speakers_AFirmNamedAloneBeforeItsRegionalArm_StaysTheFirm()
    {
        Speakers(
            "Games maker Tavio is launching a handheld console this spring.",
            "\"It is our best machine,\" said Lee Marr, Tavio Europe's sales chief.",
            "Tavio is confident it will keep its lead.")
            .ShouldBe([null, "Lee Marr", "Tavio"]);
    }

    [Fact]
    public void Speakers_AFirmsFirstWordAfterItsFullName_IsStillTheFirm()
    {
        Speakers(
            "Tavio Systems has opened a new plant.",
            "Tavio said it would hire 300 staff.")
            .ShouldBe([null, "Tavio Systems"]);
    }

    [Theory]
    [InlineData("The console sold out within days and Tavio says more stock is coming.", "Tavio")]
    [InlineData("Prices rose and Kestrel Bank says more rises will follow.", "Kestrel Bank")]
    [InlineData("Ann Hale and Tom Marr said the deal was fair.", "Ann Hale; Tom Marr")]
    public void Speakers_ANameAfterAndOpeningAClause_IsTheSpeaker(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Labour spokesman Ed Dunn meanwhile said the waste had \"ballooned\".", "Ed Dunn")]
    [InlineData("Ed Dunn likewise said the rules were fine.", "Ed Dunn")]
    public void Speakers_ADiscourseAdverbBetweenSubjectAndVerb_KeepsTheSubject(string sentence, string speaker)
    {
        Speakers("Tory spokesman Jim Bell said the plan was weak.", sentence).ShouldBe(["Jim Bell", speaker]);
    }

    [Fact]
    public void Speakers_ADocumentCarriedOutBySomeone_SpeaksForThem()
    {
        Speakers(
            "The study, carried out by rail engineer Ann Pell, says the bridges need repair.",
            "She reckons the work would take five years.",
            "A report drawn up by the Westshire Trust says the roads need lights.")
            .ShouldBe(["Ann Pell", "Ann Pell", "the Westshire Trust"]);
    }

    [Fact]
    public void Speakers_WorkCarriedOutBySomeone_ReportsNothing()
    {
        Last("The work was carried out by the council.").ShouldBeNull();
    }

    [Theory]
    [InlineData("Officials may yet sell the depot, Transport Secretary Tom Field has warned.", "Tom Field")]
    [InlineData("The unions said the plan was unfair, and the firm disagreed.", "the unions")]
    [InlineData("Critics said the cuts would hurt the poorest, reports suggest.", "unnamed")]
    public void Speakers_ANamedReportClosingTheSentence_HoldsTheReportInsideIt(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    // Round 14: mechanisms behind the errors of the third blind BBC politics-and-tech set, studied once a fourth set
    // replaced it; every sentence here is our own.
    [Fact]
    public void Speakers_ADocumentAfterAnInvertedVerb_IsTheSubject()
    {
        Speakers(
            "Farm incomes will halve by 2010, says a report.",
            "The study was written by the Rural Fairness Trust.",
            "Web tracker Zenta Research said grain prices had doubled.",
            "Drought is the main cause, said the report from Zenta Research.")
            .ShouldBe(["Zenta Research", null, "Zenta Research", "Zenta Research"]);
    }

    [Theory]
    [InlineData("The roads are safe, said the council.", "the council")]
    [InlineData("The report was late, and the survey was lost.", null)]
    [InlineData("Sales fell in the spring, the report showed nothing new.", null)]
    public void Speakers_ADocumentNounWithoutAnInvertedReport_NamesNobodyNew(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_ABodyThatSpeaksInADocument_IsItsAuthor()
    {
        Speakers(
            "Hunger will spread across the region, Acme Aid says in a report, The Long Wait.",
            "The charity's director, Mara Quint, said: \"We cannot wait.\"",
            "The report said the crisis was avoidable.",
            "But ten years later no donor had kept its promise, the report says.")
            .ShouldBe(["Acme Aid", "Mara Quint", "Acme Aid", "Acme Aid"]);
    }

    [Fact]
    public void Speakers_APersonWhoSpeaksInADocument_IsNotTheAuthorOfAnotherOne()
    {
        Speakers(
            "Tom Hale said in a statement that he would resign.",
            "The report said the board had failed.")
            .ShouldBe(["Tom Hale", "unnamed"]);
    }

    [Fact]
    public void Speakers_APartysSpokesmanNamedBefore_IsThatPerson()
    {
        Speakers(
            "Shadow home secretary Peter Vale told MPs the plan was a mess.",
            "The Tory spokesman also criticised the minister for claiming it was cheap.",
            "\"It will never work,\" he said.",
            "A Labour spokesman said the plan was sound.")
            .ShouldBe(["Peter Vale", "Peter Vale", "Peter Vale", "Labour"]);
    }

    [Fact]
    public void Speakers_ABodyByItsKindOpeningTheArticle_IsTheBodyNamedAsASpeakerAfterIt()
    {
        Speakers(
            "Hospital waits are growing in the north, the region's health watchdog has said.",
            "The Care Standards Board said 4,000 people had waited more than a year.")
            .ShouldBe(["the Care Standards Board", "the Care Standards Board"]);
    }

    [Fact]
    public void Speakers_ABodyByItsKindOpeningTheArticle_StaysItselfWhenOnlyAPersonSpeaksAfter()
    {
        Speakers(
            "Hospital waits are growing in the north, the region's health watchdog has said.",
            "Nurse Ann Pell said the wards were full.")
            .ShouldBe(["the watchdog", "Ann Pell"]);
    }

    [Fact]
    public void Speakers_AReportWithNoAuthorAnywhere_IsTheOpeningBodys()
    {
        Speakers(
            "Councils are wasting money on consultants, the Public Spending Board has said.",
            "Fees rose by a third last year.",
            "The report said: \"Councils must do better.\"")
            .ShouldBe(["the Public Spending Board", null, "the Public Spending Board"]);
    }

    [Fact]
    public void Speakers_AReportWithNoAuthorAnywhere_IsNotAnOpeningPersons()
    {
        Speakers(
            "Councils are wasting money on consultants, Tom Hale has said.",
            "The report said fees rose by a third.")
            .ShouldBe(["Tom Hale", "unnamed"]);
    }

    [Fact]
    public void Speakers_ANameWithASlashBetweenCapitals_IsOneName()
    {
        Speakers(
            "Phone games will earn $40m this year, says a report.",
            "Sales will double by 2009, according to market analysts Kestrel/ZQ.",
            "The market will be worth $300m, said the report.")
            .ShouldBe(["Kestrel/ZQ", "Kestrel/ZQ", "Kestrel/ZQ"]);
    }

    [Fact]
    public void Tokenize_ASlashBetweenLowerCaseWords_SplitsThem()
    {
        SpeechTokens.Tokenize("Each pupil and his/her parents will be told.", false).Tokens.Select(t => t.Text)
            .ShouldContain("his");
    }

    [Theory]
    [InlineData("Jane Orr will say the rail plan has failed.", "Jane Orr")]
    [InlineData("Mr Orr is expected to tell delegates that the plan has failed.", "Orr")]
    [InlineData("The council has closed the depot and is likely to say more jobs will go.", "the council")]
    public void Speakers_SpeechAnnouncedForLater_IsTheSpeakers(string sentence, string speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Jane Orr will announce a new rail plan on Monday.")]
    [InlineData("Mr Orr is expected to publish the plan next week.")]
    [InlineData("Time will tell.")]
    public void Speakers_DeedsAnnouncedForLater_NameNobody(string sentence)
    {
        Last(sentence).ShouldBeNull();
    }

    [Theory]
    [InlineData("The new road has been branded \"a costly mistake\" by the Green Party.", "the Green Party")]
    [InlineData("The hall was painted \"sky blue\" by the Kestrel Trust.", null)]
    [InlineData("The song \"Blue Rain\" was recorded by the Kestrels.", null)]
    public void Speakers_APassiveReportWithItsQuotedWords_NamesTheAgentAfterThem(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Fares rose by 4% last year, as already announced by the Rail Fares Office.", "the Rail Fares Office")]
    [InlineData("Fares rose by 4% last year, as already planned by the Rail Fares Office.", null)]
    public void Speakers_AsAlreadyAnnouncedBy_NamesTheSource(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    // Round 15: mechanisms behind the errors of the third and fourth blind BBC politics-and-tech sets, studied once a
    // fifth set replaced them; every sentence here is our own.
    [Fact]
    public void Speakers_ANameAfterTheOnlyBeforeANoun_KeepsNoTheTheArticleDoesNotGiveIt()
    {
        Speakers(
            "The Quillon reports said that traffic to such sites had doubled.",
            "Quillon is a monitoring firm based in Leeds.")
            .ShouldBe(["Quillon", null]);
    }

    [Fact]
    public void Speakers_ANameAlwaysWrittenWithThe_KeepsIt()
    {
        Speakers(
            "The Harbour Guild said fees would rise.",
            "A spokesman for the Harbour Guild added that boats were welcome.")
            .ShouldBe(["the Harbour Guild", "the Harbour Guild"]);
    }

    [Theory]
    [InlineData("At a rally, Tom Verlaine slightly raised the levy but insisted the port would stay open.", "Tom Verlaine")]
    [InlineData("The Vance family owned the firm and said it would not sell.", null)]
    public void Speakers_AnAdverbBeforeTheFirstOfTwoVerbs_EndsTheSubject(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Nora Pike, for the Greens, attacked the plan, dubbing Mr Verlaine \"the tax magician\".", "Nora Pike")]
    [InlineData("The scheme has been dubbed \"a stealth tax\" by the Greens.", "the Greens")]
    [InlineData("The new plant, dubbed the \"green giant\" by locals, opened in May.", null)]
    [InlineData("The engine was dubbed Falcon.", null)]
    public void Speakers_Dubbing_IsAReportOnlyWithQuotedWords(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Finance chief Tom Verlaine on Monday backed a plan to cap the fees that small firms pay.", "Tom Verlaine")]
    [InlineData("Norway proposed a scheme to cut fares, while Chile acted alone.", "Norway")]
    [InlineData("Ada Moss backed the team in the final.", null)]
    [InlineData("Ada Moss backed into a wall.", null)]
    [InlineData("Ada Moss proposed to her partner on Friday.", null)]
    [InlineData("They want to bring back the law to curb noise.", null)]
    [InlineData("The proposed law would cut fares.", null)]
    public void Speakers_BackingOrProposingAPlanWithItsAim_IsAView(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_HeInsideTheClauseOfANamedSubject_IsThatPerson()
    {
        Speakers(
            "Tom Reddy chairs the Kestrel panel.",
            "Mara Vance wants the grant scrapped - money she says is wasted.",
            "Convicted burglar Jon Pell, 31, got £2,000 in damages after he claimed the cell was damp.",
            "Britain was \"well placed\" to lead the talks, he said.")
            .ShouldBe([null, "Mara Vance", "Jon Pell", "Jon Pell"]);
    }

    [Fact]
    public void Speakers_HeNeverPointsToADocumentsTitle()
    {
        Speakers(
            "The Lyle Report said councils were wasteful.",
            "He also named what he called the five \"worst schemes\".")[^1].ShouldBeNull();
    }

    [Fact]
    public void Speakers_WouldGoingOnAfterAWouldGoingOn_IsTheSameReport()
    {
        Speakers(
            "Every village would get a new sports hall, the party has said.",
            "The HallsForAll plan would cost £40m a year.",
            "The halls would be built by local firms.",
            "Many villages have long asked for one.",
            "The halls would come too late, some fear.")
            .Skip(1).Take(2).ShouldBe(["the party", "the party"]);
    }

    [Fact]
    public void Speakers_ABodysNameBeforeAHeadNoun_StopsAtAVerb()
    {
        Speakers(
            "But the Greens say government targets are too slow.",
            "Only half of homes are insulated, and the government was hoping that would change.")
            .ShouldBe(["the Greens", "the government"]);
    }

    [Theory]
    [InlineData("Sales of tea rose by 5% in May, the study found.", "unnamed")]
    [InlineData("In the end, nothing was found.", null)]
    [InlineData("That is what the police found.", null)]
    [InlineData("After a long search, the keys the police found.", null)]
    [InlineData("Tea sales fell in May, figures show.", null)]
    public void Speakers_AReportingVerbClosingTheSentenceAfterAShortSubject_IsATag(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_TheStatementOfABodyThatSpokeInOne_IsThatBodys()
    {
        Speakers(
            "In a statement the Harbour Trust said the plan left it \"deeply worried\".",
            "\"We urge the council to think again.\"",
            "\"Boats would be put at risk,\" said the statement.")
            .ShouldBe(["the Harbour Trust", "the Harbour Trust", "the Harbour Trust"]);
        Speakers(
            "In a speech Tom Reddy said the plan was unfair.",
            "\"Boats would be put at risk,\" said the statement.")
            .ShouldBe(["Tom Reddy", "unnamed"]);
    }

    [Theory]
    [InlineData("These numbers echo earlier work by analyst firm Bravemark which suggested that 40% of users had switched.", "Bravemark")]
    [InlineData("These numbers echo last year's data.", null)]
    public void Speakers_FiguresEchoingResearch_AreNoReport(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_AShadowHolder_IsNotTheHolder()
    {
        Speakers(
            "Finance Minister Tom Reddy raised taxes on Monday.",
            "The finance minister said the cut would help.",
            "But Ann Pike, for the Greens, attacked the plan, dubbing Mr Reddy \"the tax magician\".",
            "The shadow finance minister said the plan had \"failed\".",
            "The finance minister said he would not change course.")
            .ShouldBe([null, "Tom Reddy", "Ann Pike", "Ann Pike", "Tom Reddy"]);
    }

    [Fact]
    public void Speakers_ItAfterASentenceOpeningWithAFirm_IsThatFirm()
    {
        Speakers(
            "A lawyer in the UK said Kestrel might be worried.",
            "Kestrel has struggled with dearer fuel this year.",
            "It has said it must shed 600 posts.",
            "Analysts had warned that the airline might fail.",
            "A week ago it agreed pay cuts with its crews.",
            "The airline also said a bank had lent it £40m.")
            .ShouldBe(["unnamed", null, "Kestrel", "unnamed", null, "Kestrel"]);
    }

    [Theory]
    [InlineData("He also pledged a further £5m for the coastguard.", null)]
    [InlineData("He also pledged to hire 500 more coastguards.", "Tom Reddy")]
    public void Speakers_APledgeOfAThing_IsNoReport(string sentence, string? speaker)
    {
        Speakers("Tom Reddy spoke in Hull.", sentence)[^1].ShouldBe(speaker);
    }

    // Round 16: false attributions and two other classes behind the errors of the third, fourth and fifth blind BBC
    // politics-and-tech sets, studied once a sixth set replaced them; every sentence here is our own.
    [Theory]
    [InlineData("Forecasts predict that ferry traffic will double by 2030.", null)]
    [InlineData("Surveys also show that fewer people now post letters.", null)]
    [InlineData("Ferry fares rose by 6% last year, the figures suggest.", null)]
    [InlineData("Ferry fares rose by 6% last year, according to official statistics.", "unnamed")]
    [InlineData("Ferry fares rose by 6% last year, according to reports.", "unnamed")]
    [InlineData("Ferry fares rose by 6% last year, the report found.", "Harbour Watch")]
    [InlineData("Its figures suggest that fares rose by 6%.", "Harbour Watch")]
    public void Speakers_PluralEvidenceWithNoAuthor_IsNobodysWords(string sentence, string? speaker)
    {
        Speakers("Harbour Watch said ferries were late.", "The group published a report on Monday.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Customer comments and ratings were a big draw for the site.", null)]
    [InlineData("Pell comments that the ratings were rigged.", "Ada Pell")]
    public void Speakers_AVerbFormJoinedToAPluralNoun_IsANoun(string sentence, string? speaker)
    {
        Speakers("Ada Pell said buyers were wary.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("She underlined Green Party plans to scrap parking fees.", null)]
    [InlineData("She also highlighted plans for a new ferry terminal.", null)]
    [InlineData("The council has announced proposals to shut 12 libraries.", null)]
    [InlineData("She announced that the plans would be dropped.", "Ada Pell")]
    [InlineData("She also highlighted the cost of the ferry as a worry.", "Ada Pell")]
    public void Speakers_APlanAsTheObject_IsADeedNotWords(string sentence, string? speaker)
    {
        Speakers("Ada Pell said buyers were wary.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("He also spoke by video link to the mayor of Hull and the head of the port.", null)]
    [InlineData("He spoke to reporters about the closure of the yard.", "Tom Reddy")]
    [InlineData("Speaking to the BBC, he said the yard would stay open.", "Tom Reddy")]
    public void Speakers_SpeakingToSomeoneWithNothingSaid_IsNoReport(string sentence, string? speaker)
    {
        Speakers("Tom Reddy said the yard was safe.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Debt will end the year at £9bn, £1bn more than Mr Reddy predicted in the spring.", null)]
    [InlineData("Mr Reddy said growth was faster than he predicted last year.", "Tom Reddy")]
    public void Speakers_AFigureComparedWithWhatSomeoneSaid_IsNoReport(string sentence, string? speaker)
    {
        Speakers("Tom Reddy said the yard was safe.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("\"She has misled buyers for years,\" AP quoted prosecutor Ada Pell as saying.", "Ada Pell")]
    [InlineData("The Courier quoted Ms Nora Vance as saying the deal was off.", "Nora Vance")]
    [InlineData("The Courier quoted a spokesman as saying the plant was safe.", "unnamed")]
    [InlineData("The film quoted lines from the play.", null)]
    public void Speakers_QuotedAsSaying_IsTheOneQuoted(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_ANewNounWithWouldAfterAReportOfWhatIs_IsTheArticlesOwnAccount()
    {
        Speakers(
            "Green frontbencher Ada Pell said Britain needed fewer councils.",
            "The plans would merge county and district councils.",
            "Their staff would move to the new bodies.")
            .ShouldBe(["Ada Pell", null, null]);
    }

    [Fact]
    public void Speakers_WouldAfterAReportOfWhatWouldBe_GoesOnWithTheReport()
    {
        Speakers(
            "Ada Pell said the new councils would save £40m a year.",
            "The savings would go to schools.",
            "Ada Pell said Britain needed fewer councils.",
            "And that would be central to the party's campaign.")
            .ShouldBe(["Ada Pell", "Ada Pell", "Ada Pell", "Ada Pell"]);
    }

    [Theory]
    [InlineData("Mr Reddy said the toll would stay but the Greens say it is unfair.", "Tom Reddy; the Greens")]
    [InlineData("Harbour Watch called the toll \"fair\" but the Greens said it hit families.", "Harbour Watch; the Greens")]
    [InlineData("Mr Reddy said the toll was fair but unpopular.", "Tom Reddy")]
    public void Speakers_ASecondReportAfterBut_AddsItsSpeaker(string sentence, string? speaker)
    {
        Speakers("Tom Reddy spoke in Hull.", "The Greens met in Leeds.", sentence)[^1].ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_InitialsWrittenAsAWordInBrackets_AreTheFullName()
    {
        Speakers(
            "Fares rose, according to the Harbour Ferry Operators Association (Hfoa).",
            "Hfoa noted that fares on short crossings rose by 3%.")
            .ShouldBe(["the Harbour Ferry Operators Association", "the Harbour Ferry Operators Association"]);
    }

    [Fact]
    public void Speakers_SheAfterATitledSubjectBehindAnOpeningClause_IsThatSubject()
    {
        Speakers(
            "Tory MP Tom Bell said the bill was flawed.",
            "On Sunday, Green leader Ann Pike visited a school in Leeds.",
            "She told local radio that the minister still had \"time to think\".")
            .ShouldBe(["Tom Bell", null, "Ann Pike"]);
    }

    [Theory]
    [InlineData("Ann Pike is expected to call for the ban to be enforced better at a meeting on Sunday.", "Ann Pike")]
    [InlineData("Ann Pike will call on ministers to act.", "Ann Pike")]
    [InlineData("Fans will call the team tonight.", null)]
    public void Speakers_ACallAnnouncedForLater_IsTheSpeakers(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("On Sunday, Green leader Ann Pike repeated her call for a \"rethink\" of the toll.", "Ann Pike")]
    [InlineData("Tom Bell renewed his calls for an inquiry.", "Tom Bell")]
    [InlineData("Tom Bell took her call for a chat.", null)]
    public void Speakers_ACallMadeAgain_IsTheSubjects(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("But the toll has been criticised by local groups and the Green Party.", "unnamed; the Green Party")]
    [InlineData("The toll was praised by Marks and Spencer.", "Marks and Spencer")]
    [InlineData("The toll was praised by the Green Party.", "the Green Party")]
    public void Speakers_PeopleAndANameAfterBy_AreTwoAgents(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_CouldAfterAReportOfWhatWouldBe_GoesOnWithTheReport()
    {
        Speakers(
            "Home Secretary Tom Field said councils would be able to shut noisy bars.",
            "And councils could refuse a licence if the bar had broken the rules.",
            "The harbour opened in 1890.",
            "Ships could dock there at any tide.")
            .ShouldBe(["Tom Field", "Tom Field", null, null]);
    }

    [Theory]
    [InlineData("Dr Hale, head of the transport policy think tank, read the papers on the toll.", null)]
    [InlineData("The ministers think the plan is sound.", "unnamed")]
    [InlineData("But the organisers of the play say it raises awareness.", "unnamed")]
    public void Speakers_AVerbFormInsideACompoundNoun_IsNoVerb(string sentence, string? speaker)
    {
        Speakers("Dr Tom Hale said: \"The evidence is weak.\"", sentence)[^1].ShouldBe(speaker);
    }

    // Round 17: false attributions and the classes left by round 16, from the errors of the fourth, fifth and sixth blind
    // BBC politics-and-tech sets, studied once a seventh set replaced them; every sentence here is our own.
    [Theory]
    [InlineData("Rhian Colley of the tenants' group said the new rules were \"unfair\".", "Rhian Colley")]
    [InlineData("Welsh Water said bills would rise by 4%.", "Welsh Water")]
    [InlineData("Russian Dmitry Orlov said the talks had stalled.", "Dmitry Orlov")]
    public void Speakers_ANationalityBeforeASingleWord_IsTheNamesOwnFirstWord(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_AFirstNameLikeANationality_IsKeptLaterToo()
    {
        Speakers("Rhian Colley of the tenants' group said the rules were \"unfair\".", "\"We will fight on,\" Ms Colley said.")
            .ShouldBe(["Rhian Colley", "Rhian Colley"]);
    }

    [Theory]
    [InlineData("Whatever the panel decides there will be an appeal, so we expect a long wait.", null)]
    [InlineData("We want the councils on our side but I think voters care about bus fares.", null)]
    [InlineData("\"We expect a close vote,\" said Tom Pike.", "Tom Pike")]
    [InlineData("They say the vote will be close.", "the Ferry Users Group")]
    public void Speakers_FirstPersonOutsideQuotes_IsNobodyNamed(string sentence, string? speaker)
    {
        Speakers("The Ferry Users Group said fares were too high.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Ms Vane is plainly hoping for a bigger win this time.", null)]
    [InlineData("Mr Dorrit fears for his seat.", null)]
    [InlineData("Ms Vane hopes the vote will pass.", "Ann Vane")]
    [InlineData("Mr Dorrit fears the vote will fail.", "Tom Dorrit")]
    public void Speakers_AHopeOrFearForAThing_IsNoReport(string sentence, string? speaker)
    {
        Speakers("Ann Vane and Tom Dorrit are standing in the seat.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The council has delayed the release of her full report into the crash.", null)]
    [InlineData("The council has published Ann Reed's latest report on the crash.", null)]
    [InlineData("Their members report that the crash was avoidable.", "unnamed")]
    [InlineData("The council said her report was flawed.", "the council")]
    public void Speakers_AVerbFormOwnedByAPossessive_IsANoun(string sentence, string? speaker)
    {
        Speakers("Ann Reed led the inquiry.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The film was blamed by the parents of Sam Tully, who was hurt copying a stunt.", "unnamed")]
    [InlineData("The scheme was criticised by friends of the late Ben Ash.", "unnamed")]
    [InlineData("The scheme was criticised by Ben Ash.", "Ben Ash")]
    [InlineData("The scheme was criticised by the head of the Ferry Users Group.", "the Ferry Users Group")]
    public void Speakers_KinOfSomeoneNamedAfterBy_AreUnnamed(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Latest figures suggest the port has handled 5,000 ships.", null)]
    [InlineData("Harbour Watch figures suggest the port has handled 5,000 ships.", "Harbour Watch")]
    public void Speakers_ASuperlativeOpeningTheSentence_IsNoAuthor(string sentence, string? speaker)
    {
        Speakers("The port opened in 1890.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("He announced scrapping the toll.", null)]
    [InlineData("He announced that the toll would go.", "Tom Reddy")]
    public void Speakers_ADeedNamedByItsGerund_IsNoReport(string sentence, string? speaker)
    {
        Speakers("Tom Reddy runs the port.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Fares rose by 6%, according to figures collected by the Ferry Users in Wales Group which speaks for passengers.", "the Ferry Users in Wales Group")]
    [InlineData("The Ferry Users in Wales Group said fares rose by 6%.", "the Ferry Users in Wales Group")]
    [InlineData("Tom Pike in Cardiff said fares rose by 6%.", "Tom Pike")]
    public void Speakers_ANameRunningOnAfterInToAGroup_IsOneName(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Both the mayor and council leader Tom Reddy said the bridge was safe.", "Ann Pike; Tom Reddy")]
    [InlineData("Both the mayor and Mr Reddy have said the bridge is safe.", "Ann Pike; Tom Reddy")]
    [InlineData("The toll went up to £5 and Mr Reddy says it will rise again.", "Tom Reddy")]
    [InlineData("Both bridges are safe, Mr Reddy said.", "Tom Reddy")]
    public void Speakers_BothXAndY_AreTwoSpeakers(string sentence, string? speaker)
    {
        Speakers("Mayor Ann Pike and council leader Tom Reddy opened the bridge.", sentence)[^1].ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_AKindOfBodyAfterANameGivenBare_IsThatName()
    {
        Speakers(
            "Print World magazine tested 50 printers last month.",
            "According to Print World, ink costs more than ever.",
            "Cheap cartridges could leave pictures pale within a year, warned the magazine.")
            .ShouldBe([null, "Print World", "Print World"]);
    }

    [Fact]
    public void Speakers_AGovernmentAfterACountry_KeepsItsHeadNoun()
    {
        Speakers(
            "The US government said the ink was safe.",
            "US firms sell most of it.",
            "The government said it would look again.")
            .ShouldBe(["the US government", null, "the US government"]);
    }

    [Theory]
    [InlineData("She is concerned too many drivers are ignoring the limit.", "Ann Pike")]
    [InlineData("Ms Pike is not convinced the toll will work.", "Ann Pike")]
    [InlineData("Ms Pike is worried about the cost.", null)]
    [InlineData("Ms Pike was very upbeat about how many tickets it had sold.", null)]
    [InlineData("And it was virtually certain the toll would stay.", null)]
    public void Speakers_AStanceWithAClauseOfItsOwn_IsAView(string sentence, string? speaker)
    {
        Speakers("Ann Pike runs the ferry company.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Chatshow host Tom Pike has attacked EU rules on fishing saying the quotas hurt crews.", "Tom Pike")]
    [InlineData("Chatshow host Tom Pike has attacked the rules saying the quotas hurt crews.", "Tom Pike")]
    [InlineData("The council sent out notes saying the fares would rise.", null)]
    public void Speakers_APastVerbWithABareObjectThenSaying_IsTheSubjects(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("He will not predict a win, although there are those who believe the tide is turning.", "unnamed")]
    [InlineData("There are many who think the toll will fail.", "unnamed")]
    [InlineData("Those who use the ferry pay more.", null)]
    public void Speakers_ThoseWhoBelieve_AreUnnamed(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Economists calculated that the port adds £2bn a year to the region.", "unnamed")]
    [InlineData("The firm calculated the cost of the toll.", null)]
    public void Speakers_ACalculationWithAClause_IsAFinding(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    // Round 18: false attributions first, then the largest classes of misses, from the errors of the fifth, sixth and
    // seventh blind BBC politics-and-tech sets, studied once an eighth set replaced them; every sentence here is our own.
    [Theory]
    [InlineData("The Greens have promised a number but will not say which fares will rise.", null)]
    [InlineData("Mr Dorrit promised lower fares.", null)]
    [InlineData("The Greens have promised the ferry would stay open.", "the Greens")]
    [InlineData("Mr Dorrit promised voters that the ferry would stay open.", "Tom Dorrit")]
    [InlineData("Mr Dorrit pledged to keep the ferry open.", "Tom Dorrit")]
    public void Speakers_APromiseOfAThing_IsNoReport(string sentence, string? speaker)
    {
        Speakers("Tom Dorrit is fighting the seat for the Greens.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Ann Pike is stressing the calmer approach of her group.", null)]
    [InlineData("Ann Pike stressed the importance of the ferry to the island.", "Ann Pike")]
    [InlineData("Ann Pike stressed the ferry would stay open.", "Ann Pike")]
    [InlineData("Ann Pike stressed that the ferry would stay open.", "Ann Pike")]
    public void Speakers_StressOnAThing_IsNoReport(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Ann Pike is much too wary to make any big claims on the vote.", null)]
    [InlineData("Ann Pike was too busy to comment.", null)]
    [InlineData("Ann Pike said she was too busy to stand.", "Ann Pike")]
    public void Speakers_TooSomethingToSpeak_IsNoReport(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Worry over the toll has sparked calls for a cap.", null)]
    [InlineData("The row prompted claims of bias from the opposition.", null)]
    [InlineData("The man accused says he was at home.", "unnamed")]
    public void Speakers_APluralAfterAPastVerb_IsItsObject(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The Ferry Users Group quietly announced that fares would rise.", "the Ferry Users Group")]
    [InlineData("Mr Reddy proudly told reporters the bridge was safe.", "Reddy")]
    [InlineData("Ann Pike formally denied that she was standing down.", "Ann Pike")]
    public void Speakers_AnAdverbInLyAfterTheSubject_IsNoPartOfIt(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The Greens struck back with their leader Ann Pike accusing Mr Reddy of hiding the cost.", "Ann Pike")]
    [InlineData("Ms Pike was in good spirits, declaring the tolls were doomed.", "Ann Pike")]
    [InlineData("The Greens are demanding that Mr Reddy publish the figures.", "the Greens")]
    [InlineData("Others are questioning whether the bridge is needed.", "unnamed")]
    public void Speakers_TheIngFormOfAVerbOfSpeech_Reports(string sentence, string? speaker)
    {
        Speakers("Ann Pike leads the Greens against Tom Reddy.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Ann Pike noted the rise was steep.", "Ann Pike")]
    [InlineData("Ann Pike conceded this was ambitious.", "Ann Pike")]
    [InlineData("Ann Pike noted the rise in fares.", null)]
    [InlineData("Ann Pike declared the bridge open.", null)]
    public void Speakers_ANounPhraseWithAVerbOfItsOwn_IsAClause(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_HisSpokesman_SpeaksForHim()
    {
        Speakers("Tom Reddy, the ferry owner, has cut his gifts to the party.", "His spokesman said the gifts had ended for good.")
            .ShouldBe([null, "Tom Reddy"]);
    }

    [Fact]
    public void Speakers_ASpokespersonOfNoNamedBody_SpeaksForTheBodyThatOpenedASentenceJustBefore()
    {
        Speakers("The Harbour Trust declined to discuss the case.", "A spokeswoman said: \"We do not discuss staff.\"")
            .ShouldBe([null, "the Harbour Trust"]);
        Speakers("The Ferry Users Group says fares are too high.", "But a spokesman said it could do nothing.")
            .ShouldBe(["the Ferry Users Group", "the Ferry Users Group"]);
        Speakers("Ann Pike runs the ferry.", "A spokeswoman said the timetable would change.")
            .ShouldBe([null, "unnamed"]);
    }

    [Fact]
    public void Speakers_APartysNameClosingALongerName_IsNoPerson()
    {
        Speakers("Tom Reddy opened the office.", "New Labour has lost the seat.", "\"We will be back,\" he said.")
            .ShouldBe([null, null, "Tom Reddy"]);
    }

    [Theory]
    [InlineData("Acme is thought to be planning a tablet.", null)]
    [InlineData("It is thought that the plant will close.", null)]
    [InlineData("The firm is believed to be near a deal.", null)]
    [InlineData("He is said to be furious.", "unnamed")]
    [InlineData("It is understood that the firm is near a deal.", "unnamed")]
    public void Speakers_ASuppositionInThePassive_IsNobodys(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Labour and the Tories have attacked his plans as unworkable.", "Labour; the Tories")]
    [InlineData("The Harbour Commission and National Union of Students are worried fares will rise.", "the Harbour Commission; National Union of Students")]
    [InlineData("Troops attacked the town at dawn.", null)]
    public void Speakers_TwoBodiesJoinedByAnd_BothSpeak(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Theory]
    [InlineData("The National Union of Students said fares will rise.", "the National Union of Students")]
    [InlineData("Tory MPs said fares will rise.", "unnamed")]
    public void Speakers_PeopleAfterABodysHeadAndOf_AreItsRemit(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_TheCountryFirm_IsTheFirmNamedBefore()
    {
        Speakers("Ann Pike, the chief executive of Vexa, has said the plan is fair.", "The US firm says its prices will fall.")
            .ShouldBe(["Ann Pike", "Vexa"]);
    }

    [Fact]
    public void Speakers_ASeatInAParliament_MayBeTheLeaderNamedBefore()
    {
        Speakers(
            "Former singer Tom Reddy has attacked the rules on ferries saying the new fares hurt islanders.",
            "The Islands First leader said the fares were unfair.",
            "The MEP said his party would scrap the fares.",
            "And he argued the fares cost islanders £2m a year.")
            .ShouldBe(["Tom Reddy", "Tom Reddy", "Tom Reddy", "Tom Reddy"]);
    }

    [Theory]
    [InlineData("She realised the ferry was losing money.", "Ann Pike")]
    [InlineData("She wondered whether the island needed a second boat.", "Ann Pike")]
    [InlineData("She realised her dream of a ferry.", null)]
    public void Speakers_AThoughtWithAClause_IsAView(string sentence, string? speaker)
    {
        Speakers("Ann Pike runs the ferry.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Tom Reddy also attacked the council over parking fees.", "Tom Reddy")]
    [InlineData("The boss also voiced concern about late ferries.", "Tom Reddy")]
    [InlineData("The row sparked Green claims of bias.", null)]
    [InlineData("The screen shows pictures for TV, voice mail and video.", null)]
    public void Speakers_AChargeOrAConcernVoiced_IsTheSubjects(string sentence, string? speaker)
    {
        Speakers("Tom Reddy, the boss of the ferry firm, spoke in Leeds.", sentence)[^1].ShouldBe(speaker);
    }

    [Fact]
    public void Speakers_ARoleAtTheOpening_IsThePersonNamedAfterNotACapitalisedFirstWord()
    {
        Speakers(
            "A senior Green MP has criticised the ferry board's new timetable.",
            "Public transport committee chairman Tom Reddy spoke after a report on the ferries.")
            .ShouldBe(["Tom Reddy", null]);
    }

    [Theory]
    [InlineData("He will go only this far: \"The Greens cannot win this seat.\"", "Tom Reddy")]
    [InlineData("Mr Reddy had a simple answer: \"No.\"", "Tom Reddy")]
    [InlineData("The sign read: \"Closed.\"", null)]
    [InlineData("The question is: \"Should the ferry close?\"", null)]
    public void Speakers_AQuotationAfterAColon_IsThePersonTheClauseIsAbout(string sentence, string? speaker)
    {
        Speakers("Tom Reddy spoke in Leeds.", sentence)[^1].ShouldBe(speaker);
    }

    [Theory]
    [InlineData("Sales are strong and analysts predict that prices will fall.", "unnamed")]
    [InlineData("Fares rose last year and Mr Pike says they will rise again.", "Pike")]
    [InlineData("Sales are strong and prices will fall.", null)]
    public void Speakers_AndAfterAClauseWithItsOwnVerb_OpensTheReport(string sentence, string? speaker)
    {
        Last(sentence).ShouldBe(speaker);
    }
}
