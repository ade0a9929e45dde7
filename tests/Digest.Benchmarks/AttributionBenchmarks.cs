using BenchmarkDotNet.Attributes;
using Digest.Core.Summarization;

namespace Digest.Benchmarks;

/// <summary>
/// Who said it over an article that names a new person every few sentences and comes back to earlier ones by surname:
/// the time per sentence should stay flat as the article grows (the name index looks names up instead of comparing each
/// with every name so far). Synthetic text written for this benchmark.
/// <c>dotnet run -c Release --project tests/Digest.Benchmarks -- --filter '*AttributionBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class AttributionBenchmarks
{
    private static readonly string[] First = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas"];
    private static readonly string[] Last = ["Adler", "Brandt", "Castell", "Dorn", "Eckart", "Falk", "Gerlach", "Hahn", "Imhof", "Jost", "Kessler", "Lorenz"];

    private string[] article = [];

    [Params(100, 400, 1600)]
    public int Sentences { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var lines = new List<string>(Sentences);
        for (var i = 0; lines.Count < Sentences; i++)
        {
            var name = $"{First[i % First.Length]} {Last[i % Last.Length]}{(i >= First.Length * Last.Length ? "-" + Last[(i / 7) % Last.Length] : "")}";
            var surname = name.Split(' ')[^1];
            lines.Add($"Delegate {name}, who heads committee number {i} of the Regional Water Board, said the plan was sound.");
            lines.Add($"\"We need more time,\" {surname} told reporters on day {i}.");
            lines.Add($"She added that the vote on chapter {i} would be held next week.");
            lines.Add($"The Regional Water Board said it would publish the figures for district {i}.");
        }

        article = [.. lines.Take(Sentences)];
    }

    [Benchmark]
    public int Speakers() => Attribution.Speakers(article).Count(s => s is not null);
}
