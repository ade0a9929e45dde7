namespace Digest.Core.Stories;

/// <summary>
/// Turns short texts (headlines and leads) into unit-length vectors whose dot product says how close their meanings are.
/// The story clusterer works without one (less well); an implementation lives outside the core because it carries a
/// model runtime.
/// </summary>
internal interface ITextEmbedder
{
    /// <summary>Names the model, so stored vectors are only reused with the model that made them.</summary>
    string Model { get; }

    /// <summary>One L2-normalised vector per text, in order. CPU-bound; the first call may load the model.</summary>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
