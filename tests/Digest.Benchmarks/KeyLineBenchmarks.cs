using BenchmarkDotNet.Attributes;
using Digest.Core.Summarization;

namespace Digest.Benchmarks;

/// <summary>
/// Three key lines for each of the 100 BBC articles (shared/data/summaries/bbc, read in place, sentences joined into
/// running text so splitting is measured too); the mean is per article, so articles/s = 1 s / mean.
/// <c>dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*KeyLine*'</c>
/// </summary>
[MemoryDiagnoser]
public class KeyLineBenchmarks
{
    private readonly ExtractiveKeyLines extractor = new();
    private List<SourceText> articles = [];

    [GlobalSetup]
    public void Setup()
    {
        articles = Directory.EnumerateFiles(SharedCorpus.Path("data/summaries/bbc/article"), "*.txt", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllLines)
            .Select(lines => lines.Where(l => l.Trim().Length > 0).ToList())
            .Select(lines => new SourceText(lines[0], string.Join(' ', lines.Skip(1)), "BBC", default))
            .ToList();
    }

    [Benchmark(OperationsPerInvoke = 100)]
    public async Task<int> ExtractThreeLinesPerArticle()
    {
        var total = 0;
        foreach (var article in articles)
        {
            total += (await extractor.ExtractAsync([article], 3, CancellationToken.None)).Count;
        }

        return total;
    }
}
