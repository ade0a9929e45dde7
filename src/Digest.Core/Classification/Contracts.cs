namespace Digest.Core.Classification;

/// <summary>What the classifier reads of an item.</summary>
public sealed record ClassifierInput(string Title, string? Summary = null, string? Outlet = null);

/// <summary>The verdict on one item: is it about the story, how sure, which subtopics, and why.</summary>
public sealed record Relevance(bool Relevant, double Score, IReadOnlyList<string> Tags, IReadOnlyList<string> Reasons)
{
    public static Relevance Irrelevant(string reason) => new(false, 0, [], [reason]);
}

/// <summary>Decides whether an item is about the tracked story. A variation point: profile rules, a trained model.</summary>
public interface IRelevanceClassifier
{
    Relevance Classify(ClassifierInput input);
}
