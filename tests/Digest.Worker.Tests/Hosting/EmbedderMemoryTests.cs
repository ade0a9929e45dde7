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
    /// The word-embedding table read in place from the mapped model file gives the same vectors, to the bit, as the
    /// table loaded by ONNX Runtime: the same floats feed the same graph.
    /// </summary>
    [Fact]
    public void Embed_WordTableReadInPlace_SameVectorsToTheBit()
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
        loaded.WeightsMapped.ShouldBeFalse();
        for (var i = 0; i < headlines.Length; i++)
        {
            actual[i].Select(BitConverter.SingleToInt32Bits).ShouldBe(expected[i].Select(BitConverter.SingleToInt32Bits));
        }
    }
}
