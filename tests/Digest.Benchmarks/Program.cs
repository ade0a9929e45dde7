using BenchmarkDotNet.Running;
using Digest.Benchmarks;

// dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Digest.Benchmarks -- ingest-best-of 20   (interleaved rounds, best time of each: steadier on a busy machine)
// dotnet run -c Release --project tests/Digest.Benchmarks -- make-corpus SRC DST N   (N copies of a feed folder, every item unique)
// dotnet run -c Release --project tests/Digest.Benchmarks -- corpus DIR…              (CodeHollow.FeedReader alone over a corpus on disk)
if (args is ["ingest-best-of", ..])
{
    IngestBenchmarks.BestOf(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20, Console.Out);
    return 0;
}

if (args is ["make-corpus", var source, var destination, var copies])
{
    return CorpusThroughput.Make(source, destination, int.Parse(copies, System.Globalization.CultureInfo.InvariantCulture));
}

if (args is ["corpus", .. var directories])
{
    return CorpusThroughput.Run(directories);
}

// dotnet run -c Release --project tests/Digest.Benchmarks -- farm-replay 2000 [lines.txt]   (the process and refresh stages' in-memory work over the harness's farm)
if (args is ["farm-replay", var farmFeeds, ..])
{
    return FarmReplay.Run(int.Parse(farmFeeds, System.Globalization.CultureInfo.InvariantCulture), Console.Out, args.Length > 2 ? args[2] : null);
}

// dotnet run -c Release --project tests/Digest.Benchmarks -- bbc-lines lines.txt   (key lines of 80 stories of BBC articles, to compare builds)
if (args is ["bbc-lines", var bbcFile])
{
    return FarmReplay.BbcLines(bbcFile, Console.Out);
}

// dotnet run -c Release --project tests/Digest.Benchmarks -- embed-order headlines.txt [500 [16]]   (the sentence model by length and in order: CPU, same vectors)
if (args is ["embed-order", var embedFile, ..])
{
    return Digest.Benchmarks.EmbedOrder.Run(embedFile, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 16, Console.Out);
}

// dotnet run -c Release --project tests/Digest.Benchmarks -- home-latency 300   (GET / on the real web host over 100,000 stored stories: p50/p95/p99)
if (args is ["home-latency", ..])
{
    await Digest.Benchmarks.HomePageBenchmarks.LatencyAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 300, Console.Out);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Digest.Benchmarks.HomePageBenchmarks).Assembly).Run(args);
return 0;
