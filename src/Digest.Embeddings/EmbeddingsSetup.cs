using Digest.Core.Stories;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Embeddings;

public static class EmbeddingsSetup
{
    /// <summary>Sentence embeddings for story clustering (all-MiniLM-L6-v2, loaded on first use).</summary>
    public static IServiceCollection AddDigestEmbeddings(this IServiceCollection services)
    {
        services.AddSingleton<MiniLmEmbedder>();
        services.AddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<MiniLmEmbedder>());
        return services;
    }
}
