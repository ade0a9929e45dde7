using Digest.Embeddings;

namespace Digest.Worker.Tests.Hosting;

public sealed class EmbedderMemoryTests
{
    /// <summary>
    /// The sentence model hands the C heap's freed memory back around its load and after every few hundred texts
    /// (what keeps `digest once` under its peak-memory target), and doing so changes no vector.
    /// </summary>
    [Fact]
    public void Embed_ReleasesFreedMemoryAroundTheLoadAndEveryFewHundredTexts_WithTheSameVectors()
    {
        var releases = 0;
        using var releasing = new MiniLmEmbedder(releaseFreedMemory: () => releases++);
        using var plain = new MiniLmEmbedder();
        string[] headlines = ["Envoys meet in Geneva to discuss the peace plan", "Ceasefire talks stall over prisoner exchange", ""];

        releasing.IsLoaded.ShouldBeFalse();
        var first = releasing.Embed(headlines, TestContext.Current.CancellationToken);
        releases.ShouldBe(2); // before and after the load
        releasing.Embed([.. Enumerable.Range(0, MiniLmEmbedder.ReleaseEvery).Select(i => $"Talks resume, day {i}")], TestContext.Current.CancellationToken);
        releases.ShouldBe(3);

        var expected = plain.Embed(headlines, TestContext.Current.CancellationToken);
        for (var i = 0; i < headlines.Length; i++)
        {
            first[i].ShouldBe(expected[i]);
        }
    }

    /// <summary>
    /// The weights read in place from the mapped cache, and the word table read row by row outside the graph, give the
    /// same vectors, to the bit, as the whole model loaded by ONNX Runtime and run without a memory arena (as before):
    /// the same floats feed the same graph.
    /// </summary>
    [Fact]
    public void Embed_WeightsReadInPlace_SameVectorsToTheBit()
    {
        using var mapped = new MiniLmEmbedder();
        using var loaded = new MiniLmEmbedder { MapWeights = false };
        string[] headlines =
        [
            "Envoys meet in Geneva to discuss the peace plan", "Ceasefire talks stall over prisoner exchange", "",
            "Zelensky: „Wir brauchen Garantien“ — talks resume in Abu Dhabi", "US, Ukraine agree on 19-point framework after Miami meeting",
            "Kremlin says Witkoff's visit was 'useful', no breakthrough", string.Join(' ', Enumerable.Repeat("sanctions energy grain corridor", 40)),
        ];

        var expected = loaded.Embed(headlines, TestContext.Current.CancellationToken);
        var actual = mapped.Embed(headlines, TestContext.Current.CancellationToken);

        mapped.WeightsMapped.ShouldBeTrue();
        mapped.WordTableOutside.ShouldBeTrue();
        loaded.WeightsMapped.ShouldBeFalse();
        for (var i = 0; i < headlines.Length; i++)
        {
            actual[i].Select(BitConverter.SingleToInt32Bits).ShouldBe(expected[i].Select(BitConverter.SingleToInt32Bits));
        }
    }

    /// <summary>The default cache is the user's own (<c>~/.cache/digest/models</c>), not the shared temp folder.</summary>
    [Fact]
    public void DefaultCacheDirectory_IsTheUsersOwn()
    {
        var directory = MiniLmEmbedder.DefaultCacheDirectory();
        directory.ShouldNotBe(Path.Combine(Path.GetTempPath(), "digest-models"));
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
        {
            directory.ShouldBe(Path.Combine(xdg, "digest", "models"));
        }
        else if (Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home)
        {
            directory.ShouldBe(Path.Combine(home, ".cache", "digest", "models"));
        }
        else
        {
            directory.ShouldBe(Path.Combine(Path.GetTempPath(), $"digest-models-{Environment.UserName}"));
        }
    }

    /// <summary>
    /// Texts run in batches of about the same length (so a short headline is not padded to its long neighbour's length)
    /// give every text the same vector, to the bit, as texts run in the caller's order: the padding is masked and each
    /// text's products are its own. 40 texts of 1 to 200 words, shuffled, in two runs' worth of batches and more.
    /// </summary>
    [Fact]
    public void Embed_TextsRunInOrderOfLength_SameVectorsToTheBit()
    {
        using var byLength = new MiniLmEmbedder();
        using var inOrder = new MiniLmEmbedder { ByLength = false };
        var texts = MixedTexts();

        var expected = inOrder.Embed(texts, TestContext.Current.CancellationToken);
        var actual = byLength.Embed(texts, TestContext.Current.CancellationToken);

        actual.Count.ShouldBe(texts.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            actual[i].Select(BitConverter.SingleToInt32Bits).ShouldBe(expected[i].Select(BitConverter.SingleToInt32Bits), $"text {i}: {texts[i]}");
        }
    }

