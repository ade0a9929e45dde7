using Digest.Core.Classification;
using Digest.Core.Stories;

namespace Digest.Core.Tests.Stories;

public sealed class EventClustererTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);

    internal static readonly TopicProfile Profile = new()
    {
        Id = "test",
        Name = "test",
        Entities =
        [
            new("Witkoff", ["Steve Witkoff"], 2) { Frame = TopicFrames.Talks },
            new("Umerov", [], 2) { Frame = TopicFrames.Talks },
            new("Dmitriev", [], 2) { Frame = TopicFrames.Talks },
            new("Zelensky", ["Zelenskyy", "Zelenskiy"], 1),
            new("Ukraine", ["Kyiv"], 1),
        ],
        Venues =
        [
            new("Geneva", ["Switzerland"], 1),
            new("Abu Dhabi", ["UAE"], 1),
            new("Miami", ["Florida"], 1),
            new("Moscow", [], 1),
        ],
    };

    private readonly EventFeatureExtractor extractor = new(Profile);
    private readonly EventClusterer clusterer = new();

    [Theory]
    [InlineData("Peace talks resume in Geneva on Monday", "Peace talks resume in Geneva after delays", 3.0 / 7)]
    [InlineData("Talks resume after 3 days of strikes", "Talks resume after 5 days of strikes", 1.0)]
    [InlineData("Talks talks talks", "Talks talks", 1.0)]
    [InlineData("Talks in Geneva", "Flooding closes schools", 0.0)]
    public void Jaccard_ShinglesOfTwoItems_SharedNeighbouringWordsOverAllDistinctOnes(string first, string second, double expected)
    {
        var (a, b) = (Features(1, first), Features(2, second));

        EventClusterer.Jaccard(a.Shingles, b.Shingles).ShouldBe(expected, 1e-12);
        EventClusterer.Jaccard(b.Shingles, a.Shingles).ShouldBe(expected, 1e-12);
    }

    private EventFeatures Features(long id, string title) => extractor.Extract(new StoryDocument(id, $"key-{id}", title, "", "Outlet", T0));

    [Fact]
    public void Cluster_SameMeetingFromSeveralOutlets_IsOneStory()
    {
        var partition = Cluster(
            (1, 0, "Negotiators from Kyiv and Washington open a new round of talks in Geneva"),
            (2, 2, "Ukrainian and American delegations sit down in Geneva for talks on the peace plan"),
            (3, 5, "Geneva talks: US and Ukraine report progress on the peace framework"),
            (4, 3, "Flooding closes schools across the north of the country"));

        StoryOf(partition, 1).ShouldBe(StoryOf(partition, 2));
        StoryOf(partition, 1).ShouldBe(StoryOf(partition, 3));
        StoryOf(partition, 4).ShouldNotBe(StoryOf(partition, 1));
    }

    [Fact]
    public void Cluster_RoundsAtDifferentVenues_StayApartThoughTheWordsMatch()
    {
        var partition = Cluster(
            (1, 0, "US and Ukrainian negotiators hold peace talks in Geneva"),
            (2, 4, "Peace talks in Geneva end with US and Ukraine upbeat"),
            (3, 20, "US and Russian negotiators hold peace talks in Abu Dhabi"),
            (4, 23, "Peace talks in Abu Dhabi end with the US upbeat"));

        StoryOf(partition, 1).ShouldBe(StoryOf(partition, 2));
        StoryOf(partition, 3).ShouldBe(StoryOf(partition, 4));
        StoryOf(partition, 1).ShouldNotBe(StoryOf(partition, 3));
    }

    [Fact]
    public void Cluster_TheOutcomeOfARound_JoinsItWithoutNamingTheVenue()
    {
        var partition = Cluster(
            (1, 0, "Witkoff and Umerov meet in Miami to work on the peace framework"),
            (2, 3, "US and Ukrainian envoys hold a second day of talks in Miami on the framework"),
            (3, 9, "Umerov says the Miami talks with Witkoff were productive"),
            (4, 20, "Witkoff and Umerov say talks were productive but more work is needed on the framework"));

        partition.Clusters.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Cluster_TalksNewsNamingTheRoundsParticipants_JoinsTheRoundThoughItSharesFewWords(bool talksJoinRounds)
    {
        // The outcome means something else than the meeting's headlines.
        var settings = new EventClusterSettings { TalksJoinRounds = talksJoinRounds };
        var meanings = new Dictionary<long, float[]> { [1] = Unit(1, 0.05f), [2] = Unit(1, 0.1f), [3] = Unit(-0.2f, 1), [4] = Unit(-0.3f, -1) };
        var (partition, reversed) = ClusterWithModel(
            settings,
            meanings,
            (1, 0, "Witkoff and Dmitriev meet in Moscow"),
            (2, 2, "Witkoff arrives in Moscow for a meeting with Dmitriev"),
            (3, 30, "Kremlin signals no breakthrough after five hours of negotiations, Witkoff leaves"),
            (4, 31, "Erdogan offers to host negotiations next month"));

        StoryOf(partition, 1).ShouldBe(StoryOf(partition, 2), Describe(partition));
        (StoryOf(partition, 3) == StoryOf(partition, 1)).ShouldBe(talksJoinRounds, Describe(partition));
        StoryOf(partition, 4).ShouldNotBe(StoryOf(partition, 1), "talks news naming none of the round's participants is not the round's: " + Describe(partition));
        Describe(reversed).ShouldBe(Describe(partition));
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(false, true, false)]
    [InlineData(true, false, false)]
    public void Cluster_HowTalksAtAVenueWent_JoinsTheMeetingOneHeadlinePlacedThere(bool weakRoundsTakeTalks, bool outcomeJoinsRounds, bool joins)
    {
        var settings = new EventClusterSettings { WeakRoundsTakeTalks = weakRoundsTakeTalks, OutcomeJoinsRounds = outcomeJoinsRounds };
        var meanings = new Dictionary<long, float[]> { [1] = Unit(1, 0.05f), [2] = Unit(-0.2f, 1), [3] = Unit(-0.3f, -1) };
        var (partition, reversed) = ClusterWithModel(
            settings,
            meanings,
            (1, 0, "Witkoff sits down with Dmitriev in Abu Dhabi"),
            (2, 20, "Dmitriev reports progress, calls Witkoff's offer workable"),
            (3, 21, "Erdogan reports progress on grain exports"));

        (StoryOf(partition, 2) == StoryOf(partition, 1)).ShouldBe(joins, Describe(partition));
        StoryOf(partition, 3).ShouldNotBe(StoryOf(partition, 1), Describe(partition));
        Describe(reversed).ShouldBe(Describe(partition));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Cluster_APlanStoryReferringToTheRoundsVenueWithinItsSpan_JoinsTheRound(bool referenceJoinsRounds)
    {
        var settings = new EventClusterSettings { ReferenceJoinsRounds = referenceJoinsRounds };
        var meanings = new Dictionary<long, float[]> { [1] = Unit(1, 0.05f), [2] = Unit(1, 0.1f), [3] = Unit(-0.2f, 1), [4] = Unit(-0.3f, -1) };
        var (partition, reversed) = ClusterWithModel(
            settings,
            meanings,
            (1, 0, "Witkoff and Umerov meet in Geneva"),
            (2, 3, "Envoys hold a second day of talks in Geneva"),
            (3, 30, "Peace framework shrinks to 19 points after Geneva talks"),
            (4, 31, "Erdogan unveils a grain framework"));

        StoryOf(partition, 1).ShouldBe(StoryOf(partition, 2), Describe(partition));
        (StoryOf(partition, 3) == StoryOf(partition, 1)).ShouldBe(referenceJoinsRounds, Describe(partition));
        StoryOf(partition, 4).ShouldNotBe(StoryOf(partition, 1), Describe(partition));
        Describe(reversed).ShouldBe(Describe(partition));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Cluster_OneLeakInDifferentWordings_IsOneStoryButAnotherLeakIsNot(bool sameDevelopmentJoins)
    {
        var settings = new EventClusterSettings { SameDevelopmentJoins = sameDevelopmentJoins };
        var meanings = new Dictionary<long, float[]> { [1] = Unit(1, 0.05f), [2] = Unit(-0.2f, 1), [3] = Unit(-0.3f, -1), [4] = Unit(-1, 0.1f), [5] = Unit(-1, 0.12f), [6] = Unit(-1, 0.15f) };
        var (partition, reversed) = ClusterWithModel(
            settings,
            meanings,
            (1, 0, "Leaked recording shows Witkoff coaching Dmitriev"),
            (2, 10, "Transcript of Witkoff call embarrasses Washington"),
            (3, 12, "Leaked memo on grain exports embarrasses Erdogan"),
            (4, 1, "Umerov meets Zelensky in Kyiv on the framework"),
            (5, 5, "Zelensky and Umerov discuss the framework in Kyiv"),
            (6, 8, "Zelensky sees progress on the framework"));

        (StoryOf(partition, 2) == StoryOf(partition, 1)).ShouldBe(sameDevelopmentJoins, Describe(partition));
        StoryOf(partition, 3).ShouldNotBe(StoryOf(partition, 1), "a leak naming no one the first names is another leak: " + Describe(partition));
        Describe(reversed).ShouldBe(Describe(partition));
    }

    [Fact]
    public void Cluster_AStrikeDuringTheTalks_IsAStoryOfItsOwn()
    {
        var partition = Cluster(
            (1, 0, "US and Ukrainian negotiators meet in Geneva on the peace plan"),
            (2, 2, "Talks in Geneva on the peace plan continue into a second day"),
            (3, 3, "Missile strike on Kyiv kills four as negotiators meet in Geneva on the peace plan"));

        StoryOf(partition, 1).ShouldBe(StoryOf(partition, 2));
        StoryOf(partition, 3).ShouldNotBe(StoryOf(partition, 1));
    }

    [Fact]
    public void Cluster_ABystandersRemarkOnTheRound_IsAStoryOfItsOwnWhileANegotiatorsJoinsIt()
    {
        var partition = Cluster(
            (1, 0, "US and Ukrainian negotiators meet in Geneva on the peace plan"),
            (2, 2, "Talks in Geneva on the peace plan continue into a second day"),
            (3, 3, "Trump says Ukraine deal is not his final offer as officials gather in Geneva"),
            (4, 5, "Trump says Zelensky can agree to the deal or fight on"),
            (5, 6, "Negotiators made progress on the peace plan in Geneva, Witkoff says"));

        StoryOf(partition, 1).ShouldBe(StoryOf(partition, 2), Describe(partition));
        StoryOf(partition, 5).ShouldBe(StoryOf(partition, 1), Describe(partition));
        StoryOf(partition, 3).ShouldNotBe(StoryOf(partition, 1), Describe(partition));
        StoryOf(partition, 3).ShouldBe(StoryOf(partition, 4), Describe(partition));
    }

    [Fact]
    public void WindowClusterer_WhenTheEmbedderFails_ClustersOnWordsAndSaysWhy()
    {
        var window = new StoryWindowClusterer(extractor, clusterer, new FailingEmbedder());
        var partition = window.Cluster(
            [Document(1, 0, "US and Ukrainian negotiators hold peace talks in Geneva"), Document(2, 4, "Peace talks in Geneva end with US and Ukraine upbeat")],
            null,
            CancellationToken.None);

        partition.Clusters.Count.ShouldBe(1);
        window.EmbeddingError.ShouldNotBeNull().ShouldContain("no model here");
    }

    [Fact]
    public void WindowClusterer_TheSameHeadlineFromSeveralOutlets_IsEmbeddedOnceAndSharesItsVector()
    {
        var embedder = new CountingEmbedder();
        var window = new StoryWindowClusterer(extractor, clusterer, embedder);
        const string wire = "Envoys meet in Lisbon to discuss the ceasefire draft";
        var first = window.Features([Document(1, 0, wire), Document(2, 1, wire), Document(3, 1, "Harbour strike halts grain exports")], CancellationToken.None);

        embedder.Texts.Count.ShouldBe(2, string.Join(" | ", embedder.Texts));
        first[0].Embedding.ShouldBeSameAs(first[1].Embedding);

        // A later pass: a fourth outlet's copy takes the vector the window already holds; the model sees only the new text.
        var later = window.Features([Document(1, 0, wire), Document(2, 1, wire), Document(3, 1, "Harbour strike halts grain exports"), Document(4, 3, wire), Document(5, 3, "Grain ships wait outside the harbour")], CancellationToken.None);

        embedder.Texts.Count.ShouldBe(3, string.Join(" | ", embedder.Texts));
        later.Single(f => f.Document.ItemId == 4).Embedding.ShouldBeSameAs(first[0].Embedding);
    }

    private sealed class CountingEmbedder : ITextEmbedder
    {
        public List<string> Texts { get; } = [];

        public string Model => "counting";

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Texts.AddRange(texts);
            return [.. texts.Select(t => new float[] { t.Length, 1 })];
        }
    }

    private sealed class FailingEmbedder : ITextEmbedder
    {
        public string Model => "none";

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            throw new FileNotFoundException("no model here");
    }

    [Fact]
    public void Extract_TheLeadingClause_PlacesTheEventAndNamesWhoSpeaks()
    {
        var remark = extractor.Extract(Document(1, 0, "Trump says the offer is not final as officials meet in Geneva"));
        remark.Venues.ShouldBeEmpty();
        remark.VenueMentions.ShouldNotBeEmpty();
        remark.SpeakerCandidates.Select(c => c.Speaker).ShouldContain("trump");

        var senators = extractor.Extract(Document(2, 0, "US senators slam the peace plan as rewarding aggression"));
        senators.SpeakerCandidates.ShouldContain(c => c.Speaker == "lawmakers" && c.Named);

        var negotiator = extractor.Extract(Document(3, 0, "Talks in Geneva were productive, Witkoff says"));
        negotiator.Venues.ShouldNotBeEmpty();
        negotiator.SpeakerCandidates.ShouldContain(c => c.Speaker == "witkoff" && c.TakesPart);
    }

    [Fact]
    public void Cluster_SameDevelopmentDaysApart_IsANewStory()
    {
        var partition = Cluster(
            (1, 0, "Dmitriev flies to Miami for talks with Witkoff"),
            (2, 2, "Dmitriev arrives in Miami for talks with Witkoff"),
            (3, 24 * 6, "Dmitriev flies to Miami for more talks with Witkoff"));

        StoryOf(partition, 1).ShouldBe(StoryOf(partition, 2));
        StoryOf(partition, 3).ShouldNotBe(StoryOf(partition, 1));
    }

    [Fact]
    public void Cluster_RevisedHeadline_IsMarkedAsACopyOfTheFirst()
    {
        var partition = Cluster(
            (1, 0, "Drone attack on Odesa port kills 5, regional governor says"),
            (2, 1, "Drone attack on Odesa port kills 6, regional governor says"));

        partition.Clusters.Count.ShouldBe(1);
        partition.DuplicateOf[2].ShouldBe(1);
    }

    [Fact]
    public void Cluster_ShuffledInput_GivesTheSamePartition()
    {
        var items = new (long, double, string)[]
        {
            (1, 0, "Negotiators from Kyiv and Washington open a new round of talks in Geneva"),
            (2, 2, "Ukrainian and American delegations sit down in Geneva for talks on the peace plan"),
            (3, 2, "Missile strike on Kyiv kills four as negotiators meet in Geneva"),
            (4, 5, "Geneva talks: US and Ukraine report progress on the peace framework"),
            (5, 5, "Zelensky says the revised framework is a basis for a deal"),
            (6, 26, "US and Russian negotiators hold talks in Abu Dhabi"),
            (7, 27, "Abu Dhabi talks between US and Russian officials end without a deal"),
            (8, 27, "Zelenskyy says Ukraine will not give up territory"),
            (9, 40, "Witkoff to travel to Moscow next week, Kremlin says"),
            (10, 41, "Kremlin confirms Witkoff visit to Moscow next week"),
        };
        var expected = Describe(Cluster(items));
        var random = new Random(11);

        for (var round = 0; round < 8; round++)
        {
            var shuffled = items.OrderBy(_ => random.Next()).ToArray();
            Describe(Cluster(shuffled)).ShouldBe(expected);
        }
    }

    [Fact]
    public void Cluster_AfterAnotherWindow_GivesWhatAFreshClustererGives()
    {
        // The first window names people and places the second writes in lower case or not at all: a word table or a
        // name carried from one pass to the next would weigh the second window's words differently.
        var first = new (long, double, string)[]
        {
            (1, 0, "Witkoff and Umerov meet in Miami on the framework"),
            (2, 1, "Dmitriev says Moscow is ready for a Geneva round"),
            (3, 2, "Zelensky thanks Switzerland for hosting the Ukraine talks"),
        };
        var second = new (long, double, string)[]
        {
            (11, 0, "Negotiators open a new round of talks in Geneva"),
            (12, 2, "Delegations sit down in Geneva for talks on the plan"),
            (13, 3, "Miami talks on the framework end without a deal"),
            (14, 5, "Flooding closes schools across the north of the country"),
        };

        Cluster(first);
        var reused = Cluster(second);

        Describe(reused).ShouldBe(Describe(new EventClusterer().Cluster(Features(second))));
        reused.DuplicateOf.ShouldBe(new EventClusterer().Cluster(Features(second)).DuplicateOf);
    }

    [Fact]
    public void Cluster_AnItemPassedTwice_IsClusteredOnceAsIfPassedOnce()
    {
        var once = Features(
            (1, 0, "Negotiators open a new round of talks in Geneva"),
            (2, 2, "Delegations sit down in Geneva for talks on the plan"),
            (3, 5, "Flooding closes schools across the north of the country"));

        var twice = clusterer.Cluster([.. once, once[1]]);

        twice.Clusters.Sum(c => c.ItemIds.Count).ShouldBe(3);
        Describe(twice).ShouldBe(Describe(new EventClusterer().Cluster(once)));
    }

    [Fact]
    public void WindowClusterer_AnItemThatLeftTheWindow_IsForgottenThenWorkedOutAgain()
    {
        var windows = new StoryWindowClusterer(extractor, new EventClusterer());
        var (a, b, c) = (Document(1, 0, "Negotiators open talks in Geneva"), Document(2, 1, "Talks in Geneva go on"), Document(3, 2, "Geneva talks end"));
        var first = windows.Features([a, b], CancellationToken.None).Single(f => f.Document.ItemId == 1);

        windows.Features([b, c], CancellationToken.None);
        var again = windows.Features([a, c], CancellationToken.None).Single(f => f.Document.ItemId == 1);
        var kept = windows.Features([a, c], CancellationToken.None).Single(f => f.Document.ItemId == 1);

        again.ShouldNotBeSameAs(first);
        kept.ShouldBeSameAs(again);
    }

    [Fact]
    public void Prepare_WithTablesEmptiedAfterAnotherWindow_NumbersAndWeighsAsWithNewOnes()
    {
        var first = Features((1, 0, "Witkoff and Umerov meet in Miami on the framework"), (2, 1, "Dmitriev says Moscow is ready for a Geneva round")).ToArray();
        var second = Features((11, 0, "Umerov says the Geneva talks went well"), (12, 2, "Talks in Geneva: the delegations report progress")).ToArray();
        var numbering = new EventClusterer.Numbering();
        EventClusterer.Prepare(first, 48, numbering);
        numbering.Clear();

        var reused = EventClusterer.Prepare(second, 48, numbering);
        var fresh = EventClusterer.Prepare(second, 48);

        for (var i = 0; i < second.Length; i++)
        {
            reused[i].Terms.ShouldBe(fresh[i].Terms);
            reused[i].Weights.ShouldBe(fresh[i].Weights);
            reused[i].WordIds.ShouldBe(fresh[i].WordIds);
            reused[i].NameIds.ShouldBe(fresh[i].NameIds);
            reused[i].Speaker.ShouldBe(fresh[i].Speaker);
        }
    }

    [Fact]
    public void Cluster_PinnedStoriesWithMergesOff_NeverMergeButNewItemsJoinThem()
    {
        var documents = Features(
            (1, 0, "US and Ukrainian negotiators hold peace talks in Geneva"),
            (2, 1, "US and Ukrainian negotiators hold more peace talks in Geneva"),
            (3, 2, "Peace talks in Geneva between US and Ukrainian negotiators go on"));
        var pinned = new Dictionary<long, long> { [1] = 100, [2] = 200 };

        var partition = new EventClusterer(new EventClusterSettings { MergeStories = false }).Cluster(documents, pinned);

        partition.Clusters.Count.ShouldBe(2);
        partition.Clusters.Select(c => c.PinnedStoryId).ShouldBe([100, 200], ignoreOrder: true);
        partition.Clusters.Single(c => c.ItemIds.Contains(3)).PinnedStoryId.ShouldNotBeNull();
    }

    [Fact]
    public void Cluster_ANewItemShowsTwoCommittedStoriesToBeOneRound_TheyMergeUnderTheStoryToldFirst()
    {
        // Two passes put the same Geneva round in two stories; a third item of the round shows they are one.
        var documents = Features(
            (1, 0, "US and Ukrainian negotiators hold peace talks in Geneva"),
            (2, 1, "US and Ukrainian negotiators hold more peace talks in Geneva"),
            (3, 2, "Peace talks in Geneva between US and Ukrainian negotiators go on"),
            (4, 3, "Flooding closes schools across the north of the country"));
        var pinned = new Dictionary<long, long> { [1] = 200, [2] = 100, [4] = 300 };

        var partition = clusterer.Cluster(documents, pinned);
        var shuffled = clusterer.Cluster([documents[3], documents[1], documents[2], documents[0]], pinned);
        var reconciled = StoryReconciler.Reconcile(partition, pinned);

        var round = partition.Clusters.Single(c => c.ItemIds.Contains(1));
        round.ItemIds.ShouldBe([1, 2, 3]);
        round.PinnedStoryId.ShouldBe(200, "the story whose first item came first keeps its id, whatever the ids");
        partition.Clusters.Single(c => c.ItemIds.Contains(4)).PinnedStoryId.ShouldBe(300);
        Describe(shuffled).ShouldBe(Describe(partition));
        var survivor = reconciled.Stories.Single(s => s.StoryId == 200);
        survivor.Absorbed.ShouldBe([100]);
        survivor.Joined.ShouldBe([2, 3]);
    }

    [Fact]
    public void Cluster_CommittedStoriesNoNewItemTouches_StayAsTheyWere()
    {
        var documents = Features(
            (1, 0, "US and Ukrainian negotiators hold peace talks in Geneva"),
            (2, 1, "US and Ukrainian negotiators hold more peace talks in Geneva"),
            (3, 2, "Flooding closes schools across the north of the country"));
        var pinned = new Dictionary<long, long> { [1] = 100, [2] = 200 };

        var partition = clusterer.Cluster(documents, pinned);

        partition.Clusters.Where(c => c.PinnedStoryId is not null).Select(c => c.PinnedStoryId).ShouldBe([100, 200], ignoreOrder: true);
        partition.Clusters.Single(c => c.ItemIds.Contains(3)).PinnedStoryId.ShouldBeNull();
    }

    [Fact]
    public void Cluster_CommittedRoundsAtDifferentVenues_NeverMergeWhateverJoinsThem()
    {
        var documents = Features(
            (1, 0, "US and Ukrainian negotiators hold peace talks in Geneva"),
            (2, 1, "US and Ukrainian negotiators hold peace talks in Abu Dhabi"),
            (3, 2, "US and Ukrainian negotiators hold peace talks"));
        var pinned = new Dictionary<long, long> { [1] = 100, [2] = 200 };

        var partition = clusterer.Cluster(documents, pinned);

        partition.Clusters.Select(c => c.PinnedStoryId).ShouldBe([100, 200], ignoreOrder: true);
    }

    [Fact]
    public void Cluster_ADevelopmentOfItsOwnBesideACommittedRound_StaysItsOwnStory()
    {
        // A strike "before the talks" is a strike story, however many talks headlines come in around it.
        var documents = Features(
            (1, 0, "US and Ukrainian negotiators hold peace talks in Geneva"),
            (2, 1, "Russian missile strike kills 12 in Ternopil before Geneva peace talks"),
            (3, 2, "Peace talks in Geneva between US and Ukrainian negotiators go on"));
        var pinned = new Dictionary<long, long> { [1] = 100, [2] = 200 };

        var partition = clusterer.Cluster(documents, pinned);

        partition.Clusters.Select(c => c.PinnedStoryId).ShouldBe([100, 200], ignoreOrder: true);
        partition.Clusters.Single(c => c.ItemIds.Contains(3)).PinnedStoryId.ShouldBe(100);
    }

    [Fact]
    public void Cluster_WithEmbeddings_MeaningJoinsWhatWordsAlonePartAndOrderStillDoesNotMatter()
    {
        var documents = Features(
            (1, 0, "Kremlin rejects the European counter-proposal"),
            (2, 3, "Moscow turns down Europe's alternative plan"),
            (3, 4, "Heavy snow disrupts flights across the region"));
        var meanings = new Dictionary<long, float[]> { [1] = Unit(1, 0.1f), [2] = Unit(1, 0.12f), [3] = Unit(0, 1) };
        foreach (var d in documents)
        {
            d.Embedding = meanings[d.Document.ItemId];
        }

        var partition = clusterer.Cluster(documents);
        var reversed = clusterer.Cluster([.. documents.AsEnumerable().Reverse()]);

        partition.Clusters.Single(c => c.ItemIds.Contains(1)).ItemIds.ShouldBe([1, 2]);
        Describe(reversed).ShouldBe(Describe(partition));
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public void JoinProfiles_TwoWordingsOfOneDevelopment_JoinAsWholesUnlessOneIsAStrikeOrABystandersRemark(bool strike, bool bystander, bool joins)
    {
        // Each story's two reports mean different sides of one thing, so each report is only half like the other story's,
        // but the two stories, read as wholes, mean the same.
        var documents = Features(
            (1, 0, "Umerov brings the revised framework back to Kyiv"),
            (2, 2, "Umerov returns to Kyiv with the revised framework"),
            (3, 5, strike ? "Missile strike on Kyiv as Umerov returns with the revised framework" : "Revised framework reaches Zelensky after Umerov's trip"),
            (4, 7, bystander ? "Trump says the revised framework reaching Zelensky is a good deal" : "Zelensky receives the revised framework from Umerov"));
        var meanings = new Dictionary<long, float[]> { [1] = Unit(1, 0.8f, 0), [2] = Unit(1, -0.8f, 0), [3] = Unit(1, 0, 0.8f), [4] = Unit(1, 0, -0.8f) };
        foreach (var d in documents)
        {
            d.Embedding = meanings[d.Document.ItemId];
        }

        var model = StoryPairModel.Load(Path.Combine(SharedData.RepositoryRoot(), "config", StoryPairModel.DefaultPath));
        var joining = new EventClusterer(new EventClusterSettings(), model);
        var docs = documents.OrderBy(d => d.Document, StoryDocument.Order).ToArray();
        var prepared = EventClusterer.Prepare(docs, 48);

        var across = new[] { (0, 2), (0, 3), (1, 2), (1, 3) }.Average(p => joining.Similarity(prepared[p.Item1], prepared[p.Item2], docs[p.Item2].Document.Published.Subtract(docs[p.Item1].Document.Published).TotalHours));

        var groups = joining.JoinProfiles([([0, 1], null), ([2, 3], null)], prepared, null);

        across.ShouldBeLessThan(0, "the linkage keeps the two stories apart");
        groups.Count.ShouldBe(joins ? 1 : 2);
    }

    [Theory]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    public void Cluster_TwoCommittedWordingsOfOneDevelopment_JoinAsWholesOnlyWhenAPassTouchesOne(bool newReport, bool storyProfileJoins, bool joins)
    {
        var items = new List<(long Id, double Hours, string Title)>
        {
            (1, 0, "Umerov brings the revised framework back to Kyiv"),
            (2, 2, "Umerov returns to Kyiv with the revised framework"),
            (3, 5, "Revised framework reaches Zelensky after Umerov's trip"),
            (4, 7, "Zelensky receives the revised framework from Umerov"),
        };
        var meanings = new Dictionary<long, float[]> { [1] = Unit(1, 0.8f, 0), [2] = Unit(1, -0.8f, 0), [3] = Unit(1, 0, 0.8f), [4] = Unit(1, 0, -0.8f), [5] = Unit(1, 0.8f, 0) };
        if (newReport)
        {
            items.Add((5, 8, "Umerov is back in Kyiv with the revised framework"));
        }

        var pinned = new Dictionary<long, long> { [1] = 100, [2] = 100, [3] = 200, [4] = 200 };
        var model = StoryPairModel.Load(Path.Combine(SharedData.RepositoryRoot(), "config", StoryPairModel.DefaultPath));
        var documents = Features([.. items]);
        foreach (var d in documents)
        {
            d.Embedding = meanings[d.Document.ItemId];
        }

        var partition = new EventClusterer(new EventClusterSettings { StoryProfileJoins = storyProfileJoins }, model).Cluster(documents, pinned);

        partition.Clusters.Count.ShouldBe(joins ? 1 : 2, Describe(partition));
        partition.Clusters.Single(c => c.ItemIds.Contains(1)).PinnedStoryId.ShouldBe(100, "the story told first survives");
    }

    [Fact]
    public void Cluster_ARoundAbsorbsANewReport_TwoCommittedLeaksNoItemTouches_StayApart()
    {
        var documents = Features(
            (1, 0, "Umerov and Witkoff hold peace talks in Geneva"),
            (2, 1, "Umerov and Witkoff hold more peace talks in Geneva"),
            (3, 2, "Umerov says the talks made progress"),
            (4, 3, "Leaked recording shows an adviser coaching Dmitriev"),
            (5, 4, "Recording leak embarrasses the adviser"),
            (6, 5, "Transcript of Dmitriev call leaked to reporters"),
            (7, 6, "Transcript leak angers the capital"));
        var meanings = new Dictionary<long, float[]> { [1] = Unit(1, 0), [2] = Unit(1, 0.05f), [3] = Unit(0, 1), [4] = Unit(-1, 0.2f), [5] = Unit(-1, 0.25f), [6] = Unit(-1, -0.2f), [7] = Unit(-1, -0.25f) };
        foreach (var d in documents)
        {
            d.Embedding = meanings[d.Document.ItemId];
        }

        var model = StoryPairModel.Load(Path.Combine(SharedData.RepositoryRoot(), "config", StoryPairModel.DefaultPath));
        var pinned = new Dictionary<long, long> { [1] = 100, [2] = 100, [4] = 200, [5] = 200, [6] = 300, [7] = 300 };

        var partition = new EventClusterer(new EventClusterSettings(), model).Cluster(documents, pinned);

        partition.Clusters.Single(c => c.ItemIds.Contains(3)).PinnedStoryId.ShouldBe(100, Describe(partition));
        partition.Clusters.Single(c => c.ItemIds.Contains(6)).PinnedStoryId.ShouldBe(300, "no new item touched either leak: " + Describe(partition));
    }

    private static float[] Unit(float x, float y)
    {
        var norm = MathF.Sqrt((x * x) + (y * y));
        var v = new float[8];
        v[0] = x / norm;
        v[1] = y / norm;
        return v;
    }

    private static float[] Unit(float x, float y, float z)
    {
        var norm = MathF.Sqrt((x * x) + (y * y) + (z * z));
        var v = new float[8];
        (v[0], v[1], v[2]) = (x / norm, y / norm, z / norm);
        return v;
    }

    private StoryPartition Cluster(params (long Id, double Hours, string Title)[] items) => clusterer.Cluster(Features(items));

    /// <summary>
    /// The headlines clustered as the pipeline does, with the shipped same-event model and each headline's meaning (its
    /// embedding, by id), in their order and reversed.
    /// </summary>
    private (StoryPartition Partition, StoryPartition Reversed) ClusterWithModel(
        EventClusterSettings settings, Dictionary<long, float[]> meanings, params (long Id, double Hours, string Title)[] items)
    {
        var model = StoryPairModel.Load(Path.Combine(SharedData.RepositoryRoot(), "config", StoryPairModel.DefaultPath));
        var documents = Features(items);
        foreach (var d in documents)
        {
            d.Embedding = meanings[d.Document.ItemId];
        }

        return (new EventClusterer(settings, model).Cluster(documents), new EventClusterer(settings, model).Cluster([.. documents.AsEnumerable().Reverse()]));
    }

    private List<EventFeatures> Features(params (long Id, double Hours, string Title)[] items) =>
        [.. items.Select(i => extractor.Extract(Document(i.Id, i.Hours, i.Title)))];

    private static StoryDocument Document(long id, double hours, string title) => new(id, $"key-{id}", title, "", null, T0.AddHours(hours));

    private static int StoryOf(StoryPartition partition, long itemId) => partition.ClusterOf()[itemId];

    private static string Describe(StoryPartition partition) =>
        string.Join(" | ", partition.Clusters.Select(c => string.Join(",", c.ItemIds)).Order(StringComparer.Ordinal));
}
