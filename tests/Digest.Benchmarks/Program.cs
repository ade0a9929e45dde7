using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Digest.Benchmarks -- ingest-best-of 20   (interleaved rounds, best time of each: steadier on a busy machine)
if (args is ["ingest-best-of", ..])
{
    Digest.Benchmarks.IngestBenchmarks.BestOf(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20, Console.Out);
    return;
}

// dotnet run -c Release --project tests/Digest.Benchmarks -- home-latency 300   (GET / on the real web host over 100,000 stored stories: p50/p95/p99)
if (args is ["home-latency", ..])
{
    await Digest.Benchmarks.HomePageBenchmarks.LatencyAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 300, Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Digest.Benchmarks.HomePageBenchmarks).Assembly).Run(args);
