using System.Text.Json;
using Digest.Core.Summarization;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Summarization;

/// <summary>
/// The shipped document-frequency table is derived from shared/data (the BBC articles and the 2025 headlines): word
/// counts only, no text. Run with DIGEST_WRITE_DF=1 to rebuild it after the tokenizer or the corpus changes.
/// </summary>
public sealed class DocumentFrequencyTableTests
{
    [Fact]
    public void ShippedTable_IsTheOneTheSharedCorpusGives()
    {
        var built = DocumentFrequencies.Build(CorpusDocuments());
        using var writer = new StringWriter();
        built.Write(writer);
        var path = Path.Combine(SharedData.RepositoryRoot(), "src", "Digest.Core", "Summarization", "document-frequencies.tsv");
        if (Environment.GetEnvironmentVariable("DIGEST_WRITE_DF") == "1")
        {
            File.WriteAllText(path, writer.ToString());
        }

        File.ReadAllText(path).ShouldBe(writer.ToString(), "the committed table is stale: rebuild it with DIGEST_WRITE_DF=1");
        DocumentFrequencies.Default.Documents.ShouldBe(built.Documents);
    }

    [Fact]
    public void Idf_CommonWordWeighsLessThanRareWord()
    {
        var table = DocumentFrequencies.Default;
        table.Idf("trump").ShouldBeLessThan(table.Idf("witkoff"));
        table.Idf("witkoff").ShouldBeLessThan(table.Idf("zzzunseenword"));
    }

    private static IEnumerable<string> CorpusDocuments()
    {
        var articles = SharedData.PathOf("data/summaries/bbc/article");
        var headlines = SharedData.PathOf("data/headlines/headlines.jsonl");
        foreach (var file in Directory.EnumerateFiles(articles, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return File.ReadAllText(file);
        }

        foreach (var line in File.ReadLines(headlines))
        {
            using var json = JsonDocument.Parse(line);
            yield return json.RootElement.GetProperty("title").GetString() ?? "";
        }
    }
}
