using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Digest.Benchmarks -- ingest-best-of 20   (interleaved rounds, best time of each: steadier on a busy machine)
if (args is ["ingest-best-of", ..])
{
    Digest.Benchmarks.IngestBenchmarks.BestOf(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20, Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