    /// <summary>
    /// A text's vector does not depend on the call it came in: each text embedded alone (no padding, a run of one) gets
    /// the vector, to the bit, that it gets among 39 others. A pass embeds each distinct headline once and gives its
    /// copies that vector (<c>StoryWindowClusterer</c>), and relies on this.
    /// </summary>
    [Fact]
    public void Embed_EachTextAlone_SameVectorsToTheBitAsAmongOthers()
    {
        using var model = new MiniLmEmbedder();
        var texts = MixedTexts();

        var together = model.Embed(texts, TestContext.Current.CancellationToken);

        for (var i = 0; i < texts.Length; i++)
        {
            var alone = model.Embed([texts[i]], TestContext.Current.CancellationToken).ShouldHaveSingleItem();
            alone.Select(BitConverter.SingleToInt32Bits).ShouldBe(together[i].Select(BitConverter.SingleToInt32Bits), $"text {i}: {texts[i]}");
        }
    }

    /// <summary>40 texts of 0 to 200 words, some empty, with quotes, digits and non-ASCII letters.</summary>
    private static string[] MixedTexts()
    {
        string[] words = ["envoys", "meet", "in", "Geneva", "ceasefire", "talks", "stall", "over", "prisoner", "exchange", "Zelensky", "„Garantien“", "19-point", "Witkoff's", "'useful'"];
        var random = new Random(7);
        return [.. Enumerable.Range(0, 40)
            .Select(i => i % 13 == 0 ? "" : string.Join(' ', Enumerable.Range(0, i % 9 == 0 ? 200 : random.Next(1, 30)).Select(_ => words[random.Next(words.Length)])))];
    }

    /// <summary>
    /// The model's graph and weights are written once into the cache folder and read from there: a cache damaged since
    /// (a weights file cut short, the word table gone) is written again, and the vectors do not change.
    /// </summary>
    [Fact]
    public void Embed_DamagedModelCache_WrittenAgainWithTheSameVectors()
    {
        var cache = Path.Combine(Path.GetTempPath(), "digest-models-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string[] headlines = ["Envoys meet in Geneva to discuss the peace plan", "Ceasefire talks stall over prisoner exchange"];
            float[][] first;
            using (var embedder = new MiniLmEmbedder(cache))
            {
                first = [.. embedder.Embed(headlines, TestContext.Current.CancellationToken)];
                embedder.WeightsMapped.ShouldBeTrue();
            }

            if (!OperatingSystem.IsWindows())
            {
                // The cache is its owner's alone: nobody else can put a model there.
                File.GetUnixFileMode(cache).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var weights = Directory.GetFiles(cache, "*.weights").ShouldHaveSingleItem();
            var words = Directory.GetFiles(cache, "*.words").ShouldHaveSingleItem();
            var length = new FileInfo(weights).Length;
            using (var file = File.OpenWrite(weights))
            {
                file.SetLength(length / 2);
            }

            File.Delete(words);
            using (var embedder = new MiniLmEmbedder(cache))
            {
                var again = embedder.Embed(headlines, TestContext.Current.CancellationToken);
                for (var i = 0; i < headlines.Length; i++)
                {
                    again[i].Select(BitConverter.SingleToInt32Bits).ShouldBe(first[i].Select(BitConverter.SingleToInt32Bits));
                }
            }

            new FileInfo(weights).Length.ShouldBe(length);
            File.Exists(words).ShouldBeTrue();
            Directory.GetFiles(cache, "*.part").ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    /// <summary>
    /// Two processes starting at once with an empty cache folder (here two embedders on two threads) each write the
    /// cache to files of their own and rename them: both load a whole model and give the same vectors.
    /// </summary>
    [Fact]
    public async Task Embed_TwoFirstLoadsAtOnce_BothWholeWithTheSameVectors()
    {
        var cache = Path.Combine(Path.GetTempPath(), "digest-models-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            string[] headlines = ["Kremlin says Witkoff's visit was 'useful', no breakthrough", "Talks resume in Abu Dhabi"];
            using var one = new MiniLmEmbedder(cache);
            using var two = new MiniLmEmbedder(cache);
            using var start = new Barrier(2);
            var results = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(TestContext.Current.CancellationToken); return one.Embed(headlines, TestContext.Current.CancellationToken); }, TestContext.Current.CancellationToken),
                Task.Run(() => { start.SignalAndWait(TestContext.Current.CancellationToken); return two.Embed(headlines, TestContext.Current.CancellationToken); }, TestContext.Current.CancellationToken));

            using var loaded = new MiniLmEmbedder { MapWeights = false };
            var expected = loaded.Embed(headlines, TestContext.Current.CancellationToken);
            foreach (var result in results)
            {
                for (var i = 0; i < headlines.Length; i++)
                {
                    result[i].Select(BitConverter.SingleToInt32Bits).ShouldBe(expected[i].Select(BitConverter.SingleToInt32Bits));
                }
            }

            Directory.GetFiles(cache, "*.part").ShouldBeEmpty();
            Directory.GetFiles(cache).Length.ShouldBe(3); // graph, weights, word table
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
