using Digest.Core.Stories;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Embeddings;

internal static class EmbeddingsSetup
{
    /// <summary>
    /// Sentence embeddings for story clustering (all-MiniLM-L6-v2, loaded on first use).
    /// <paramref name="releaseFreedMemory"/>: what hands the C heap's free memory back (see <see cref="MiniLmEmbedder"/>).
    /// </summary>
    public static IServiceCollection AddDigestEmbeddings(this IServiceCollection services, Action? releaseFreedMemory = null)
    {
        services.AddSingleton(_ => new MiniLmEmbedder(releaseFreedMemory: releaseFreedMemory));
        services.AddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<MiniLmEmbedder>());
        return services;
    }
}
