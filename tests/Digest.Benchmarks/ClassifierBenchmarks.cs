using BenchmarkDotNet.Attributes;
using Digest.Core.Classification;

namespace Digest.Benchmarks;

/// <summary>
/// Classification alone, on the real headlines with the shipped profile and model: the mean time per operation is the
/// time per headline (OperationsPerInvoke), so headlines/s = 1 s / mean.
/// dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*ClassifierBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private const int Count = 10_000;
    private TopicClassifier classifier = null!;
    private ClassifierInput[] inputs = [];

    [GlobalSetup]
    public void Setup()
    {
        classifier = ClassifierFiles.Load(null, null, TextWriter.Null)
            ?? throw new InvalidOperationException("config/topics/ukraine-peace-talks.json or its model not found above the working directory");
        inputs = [.. Headlines.ReadJsonLines(SharedCorpus.Path("data/headlines/headlines.jsonl")).Take(Count).Select(h => h.Input)];
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int ClassifyHeadline()
    {
        var relevant = 0;
        foreach (var input in inputs)
        {
            if (classifier.Classify(input).Relevant)
            {
                relevant++;
            }
        }

        return relevant;
    }
}
