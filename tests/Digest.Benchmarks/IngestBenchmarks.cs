using System.Globalization;
using System.Xml;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Digest.Core.Feeds;
using Digest.Core.Items;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Digest.Benchmarks;

/// <summary>
/// Fetch aside, the ingest path over the real-feed corpus held in memory: CodeHollow.FeedReader alone (the reference,
/// which Digest used to parse with), a bare XmlReader scan (the floor), our streaming parser, the normalizer alone, and
/// parse + normalize.
/// Every benchmark handles the whole corpus once per operation; the Throughput column turns that into items/s (or MB/s).
/// </summary>
/// <remarks>dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*Ingest*' --job short</remarks>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly XmlReaderSettings ScanSettings = new() { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreWhitespace = true };
    private Corpus corpus = null!;

    [GlobalSetup]
    public void Setup() => corpus = Corpus.Instance;

    [Benchmark(Baseline = true, Description = "CodeHollow ReadFromByteArray")]
    public int CodeHollowAlone()
    {
        var items = 0;
        foreach (var document in corpus.Documents)
        {
            items += CodeHollowReader.ReadFromByteArray(document).Items.Count;
        }

        return items;
    }

    [Benchmark(Description = "XmlReader scan")]
    public int XmlReaderScan()
    {
        var nodes = 0;
        foreach (var document in corpus.Documents)
        {
            nodes += Scan(document);
        }

        return nodes;
    }

    private static int Scan(byte[] document)
    {
        var nodes = 0;
        using var reader = XmlReader.Create(new MemoryStream(document), ScanSettings);
        while (reader.Read())
        {
            nodes++;
        }

        return nodes;
    }

    [Benchmark(Description = "FeedParser.Parse")]
    public int Parse()
    {
        var items = 0;
        foreach (var document in corpus.Documents)
        {
            items += FeedParser.Parse(document).Items.Count;
        }

        return items;
    }

    [Benchmark(Description = "ItemNormalizer.NormalizeAll")]
    public int Normalize()
    {
        var items = 0;
        foreach (var feed in corpus.Parsed)
        {
            items += ItemNormalizer.NormalizeAll(feed, null, Now).Count;
        }

        return items;
    }

    [Benchmark(Description = "Ingest (parse + normalize)")]
    public int Ingest()
    {
        var items = 0;
        foreach (var document in corpus.Documents)
        {
            items += FeedIngest.Read(document, null, null, Now).Items.Count;
        }

        return items;
    }

    /// <summary>
    /// Each ingest stage run once per round, interleaved, for <paramref name="rounds"/> rounds; the best time of each is
    /// reported with its ratio to CodeHollow.FeedReader alone. Best-of is what the code can do when the machine lets it.
    /// </summary>
    public static void BestOf(int rounds, TextWriter output)
    {
        var benchmarks = new IngestBenchmarks();
        benchmarks.Setup();
        (string Name, Func<int> Run)[] stages =
        [
            ("CodeHollow ReadFromByteArray", benchmarks.CodeHollowAlone),
            ("FeedParser.Parse", benchmarks.Parse),
            ("ItemNormalizer.NormalizeAll", benchmarks.Normalize),
            ("Ingest (parse + normalize)", benchmarks.Ingest),
        ];
        var best = stages.Select(_ => double.MaxValue).ToArray();
        for (var round = 0; round < rounds + 2; round++)
        {
            for (var i = 0; i < stages.Length; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                stages[i].Run();
                var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;

                // The first two rounds warm up (JIT, caches) and are not counted.
                best[i] = round < 2 ? best[i] : Math.Min(best[i], seconds);
            }
        }

        var items = Corpus.Instance.Items;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Corpus.Instance.Documents.Count} real feeds, {items} items; best of {rounds} interleaved rounds"));
        for (var i = 0; i < stages.Length; i++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stages[i].Name,-30} {best[i] * 1000,9:N2} ms  {items / best[i],10:N0} items/s  {best[0] / best[i],5:N2}× CodeHollow's items/s"));
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn());
    }

    /// <summary>Items per second (the corpus's item count over the mean), or MB/s for the XmlReader scan.</summary>
    private sealed class ThroughputColumn : IColumn
    {
        public string Id => nameof(ThroughputColumn);
        public string ColumnName => "Throughput";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Whole corpus per operation: items/s, or MB/s of XML for the scan";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (summary[benchmarkCase]?.ResultStatistics?.Mean is not { } nanoseconds || nanoseconds <= 0)
            {
                return "-";
            }

            var perSecond = 1e9 / nanoseconds;
            var corpus = Corpus.Instance;
            return benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(XmlReaderScan)
                ? string.Create(CultureInfo.InvariantCulture, $"{corpus.Bytes * perSecond / 1e6:N1} MB/s")
                : string.Create(CultureInfo.InvariantCulture, $"{corpus.Items * perSecond:N0} items/s");
        }
    }

    /// <summary>
    /// The real-feed corpus from shared/, as bytes: the documents that CodeHollow, our parser and a bare XmlReader read, so every
    /// benchmark does the same work. Loaded once per process (the benchmark process and the host that prints the table).
    /// </summary>
    private sealed class Corpus
    {
        private static readonly Lazy<Corpus> Loaded = new(() => new Corpus());

        private Corpus()
        {
            var documents = new List<byte[]>();
            var parsed = new List<IReadOnlyList<FeedItem>>();
            foreach (var file in Directory.GetFiles(SharedCorpus.Path("data/feeds/real"), "*.xml").Order())
            {
                var bytes = File.ReadAllBytes(file);
                var ours = FeedParser.Parse(bytes);
                if (ours.Error is not null || !Reads(() => CodeHollowReader.ReadFromByteArray(bytes)) || !Reads(() => Scan(bytes)))
                {
                    continue;
                }

                documents.Add(bytes);
                parsed.Add(ours.Items);
            }

            Documents = documents;
            Parsed = parsed;
            Items = parsed.Sum(p => p.Count);
            Bytes = documents.Sum(d => (long)d.Length);
        }

        public static Corpus Instance => Loaded.Value;

        public IReadOnlyList<byte[]> Documents { get; }

        public IReadOnlyList<IReadOnlyList<FeedItem>> Parsed { get; }

        public int Items { get; }

        public long Bytes { get; }

        private static bool Reads(Action read)
        {
            try
            {
                read();
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
