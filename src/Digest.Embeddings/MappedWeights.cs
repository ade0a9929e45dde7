using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.Win32.SafeHandles;

namespace Digest.Embeddings;

/// <summary>
/// An ONNX model split once, in a cache folder, into its graph — a small ONNX file whose float weights are external data
/// — and its weights, one file with each tensor 64-byte aligned, which is mapped read-only and handed to ONNX Runtime
/// tensor by tensor (<see cref="SessionOptions.AddInitializer"/>). ONNX Runtime then neither parses the weights into
/// its protocol-buffer objects nor copies them: the load takes a few MB instead of twice the model for a moment, and the
/// weights' pages are the file's, which the kernel can take back and which a run reads only where it needs them (the
/// word table's rows of the words met). The same floats in the same graph, so the same vectors (EmbedderMemoryTests).
/// The files are named after the model's <c>key</c>; a graph is trusted only if every tensor it names lies in the weights
/// file, which ends where its last tensor does — otherwise, or when missing, both are written again (each to a file
/// of its own, then renamed, so processes loading at once never read a half-written one). See README, *Peak memory of `digest run`*.
/// </summary>
internal sealed class MappedWeights : IDisposable
{
    private const int ModelGraph = 7, GraphNode = 1, GraphInitializer = 5, GraphInput = 11;
    private const int NodeInput = 1, NodeOutput = 2, NodeOpType = 4;
    private const int ValueName = 1, ValueType = 2, TypeTensor = 1, TensorTypeElement = 1, TensorTypeShape = 2, ShapeDim = 1, DimValue = 1, DimParam = 2;
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9, TensorExternalData = 13, TensorDataLocation = 14;
    private const int EntryKey = 1, EntryValue = 2;
    private const int Float = 1, External = 1;
    private const int LengthDelimited = 2;

    /// <summary>Tensors smaller than this stay in the graph (shape constants, biases: a few KB in all).</summary>
    private const int SmallestMoved = 4096;
    private const int Alignment = 64;

    /// <summary>The cache's layout, in its files' names: a cache written by a build that split the model otherwise is not read.</summary>
    private const int Layout = 2;

    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;
    private readonly List<(string Name, OrtValue Value)> tensors;

    private MappedWeights(string graph, WordTable? words, MemoryMappedFile file, MemoryMappedViewAccessor view, List<(string Name, OrtValue Value)> tensors)
    {
        Graph = graph;
        Words = words;
        this.file = file;
        this.view = view;
        this.tensors = tensors;
    }

    /// <summary>The ONNX file to load: the graph, its weights external.</summary>
    public string Graph { get; }

    /// <summary>The word-embedding table taken out of the graph, read row by row; null if the model had none to take out.</summary>
    public WordTable? Words { get; }

    /// <summary>Each moved weight by its initializer's name, over the mapped weights file.</summary>
    public IReadOnlyList<(string Name, OrtValue Value)> Tensors => tensors;

    /// <summary>
    /// The cached split of the model named <paramref name="key"/> in <paramref name="cacheDirectory"/>, written from
    /// <paramref name="model"/> (a readable ONNX file's bytes) first if it is missing or not whole.
    /// </summary>
    /// <param name="wordTable">The initializer of the model's word-embedding table, read by a Gather of the token ids
    /// (see <see cref="WordTable"/>); null or absent: the table stays in the graph with the other weights.</param>
    public static MappedWeights Open(string cacheDirectory, string key, Func<Stream> model, string? wordTable = null)
    {
        var graph = Path.Combine(cacheDirectory, $"{key}.{Layout}.graph.onnx");
        var weights = Path.Combine(cacheDirectory, $"{key}.{Layout}.weights");
        var words = Path.Combine(cacheDirectory, $"{key}.{Layout}.words");
        if (TryOpen(graph, weights, words) is { } cached)
        {
            return cached;
        }

        Write(cacheDirectory, model, graph, weights, words, wordTable);
        return TryOpen(graph, weights, words) ?? throw new InvalidOperationException($"the model cache {graph} could not be read back after writing it");
    }

    public void Dispose()
    {
        foreach (var (_, value) in tensors)
        {
            value.Dispose();
        }

        view.Dispose();
        file.Dispose();
        Words?.Dispose();
    }

