using BenchmarkDotNet.Attributes;
using Digest.Core.Summarization;

namespace Digest.Benchmarks;

/// <summary>
/// Three key lines for each of the 100 BBC articles (shared/data/summaries/bbc, read in place, sentences joined into
/// running text so splitting is measured too); the mean is per article, so articles/s = 1 s / mean.
/// <see cref="BigStory"/>: one story of 300 outlets, as the refresh stage sees a big one — each outlet runs the opening
/// of one of 60 BBC articles under its own headline, so sentences recur word for word across outlets (wire copy) — its
/// sources already analysed, as on a story's every refresh after the first.
/// <c>dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*KeyLine*'</c>
/// </summary>
[MemoryDiagnoser]
public class KeyLineBenchmarks
{
    private readonly ExtractiveKeyLines extractor = new();
    private List<SourceText> articles = [];
    private List<SourceText> bigStory = [];

    [GlobalSetup]
    public void Setup()
    {
        articles = Directory.EnumerateFiles(SharedCorpus.Path("data/summaries/bbc/article"), "*.txt", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllLines)
            .Select(lines => lines.Where(l => l.Trim().Length > 0).ToList())
            .Select(lines => new SourceText(lines[0], string.Join(' ', lines.Skip(1)), "BBC", default))
            .ToList();
        bigStory = [.. Enumerable.Range(0, 300).Select(i =>
        {
            var article = articles[i % 60];
            var opening = string.Join(' ', SentenceSplitter.Split(article.Text).Take(6));
            return new SourceText($"{article.Title} ({i})", opening, $"Outlet {i}", default);
        })];
        extractor.ExtractAsync(bigStory, 3, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task<int> BigStory() => (await extractor.ExtractAsync(bigStory, 3, CancellationToken.None)).Count;

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
