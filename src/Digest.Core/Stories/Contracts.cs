namespace Digest.Core.Stories;

/// <summary>What the clusterer reads of an item.</summary>
internal sealed record ClusterDocument(long ItemId, string Title, string Summary, DateTimeOffset Published);

/// <summary>The story an item joins; <see cref="DuplicateOfItemId"/> is set when it is a near-copy of an item already there.</summary>
internal sealed record ClusterMatch(long StoryId, double Similarity, long? DuplicateOfItemId);

/// <summary>Incremental story clustering: a new item joins an existing story or starts one.</summary>
internal interface IStoryClusterer
{
    /// <returns>The story the document belongs to, or null when it starts a new one.</returns>
    ClusterMatch? FindStory(ClusterDocument document);

    /// <summary>Records that the document is part of the story, so later documents can join it.</summary>
    void Add(ClusterDocument document, long storyId);
}
