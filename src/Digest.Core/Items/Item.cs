namespace Digest.Core.Items;

/// <summary>An entry as the parser read it, before any cleaning.</summary>
internal sealed record FeedItem(
    string? Id,
    string? Title,
    string? Link,
    string? Summary,
    string? Content,
    string? Author,
    DateTimeOffset? Published,
    DateTimeOffset? Updated);

/// <summary>A cleaned entry: plain text, canonical link, stable key.</summary>
internal sealed record Item(
    string Key,
    string Title,
    string Url,
    string Summary,
    string? Author,
    DateTimeOffset Published)
{
    /// <summary>Title and summary together, the text most stages read.</summary>
    public string Text => Summary.Length == 0 ? Title : $"{Title}. {Summary}";
}
