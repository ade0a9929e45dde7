namespace Digest.Core.Classification;

/// <summary>What the classifier reads of an item.</summary>
internal sealed record ClassifierInput(string Title, string? Summary = null, string? Outlet = null);

/// <summary>The verdict on one item: is it about the story, how sure, which subtopics, and why.</summary>
internal sealed record Relevance(bool Relevant, double Score, IReadOnlyList<string> Tags, IReadOnlyList<string> Reasons)
{
    /// <summary>
    /// Not relevant on its own, but close (a score in the profile's band from <c>storyThreshold</c> up to
    /// <c>threshold</c>) and not excluded by a moderator: relevant if it joins a story that is. Never set on a relevant item.
    /// </summary>
    public bool Borderline { get; init; }

    public static Relevance Irrelevant(string reason) => new(false, 0, [], [reason]);
}

/// <summary>Decides whether an item is about the tracked story. A variation point: profile rules, a trained model.</summary>
internal interface IRelevanceClassifier
{
    Relevance Classify(ClassifierInput input);
}
