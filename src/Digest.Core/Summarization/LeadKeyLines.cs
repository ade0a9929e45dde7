using System.Text.RegularExpressions;

namespace Digest.Core.Summarization;

/// <summary>The first sentences of the first source: the baseline every news summarizer is measured against.</summary>
public sealed partial class LeadKeyLines : IKeyLineExtractor
{
    public ValueTask<IReadOnlyList<KeyLine>> ExtractAsync(IReadOnlyList<SourceText> sources, int maxLines, CancellationToken cancellationToken)
    {
        var lines = sources.Take(1)
            .SelectMany(s => SentenceEnd().Split(s.Text))
            .Select(s => s.Trim())
            .Where(s => s.Length > 20)
            .Take(maxLines)
            .Select(s => new KeyLine(s, null))
            .ToList();
        return ValueTask.FromResult<IReadOnlyList<KeyLine>>(lines);
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z""“])")]
    private static partial Regex SentenceEnd();
}