    /// <summary>The split if its files are there and agree; null otherwise.</summary>
    private static MappedWeights? TryOpen(string graph, string weights, string words)
    {
        if (!File.Exists(graph) || !File.Exists(weights))
        {
            return null;
        }

        List<(string Name, long[] Shape, long Offset, long Bytes)> external;
        (string Name, int Width)? wordsInput;
        try
        {
            (external, wordsInput) = ExternalTensors(graph, Path.GetFileName(weights));
        }
        catch (IOException)
        {
            return null;
        }

        // A graph that takes the word vectors as an input needs the table beside it, whole.
        WordTable? table = null;
        if (wordsInput is { } input && (table = WordTable.Open(words, input.Name, input.Width)) is null)
        {
            return null;
        }

        var length = new FileInfo(weights).Length;
        if (external.Count == 0 || length == 0 || external.Max(t => t.Offset + t.Bytes) != length || external.Any(t => t.Offset < 0 || t.Offset % Alignment != 0))
        {
            table?.Dispose();
            return null;
        }

        var file = MemoryMappedFile.CreateFromFile(weights, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        var values = new List<(string Name, OrtValue Value)>(external.Count);
        try
        {
            view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            var start = view.SafeMemoryMappedViewHandle.DangerousGetHandle() + (nint)view.PointerOffset;
            foreach (var (name, shape, offset, bytes) in external)
            {
                values.Add((name, OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, shape, start + (nint)offset, bytes)));
            }

            return new MappedWeights(graph, table, file, view, values);
        }
        catch
        {
            table?.Dispose();
            foreach (var (_, value) in values)
            {
                value.Dispose();
            }

            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The graph's float initializers stored in <paramref name="weightsName"/> (name, shape and where), and the input that
    /// takes the word vectors, if the split took the word table out (a float input of shape batch × sequence × width).
    /// </summary>
    private static (List<(string Name, long[] Shape, long Offset, long Bytes)> Tensors, (string Name, int Width)? WordsInput) ExternalTensors(string graph, string weightsName)
    {
        (string Name, int Width)? wordsInput = null;
        var bytes = new ArrayBytes(File.ReadAllBytes(graph));
        var found = new List<(string, long[], long, long)>();
        foreach (var model in Protobuf.Fields(bytes, 0, bytes.Length))
        {
            if (model.Number != ModelGraph || model.WireType != LengthDelimited)
            {
                continue;
            }

            foreach (var member in Protobuf.Fields(bytes, model.From, model.End))
            {
                if (member.Number == GraphInput && member.WireType == LengthDelimited && FloatInput(bytes, member.From, member.End) is { } input)
                {
                    wordsInput = input;
                }

                if (member.Number != GraphInitializer || member.WireType != LengthDelimited)
                {
                    continue;
                }

                var tensor = Tensor.Read(bytes, member.From, member.End);
                if (tensor.Location == External && tensor.Type == Float && tensor.Name is { } name
                    && tensor.Entries.GetValueOrDefault("location") == weightsName
                    && long.TryParse(tensor.Entries.GetValueOrDefault("offset"), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                    && long.TryParse(tensor.Entries.GetValueOrDefault("length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                    && tensor.Dims.Count > 0 && tensor.Dims.All(d => d > 0) && tensor.Dims.Aggregate(1L, (a, d) => a * d) * sizeof(float) == length)
                {
                    found.Add((name, [.. tensor.Dims], offset, length));
                }
            }
        }

        return (found, wordsInput);
    }

    /// <summary>A graph input (ValueInfoProto at [start, end)) of float tensors whose last dimension is fixed: its name and that width; null for another.</summary>
    private static (string Name, int Width)? FloatInput(IBytes data, long start, long end)
    {
        string? name = null;
        var isFloat = false;
        long? width = null;
        foreach (var field in Protobuf.Fields(data, start, end))
        {
            if (field.Number == ValueName && field.WireType == LengthDelimited)
            {
                name = Protobuf.String(data, field.From, field.End);
                continue;
            }

            if (field.Number != ValueType || field.WireType != LengthDelimited)
            {
                continue;
            }

            foreach (var tensor in Protobuf.Fields(data, field.From, field.End).Where(t => t.Number == TypeTensor && t.WireType == LengthDelimited))
            {
                foreach (var part in Protobuf.Fields(data, tensor.From, tensor.End))
                {
                    if (part.Number == TensorTypeElement && part.WireType == 0)
                    {
                        isFloat = part.Value == Float;
                    }
                    else if (part.Number == TensorTypeShape && part.WireType == LengthDelimited)
                    {
                        width = Protobuf.Fields(data, part.From, part.End).Where(d => d.Number == ShapeDim && d.WireType == LengthDelimited)
                            .Select(d => Protobuf.Fields(data, d.From, d.End).Where(v => v.Number == DimValue && v.WireType == 0).Select(v => (long?)v.Value).FirstOrDefault())
                            .LastOrDefault();
                    }
                }
            }
        }

        return isFloat && name is not null && width is > 0 and <= 1 << 16 ? (name, (int)width.Value) : null;
    }

    /// <summary>Writes the graph and the weights from the model, each to a file of its own first, the weights renamed first.</summary>
    private static void Write(string cacheDirectory, Func<Stream> model, string graph, string weights, string words, string? wordTable)
    {
        // Readable and writable by its owner only (on Unix; a folder that exists keeps its mode).
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(cacheDirectory);
        }
        else
        {
            Directory.CreateDirectory(cacheDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var suffix = "." + Guid.NewGuid().ToString("N") + ".part";
        var (source, graphPart, weightsPart, wordsPart) = (graph + ".source" + suffix, graph + suffix, weights + suffix, words + suffix);
        try
        {
            using (var stream = model())
            using (var copy = new FileStream(source, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                stream.CopyTo(copy, 1 << 20);
            }

            // The model's bytes are read from a mapped copy: a protocol-buffer walk needs to jump, and 91 MB read into
            // one array would stay on the managed heap until a full collection.
            var length = new FileInfo(source).Length;
            using (var file = MemoryMappedFile.CreateFromFile(source, FileMode.Open, null, 0, MemoryMappedFileAccess.Read))
            using (var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read))
            using (var graphOut = new FileStream(graphPart, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var weightsOut = new FileStream(weightsPart, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            using (var wordsOut = new FileStream(wordsPart, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Split(new MappedBytes(view, length), Path.GetFileName(weights), graphOut, weightsOut, wordTable, wordsOut);
            }

            File.Move(wordsPart, words, overwrite: true);
            File.Move(weightsPart, weights, overwrite: true);
            File.Move(graphPart, graph, overwrite: true);
        }
        finally
        {
            File.Delete(source);
            File.Delete(graphPart);
            File.Delete(weightsPart);
            File.Delete(wordsPart);
        }

    }

    /// <summary>
    /// Copies the model field by field into <paramref name="graphOut"/>, except that each float initializer of at least
    /// <see cref="SmallestMoved"/> bytes stored in the file (raw_data) goes to <paramref name="weightsOut"/>, aligned,
    /// and is named there as external data (location, offset, length). The word table <paramref name="wordTable"/>, if
    /// the graph reads it only through one Gather of the token ids, goes to <paramref name="wordsOut"/> instead, rows of
    /// floats: that Gather is dropped and its output becomes an input of the graph (see <see cref="WordTable"/>).
    /// </summary>
    internal static void Split(IBytes model, string weightsName, Stream graphOut, Stream weightsOut, string? wordTable = null, Stream? wordsOut = null)
    {
        foreach (var field in Protobuf.Fields(model, 0, model.Length))
        {
            if (field.Number != ModelGraph || field.WireType != LengthDelimited)
            {
                Protobuf.Copy(model, field.Start, field.End, graphOut);
                continue;
            }

            var lookup = wordTable is not null && wordsOut is not null ? Lookup(model, field.From, field.End, wordTable) : null;
            using var graph = new MemoryStream();
            foreach (var member in Protobuf.Fields(model, field.From, field.End))
            {
                var tensor = member.Number == GraphInitializer && member.WireType == LengthDelimited ? Tensor.Read(model, member.From, member.End) : null;
                if (lookup is not null && member.Start == lookup.Value.Node)
                {
                    continue; // the Gather: its output is fed by the caller
                }

                if (lookup is not null && tensor?.Name == wordTable)
                {
                    Protobuf.Copy(model, lookup.Value.Raw.From, lookup.Value.Raw.From + lookup.Value.Raw.Bytes, wordsOut!);
                    continue;
                }

                if (tensor is not { Type: Float, Location: 0, Raw: { } raw } || raw.Bytes < SmallestMoved || raw.Bytes % sizeof(float) != 0)
                {
                    Protobuf.Copy(model, member.Start, member.End, graph);
                    continue;
                }

                var padding = (Alignment - (weightsOut.Position % Alignment)) % Alignment;
                weightsOut.Write(new byte[padding]);
                var offset = weightsOut.Position;
                Protobuf.Copy(model, raw.From, raw.From + raw.Bytes, weightsOut);

                using var moved = new MemoryStream();
                foreach (var part in Protobuf.Fields(model, member.From, member.End))
                {
                    if (part.Number is not TensorRawData and not TensorDataLocation)
                    {
                        Protobuf.Copy(model, part.Start, part.End, moved);
                    }
                }

                foreach (var (name, value) in new[] { ("location", weightsName), ("offset", offset.ToString(CultureInfo.InvariantCulture)), ("length", raw.Bytes.ToString(CultureInfo.InvariantCulture)) })
                {
                    using var entry = new MemoryStream();
                    Protobuf.WriteBytes(entry, EntryKey, Encoding.UTF8.GetBytes(name));
                    Protobuf.WriteBytes(entry, EntryValue, Encoding.UTF8.GetBytes(value));
                    Protobuf.WriteBytes(moved, TensorExternalData, entry.ToArray());
                }

                Protobuf.WriteVarintField(moved, TensorDataLocation, External);
                Protobuf.WriteBytes(graph, GraphInitializer, moved.ToArray());
            }

            if (lookup is { } taken)
            {
                Protobuf.WriteBytes(graph, GraphInput, WordsInput(taken.Output, taken.Width));
            }

            Protobuf.WriteBytes(graphOut, ModelGraph, graph.ToArray());
        }
    }

    /// <summary>
    /// Where the graph at [start, end) reads <paramref name="table"/>: its one Gather (table, ids) — that node's start, its
    /// output, the table's raw floats and row width; null if the table is used otherwise, or not 2-D raw floats.
    /// </summary>
    private static (long Node, string Output, (long From, long Bytes) Raw, long Width)? Lookup(IBytes model, long start, long end, string table)
    {
        (long Node, string Output)? gather = null;
        Tensor? tensor = null;
        foreach (var member in Protobuf.Fields(model, start, end))
        {
            if (member.Number == GraphInitializer && member.WireType == LengthDelimited && Tensor.Read(model, member.From, member.End) is { } t && t.Name == table)
            {
                tensor = t;
            }

            if (member.Number != GraphNode || member.WireType != LengthDelimited)
            {
                continue;
            }

            var parts = Protobuf.Fields(model, member.From, member.End).ToList();
            var inputs = parts.Where(p => p.Number == NodeInput && p.WireType == LengthDelimited).Select(p => Protobuf.String(model, p.From, p.End)).ToList();
            if (!inputs.Contains(table))
            {
                continue;
            }

            var op = parts.Where(p => p.Number == NodeOpType && p.WireType == LengthDelimited).Select(p => Protobuf.String(model, p.From, p.End)).FirstOrDefault();
            var outputs = parts.Where(p => p.Number == NodeOutput && p.WireType == LengthDelimited).Select(p => Protobuf.String(model, p.From, p.End)).ToList();
            var attributes = parts.Any(p => p.Number == 5); // NodeProto.attribute: a Gather on another axis
            if (gather is not null || op != "Gather" || inputs.Count != 2 || inputs[0] != table || outputs.Count != 1 || attributes)
            {
                return null;
            }

            gather = (member.Start, outputs[0]);
        }

        return gather is { } g && tensor is { Type: Float, Location: 0, Raw: { } raw, Dims.Count: 2 } && tensor.Dims.All(d => d > 0)
            && tensor.Dims[0] * tensor.Dims[1] * sizeof(float) == raw.Bytes
            ? (g.Node, g.Output, raw, tensor.Dims[1])
            : null;
    }

    /// <summary>A graph input (ValueInfoProto) of floats shaped batch × sequence × <paramref name="width"/>.</summary>
    private static byte[] WordsInput(string name, long width)
    {
        using var shape = new MemoryStream();
        foreach (var symbol in new[] { "batch", "sequence" })
        {
            using var dim = new MemoryStream();
            Protobuf.WriteBytes(dim, DimParam, Encoding.UTF8.GetBytes(symbol));
            Protobuf.WriteBytes(shape, ShapeDim, dim.ToArray());
        }

        using (var dim = new MemoryStream())
        {
            Protobuf.WriteVarintField(dim, DimValue, width);
            Protobuf.WriteBytes(shape, ShapeDim, dim.ToArray());
        }

        using var tensorType = new MemoryStream();
        Protobuf.WriteVarintField(tensorType, TensorTypeElement, Float);
        Protobuf.WriteBytes(tensorType, TensorTypeShape, shape.ToArray());
        using var type = new MemoryStream();
        Protobuf.WriteBytes(type, TypeTensor, tensorType.ToArray());
        using var value = new MemoryStream();
        Protobuf.WriteBytes(value, ValueName, Encoding.UTF8.GetBytes(name));
        Protobuf.WriteBytes(value, ValueType, type.ToArray());
        return value.ToArray();
    }

    /// <summary>
    /// The word-embedding table (30,522 words × 384 floats, 47 MB) outside the graph: the rows of a batch's tokens are read
    /// from the file (<see cref="RandomAccess"/>) into the tensor the graph now takes in place of its Gather — the same
    /// floats it would have gathered. Read, not mapped: a mapped table's pages count in the process's resident set, and a
    /// page fault maps the cached 64 KB around the row, so a day of headlines brought in 30–42 MB of it; read rows stay in
    /// the kernel's page cache, outside the process.
    /// </summary>
    internal sealed class WordTable(SafeFileHandle file, string input, long rows, int width) : IDisposable
    {
        /// <summary>The graph's input that takes the rows.</summary>
        public string Input => input;

        public int Width => width;

        public static WordTable? Open(string path, string input, int width)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var length = RandomAccess.GetLength(file);
            if (length == 0 || length % (width * sizeof(float)) != 0)
            {
                file.Dispose();
                return null;
            }

            return new WordTable(file, input, length / (width * sizeof(float)), width);
        }

        /// <summary>The rows of <paramref name="ids"/>, one after another (what Gather(table, ids) gives).</summary>
        public float[] Rows(long[] ids)
        {
            var rowsOut = new float[ids.Length * width];
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(rowsOut.AsSpan());
            var rowBytes = width * sizeof(float);
            var first = new Dictionary<long, int>();
            for (var i = 0; i < ids.Length; i++)
            {
                var target = bytes.Slice(i * rowBytes, rowBytes);
                if (first.TryGetValue(ids[i], out var earlier))
                {
                    bytes.Slice(earlier * rowBytes, rowBytes).CopyTo(target);
                    continue;
                }

                if (ids[i] < 0 || ids[i] >= rows)
                {
                    throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"token id outside the word table's {rows} rows");
                }

                for (var done = 0; done < rowBytes;)
                {
                    var read = RandomAccess.Read(file, target[done..], (ids[i] * rowBytes) + done);
                    done += read > 0 ? read : throw new EndOfStreamException("the word table ends before a row it should hold");
                }

                first[ids[i]] = i;
            }

            return rowsOut;
        }

        public void Dispose() => file.Dispose();
    }

    /// <summary>The fields of an ONNX TensorProto that say what it is and where its data lie.</summary>
    private sealed record Tensor(string? Name, List<long> Dims, long Type, long Location, (long From, long Bytes)? Raw, Dictionary<string, string> Entries)
    {
        public static Tensor Read(IBytes data, long start, long end)
        {
            string? name = null;
            var dims = new List<long>();
            long type = 0, location = 0;
            (long, long)? raw = null;
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in Protobuf.Fields(data, start, end))
            {
                switch (field.Number, field.WireType)
                {
                    case (TensorDims, 0):
                        dims.Add(field.Value);
                        break;
                    case (TensorDims, LengthDelimited):
                        for (var at = field.From; at < field.End;)
                        {
                            dims.Add(Protobuf.Varint(data, ref at, field.End) ?? -1);
                        }

                        break;
                    case (TensorDataType, 0):
                        type = field.Value;
                        break;
                    case (TensorDataLocation, 0):
                        location = field.Value;
                        break;
                    case (TensorName, LengthDelimited):
                        name = Protobuf.String(data, field.From, field.End);
                        break;
                    case (TensorRawData, LengthDelimited):
                        raw = (field.From, field.End - field.From);
                        break;
                    case (TensorExternalData, LengthDelimited):
                        string? key = null, value = null;
                        foreach (var part in Protobuf.Fields(data, field.From, field.End))
                        {
                            if (part.WireType == LengthDelimited && part.Number is EntryKey or EntryValue)
                            {
                                var text = Protobuf.String(data, part.From, part.End);
                                (key, value) = part.Number == EntryKey ? (text, value) : (key, text);
                            }
                        }

                        if (key is not null && value is not null)
                        {
                            entries[key] = value;
                        }

                        break;
                }
            }

            return new Tensor(name, dims, type, location, raw, entries);
        }
    }
}

/// <summary>Bytes read at any position: a mapped file or an array.</summary>
internal interface IBytes
{
    long Length { get; }

    byte this[long at] { get; }

    void Read(long at, byte[] buffer, int count);
}

internal sealed class MappedBytes(MemoryMappedViewAccessor view, long length) : IBytes
{
    public long Length => length;

    public byte this[long at] => view.ReadByte(at);

    public void Read(long at, byte[] buffer, int count) => view.ReadArray(at, buffer, 0, count);
}

internal sealed class ArrayBytes(byte[] bytes) : IBytes
{
    public long Length => bytes.Length;

    public byte this[long at] => bytes[at];

    public void Read(long at, byte[] buffer, int count) => Array.Copy(bytes, at, buffer, 0, count);
}

/// <summary>
/// Just enough of the protocol-buffer wire format to walk an ONNX model without reading its weights and to write a
/// changed copy: fields with their ranges, varints, length-delimited fields.
/// </summary>
internal static class Protobuf
{
    /// <summary>A field: [Start, End) is all of it, key included; [From, End) a length-delimited field's bytes; Value a varint's value.</summary>
    public readonly record struct Field(int Number, int WireType, long Start, long From, long End, long Value);

    /// <summary>The fields of a message at [start, end). Stops at anything it cannot read (the caller then finds less).</summary>
    public static IEnumerable<Field> Fields(IBytes data, long start, long end)
    {
        var at = start;
        while (at < end)
        {
            var begin = at;
            if (Varint(data, ref at, end) is not { } key)
            {
                yield break;
            }

            var number = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    if (Varint(data, ref at, end) is not { } value)
                    {
                        yield break;
                    }

                    yield return new Field(number, wire, begin, at, at, value);
                    break;
                case 1 or 5:
                    var width = wire == 1 ? 8 : 4;
                    if (at + width > end)
                    {
                        yield break;
                    }

                    yield return new Field(number, wire, begin, at, at + width, 0);
                    at += width;
                    break;
                case 2:
                    if (Varint(data, ref at, end) is not { } size || size < 0 || at + size > end)
                    {
                        yield break;
                    }

                    yield return new Field(number, wire, begin, at, at + size, 0);
                    at += size;
                    break;
                default:
                    yield break;
            }
        }
    }

    public static long? Varint(IBytes data, ref long at, long end)
    {
        long value = 0;
        for (var shift = 0; shift < 64 && at < end; shift += 7)
        {
            var b = data[at++];
            value |= (long)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        return null;
    }

    public static string String(IBytes data, long from, long end)
    {
        var buffer = new byte[end - from];
        data.Read(from, buffer, buffer.Length);
        return Encoding.UTF8.GetString(buffer);
    }

    public static void Copy(IBytes data, long from, long end, Stream to)
    {
        var buffer = new byte[(int)Math.Min(end - from, 1 << 20)];
        for (var at = from; at < end;)
        {
            var count = (int)Math.Min(buffer.Length, end - at);
            data.Read(at, buffer, count);
            to.Write(buffer, 0, count);
            at += count;
        }
    }

    public static void WriteBytes(Stream to, int number, byte[] bytes)
    {
        WriteVarint(to, ((ulong)number << 3) | 2);
        WriteVarint(to, (ulong)bytes.Length);
        to.Write(bytes);
    }

    public static void WriteVarintField(Stream to, int number, long value)
    {
        WriteVarint(to, (ulong)number << 3);
        WriteVarint(to, (ulong)value);
    }

    private static void WriteVarint(Stream to, ulong value)
    {
        while (value >= 0x80)
        {
            to.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        to.WriteByte((byte)value);
    }
}
