using System.Diagnostics;
using Digest.Embeddings;

namespace Digest.Benchmarks;

/// <summary>
/// <c>embed-order FILE [calls]</c>: the sentence model over the texts of FILE (one a line, e.g. a corpus's headlines), in
/// calls of up to <c>calls</c> texts (default 500, a process pass), run in batches of about the same length (the
/// embedder's default) and in the caller's order (as before): the CPU of each and whether every vector is the same to
/// the bit. Interleaved, best of three rounds each, after one warm-up call.
/// </summary>
internal static class EmbedOrder
{
    public static int Run(string file, int perCall, int lengthBatch, TextWriter output)
    {
        var texts = File.ReadAllLines(file);
        using var byLength = new MiniLmEmbedder { LengthBatch = lengthBatch };
        using var inOrder = new MiniLmEmbedder { ByLength = false };
        byLength.Embed(texts.Take(16).ToArray(), CancellationToken.None);
        inOrder.Embed(texts.Take(16).ToArray(), CancellationToken.None);
        var best = (ByLength: TimeSpan.MaxValue, InOrder: TimeSpan.MaxValue);
        float[][] a = [], b = [];
        for (var round = 0; round < 3; round++)
        {
            var (va, ta) = Time(byLength, texts, perCall);
            var (vb, tb) = Time(inOrder, texts, perCall);
            (a, b) = (va, vb);
            best = (ta < best.ByLength ? ta : best.ByLength, tb < best.InOrder ? tb : best.InOrder);
        }

        var differing = Enumerable.Range(0, texts.Length)
            .Count(i => !a[i].Select(BitConverter.SingleToInt32Bits).SequenceEqual(b[i].Select(BitConverter.SingleToInt32Bits)));
        output.WriteLine($"{texts.Length} texts in calls of {perCall}: by length ({lengthBatch} a run) {best.ByLength.TotalSeconds:0.00} s CPU, in order {best.InOrder.TotalSeconds:0.00} s CPU (best of 3); vectors differing in any bit: {differing}");
        return differing == 0 ? 0 : 1;
    }

    private static (float[][] Vectors, TimeSpan Cpu) Time(MiniLmEmbedder embedder, string[] texts, int perCall)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var vectors = texts.Chunk(perCall).SelectMany(chunk => embedder.Embed(chunk, CancellationToken.None)).ToArray();
        self.Refresh();
        return (vectors, self.TotalProcessorTime - cpu);
    }
}
