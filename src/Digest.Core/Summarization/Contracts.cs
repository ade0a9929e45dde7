using Digest.Core.Storage;

namespace Digest.Core.Summarization;

/// <summary>One source's text of a story: a feed item, or the article behind it.</summary>
internal sealed record SourceText(string Title, string Text, string? Outlet, DateTimeOffset Published);

/// <summary>Picks a story's key lines. Backends: extractive (default, offline) and a chat model.</summary>
internal interface IKeyLineExtractor
{
    ValueTask<IReadOnlyList<KeyLine>> ExtractAsync(IReadOnlyList<SourceText> sources, int maxLines, CancellationToken cancellationToken);
}
