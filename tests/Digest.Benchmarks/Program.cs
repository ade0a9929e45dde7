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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
