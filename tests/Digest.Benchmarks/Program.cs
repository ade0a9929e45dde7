using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
