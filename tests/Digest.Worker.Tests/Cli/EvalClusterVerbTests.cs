namespace Digest.Worker.Tests.Cli;

public sealed class EvalClusterVerbTests
{
    private static readonly string[] Week =
    [
        """{"id": 11, "first_seen": "2026-02-09T08:00Z", "outlet": "Wire A", "title": "US and Ukrainian negotiators open talks in Geneva on the peace plan"}""",
        """{"id": 12, "first_seen": "2026-02-09T10:00Z", "outlet": "Paper B", "title": "Ukraine and US sit down in Geneva for a new round of peace talks"}""",
        """{"id": 13, "first_seen": "2026-02-09T11:00Z", "outlet": "Paper C", "title": "Avalanche warning raised across the Alps after heavy snow"}""",
        """{"id": 14, "first_seen": "2026-02-10T18:00Z", "outlet": "Wire A", "title": "Russian envoy Dmitriev arrives in Abu Dhabi for talks with US officials on Ukraine"}""",
        """{"id": 15, "first_seen": "2026-02-10T20:00Z", "outlet": "Paper B", "title": "Dmitriev holds talks with US officials in Abu Dhabi on ending the war in Ukraine"}""",
    ];

    [Fact]
    public async Task EvalCluster_WithLabelsAndOutput_PrintsBCubedAndWritesEveryLine()
    {
        using var cli = new TestSupport.Cli();
        var input = Path.Combine(cli.Directory, "week.jsonl");
        var labels = Path.Combine(cli.Directory, "labels.tsv");
        var output = Path.Combine(cli.Directory, "stories.tsv");
        await File.WriteAllLinesAsync(input, Week, TestContext.Current.CancellationToken);
        await File.WriteAllLinesAsync(labels, ["id\tstory", "11\tgeneva", "12\tgeneva", "13\tsnow", "14\tabu-dhabi", "15\tabu-dhabi"], TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "cluster", "--input", input, "--labels", labels, "--all", "--no-embeddings", "--output", output);

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("5 headlines, 5 clustered (--all) → 3 stories");
        stdout.ShouldContain("precision 1.000, recall 1.000, F1 1.000");
        var lines = await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken);
        lines.Select(l => l.Split('\t')[0]).ShouldBe(["11", "12", "13", "14", "15"]);
        var story = lines.ToDictionary(l => l.Split('\t')[0], l => l.Split('\t')[1]);
        story["11"].ShouldBe(story["12"]);
        story["14"].ShouldBe(story["15"]);
        story["11"].ShouldNotBe(story["14"]);
    }

    [Fact]
    public async Task EvalCluster_ReplaysThePipelinesPasses_UnlessAskedForOneWindow()
    {
        using var cli = new TestSupport.Cli();
        var input = Path.Combine(cli.Directory, "week.jsonl");
        await File.WriteAllLinesAsync(input, Week, TestContext.Current.CancellationToken);

        var passes = await cli.RunAsync("eval", "cluster", "--input", input, "--all", "--no-embeddings", "--show", "0");
        var daily = await cli.RunAsync("eval", "cluster", "--input", input, "--all", "--no-embeddings", "--show", "0", "--pass-hours", "24", "--set", "MergeStories=false");
        var oneWindow = await cli.RunAsync("eval", "cluster", "--input", input, "--all", "--no-embeddings", "--show", "0", "--one-window");
        var bad = await cli.RunAsync("eval", "cluster", "--input", input, "--all", "--pass-hours", "0");

        passes.Out.ShouldContain("→ 3 stories (0 near-copies), same-event model, without embeddings, the pipeline's passes with story merges and splits, one pass per listing");
        daily.Out.ShouldContain("→ 3 stories (0 near-copies), same-event model, without embeddings, the pipeline's passes without story merges, with splits, one pass per 24 h");
        oneWindow.Out.ShouldContain("→ 3 stories (0 near-copies), same-event model, without embeddings, one window");
        bad.Exit.ShouldBe(2);
        bad.Err.ShouldContain("--pass-hours wants a number of hours from 1 to 720");
    }

    [Fact]
    public async Task EvalCluster_Rolling_ScoresEachHeldOutPeriodWithAThresholdChosenBeforeIt()
    {
        using var cli = new TestSupport.Cli();
        var (input, labels) = await WriteRoundsAsync(cli);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "cluster", "--input", input, "--labels", labels, "--all", "--no-embeddings", "--clusterer", "rules", "--rolling", "--show", "0");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("hand-weighted rules, without embeddings");
        stdout.ShouldContain("tune ≤ 03-04, test after");
        stdout.ShouldContain("fold 3/3: 03-06…03-07");
        stdout.ShouldContain("mean over rolling origin: tuned F1 1.000");
        stdout.ShouldContain("mean over held-back folds: tuned F1 1.000");
    }

    [Fact]
    public async Task EvalCluster_RollingWithTheModel_RetrainsItOnTheDaysBeforeEachHeldOutPeriod()
    {
        using var cli = new TestSupport.Cli();
        var (input, labels) = await WriteRoundsAsync(cli);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "cluster", "--input", input, "--labels", labels, "--all", "--no-embeddings", "--rolling", "--show", "0");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("same-event model, without embeddings");
        stdout.ShouldContain("the same-event model trained on the other days' pairs");
        stdout.ShouldContain("tune ≤ 03-04, test after       train   6 test   6  F1 1.000");
        stdout.ShouldContain("mean over rolling origin: F1 1.000");
        stdout.ShouldContain("mean over held-back folds: F1 1.000");
    }

    [Fact]
    public async Task TrainStories_WritesAModelThatEvalClusterReads()
    {
        using var cli = new TestSupport.Cli();
        var (input, labels) = await WriteRoundsAsync(cli);
        var model = Path.Combine(cli.Directory, "pairs.json");

        var (exit, stdout, stderr) = await cli.RunAsync("train", "stories", "--input", input, "--labels", labels, "--output", model);
        var (evalExit, evalOut, evalErr) = await cli.RunAsync("eval", "cluster", "--input", input, "--labels", labels, "--all", "--story-model", model, "--show", "0");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("trained on 12 headlines of 6 stories");
        stdout.ShouldContain("different speakers");
        evalExit.ShouldBe(0, evalErr);
        evalOut.ShouldContain("F1 1.000");
    }

    [Fact]
    public async Task EvalCluster_StoryModelThatIsNotOne_SaysSoAndExits2()
    {
        using var cli = new TestSupport.Cli();
        var input = Path.Combine(cli.Directory, "week.jsonl");
        var model = Path.Combine(cli.Directory, "pairs.json");
        await File.WriteAllLinesAsync(input, Week, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(model, """{"format": "story-pairs/0"}""", TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await cli.RunAsync("eval", "cluster", "--input", input, "--story-model", model);

        exit.ShouldBe(2);
        stderr.ShouldContain("a story pair model for other features");
    }

    private static async Task<(string Input, string Labels)> WriteRoundsAsync(TestSupport.Cli cli)
    {
        var input = Path.Combine(cli.Directory, "rounds.jsonl");
        var labels = Path.Combine(cli.Directory, "labels.tsv");
        string[] venues = ["Geneva", "Abu Dhabi", "Moscow", "Miami", "Berlin", "Istanbul"];
        var lines = new List<string>();
        var stories = new List<string> { "id\tstory" };
        for (var day = 0; day < venues.Length; day++)
        {
            var date = $"2026-03-{day + 2:00}";
            lines.Add($$"""{"id": {{(day * 10) + 1}}, "first_seen": "{{date}}T08:00Z", "outlet": "Wire A", "title": "Negotiators open a round of peace talks in {{venues[day]}}"}""");
            lines.Add($$"""{"id": {{(day * 10) + 2}}, "first_seen": "{{date}}T12:00Z", "outlet": "Paper B", "title": "Peace talks in {{venues[day]}} end with both sides upbeat"}""");
            stories.Add($"{(day * 10) + 1}\t{venues[day]}");
            stories.Add($"{(day * 10) + 2}\t{venues[day]}");
        }

        await File.WriteAllLinesAsync(input, lines, TestContext.Current.CancellationToken);
        await File.WriteAllLinesAsync(labels, stories, TestContext.Current.CancellationToken);
        return (input, labels);
    }

    [Fact]
    public async Task EvalCluster_Incremental_ScoresThePreviousClustererOnTheSameLabelsAndHeldOutDays()
    {
        using var cli = new TestSupport.Cli();
        var input = Path.Combine(cli.Directory, "week.jsonl");
        var labels = Path.Combine(cli.Directory, "labels.tsv");
        var output = Path.Combine(cli.Directory, "stories.tsv");
        await File.WriteAllLinesAsync(input, Week, TestContext.Current.CancellationToken);
        await File.WriteAllLinesAsync(labels, ["id\tstory", "11\tgeneva", "12\tgeneva", "13\tsnow", "14\tabu-dhabi", "15\tabu-dhabi"], TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "cluster", "--input", input, "--labels", labels, "--all", "--clusterer", "incremental", "--rolling", "--output", output);

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("5 headlines, 5 clustered (--all) → ");
        stdout.ShouldContain("incremental clusterer");
        stdout.ShouldContain("B-cubed on 5 labelled headlines");
        stdout.ShouldContain("the incremental clusterer has nothing to tune");
        (await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken)).Length.ShouldBe(5);
    }

    [Fact]
    public async Task EvalCluster_WithoutAll_LeavesTheIrrelevantOutWithADash()
    {
        using var cli = new TestSupport.Cli();
        var input = Path.Combine(cli.Directory, "week.jsonl");
        var output = Path.Combine(cli.Directory, "stories.tsv");
        await File.WriteAllLinesAsync(input, Week, TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "cluster", "--input", input, "--no-embeddings", "--output", output);

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("5 headlines, 4 relevant");
        (await File.ReadAllLinesAsync(output, TestContext.Current.CancellationToken)).ShouldContain("13\t-");
    }

    [Fact]
    public async Task EvalCluster_WithEmbeddings_TheSameDevelopmentInOtherWordsIsOneStory()
    {
        using var cli = new TestSupport.Cli();
        var input = Path.Combine(cli.Directory, "pair.jsonl");
        await File.WriteAllLinesAsync(input,
        [
            """{"id": 1, "first_seen": "2026-02-11T08:00Z", "outlet": "Wire A", "title": "Kremlin rejects Europe's counter-proposal to the US peace plan"}""",
            """{"id": 2, "first_seen": "2026-02-11T09:30Z", "outlet": "Paper B", "title": "Moscow turns down the European alternative to the American peace proposal"}""",
            """{"id": 3, "first_seen": "2026-02-11T10:00Z", "outlet": "Paper C", "title": "Ukraine's parliament passes budget with record defence spending"}""",
        ], TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await cli.RunAsync("eval", "cluster", "--input", input, "--all", "--show", "1");
        var (_, wordsOnly, _) = await cli.RunAsync("eval", "cluster", "--input", input, "--all", "--no-embeddings");

        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("3 clustered (--all) → 2 stories (0 near-copies), same-event model, with all-MiniLM-L6-v2 embeddings");
        wordsOnly.ShouldContain("→ 3 stories");
    }

    [Theory]
    [InlineData("--show", "lots", "--show wants a number")]
    [InlineData("--set", "Nope=1", "--set Nope=1")]
    [InlineData("--bogus", "1", "unknown option --bogus")]
    [InlineData("--clusterer", "kmeans", "--clusterer wants pairs, rules or incremental, not 'kmeans'")]
    public async Task EvalCluster_BadOption_SaysWhatIsWrongAndExits2(string option, string value, string message)
    {
        using var cli = new TestSupport.Cli();
        var input = Path.Combine(cli.Directory, "week.jsonl");
        await File.WriteAllLinesAsync(input, Week, TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await cli.RunAsync("eval", "cluster", "--input", input, option, value);

        exit.ShouldBe(2);
        stderr.ShouldContain(message);
    }

    [Fact]
    public async Task EvalCluster_MissingLabelsFile_NamesIt()
    {
        using var cli = new TestSupport.Cli();
        var input = Path.Combine(cli.Directory, "week.jsonl");
        await File.WriteAllLinesAsync(input, Week, TestContext.Current.CancellationToken);

        var (exit, _, stderr) = await cli.RunAsync("eval", "cluster", "--input", input, "--labels", "nowhere.tsv");

        exit.ShouldBe(2);
        stderr.ShouldContain("--labels: no file at 'nowhere.tsv'");
    }
}
