using System.Globalization;

namespace Digest.Core.Summarization;

/// <summary>
/// In how many documents of a reference corpus each word occurs, for inverse document frequency. The shipped table
/// (<c>document-frequencies.tsv</c>, word and count only) is learned from news text: the BBC articles and the
/// 2025 headlines under shared/data; <c>DocumentFrequencyTableTests</c> rebuilds it from there. A fixed table keeps
/// key lines the same on every machine and from the first item on, which a table learned while ingesting would not.
/// </summary>
internal sealed class DocumentFrequencies
{
    /// <summary>Words seen in fewer documents than this are left out of the table; they get the top weight anyway.</summary>
    public const int MinimumCount = 2;

    private const string ResourceName = "Digest.Core.Summarization.document-frequencies.tsv";

    private static readonly Lazy<DocumentFrequencies> Shipped = new(LoadShipped);

    private readonly Dictionary<string, int> counts;

    private DocumentFrequencies(int documents, Dictionary<string, int> counts)
    {
        Documents = documents;
        this.counts = counts;
    }

    public static DocumentFrequencies Default => Shipped.Value;

    public int Documents { get; }

    public int Count(string word) => counts.GetValueOrDefault(word);

    /// <summary>Smoothed inverse document frequency: rare and unseen words weigh most, words in every document weigh 1.</summary>
    public double Idf(string word) => Math.Log((Documents + 1.0) / (Count(word) + 1.0)) + 1.0;

    public static DocumentFrequencies Build(IEnumerable<string> documents)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var n = 0;
        foreach (var document in documents)
        {
            n++;
            foreach (var word in Words.ContentTokens(document).Distinct())
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }

        return new DocumentFrequencies(n, counts.Where(c => c.Value >= MinimumCount).ToDictionary(StringComparer.Ordinal));
    }

    /// <summary>The table as text: a header with the document count, then one word a line, most frequent first.</summary>
    public void Write(TextWriter writer)
    {
        writer.Write("#documents\t");
        writer.Write(Documents.ToString(CultureInfo.InvariantCulture));
        writer.Write('\n');
        foreach (var (word, count) in counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            writer.Write(word);
            writer.Write('\t');
            writer.Write(count.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    public static DocumentFrequencies Read(TextReader reader)
    {
        var header = reader.ReadLine() ?? throw new InvalidDataException("empty document-frequency table");
        var documents = int.Parse(header.AsSpan(header.IndexOf('\t') + 1), CultureInfo.InvariantCulture);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t');
            counts[line[..tab]] = int.Parse(line.AsSpan(tab + 1), CultureInfo.InvariantCulture);
        }

        return new DocumentFrequencies(documents, counts);
    }

    private static DocumentFrequencies LoadShipped()
    {
        using var stream = typeof(DocumentFrequencies).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return Read(reader);
    }
}
