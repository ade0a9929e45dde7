using Digest.Core.Stories;

namespace Digest.Worker.Cli;

/// <summary>Embeds each distinct text once across the many clusterings of a held-out evaluation.</summary>
internal sealed class CachingEmbedder(ITextEmbedder inner) : ITextEmbedder
{
    private readonly Dictionary<string, float[]> vectors = new(StringComparer.Ordinal);

    public string Model => inner.Model;

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var missing = texts.Where(t => !vectors.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        var fresh = inner.Embed(missing, cancellationToken);
        for (var i = 0; i < missing.Count; i++)
        {
            vectors[missing[i]] = fresh[i];
        }

        return [.. texts.Select(t => vectors[t])];
    }
}
