using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Digest.Core.Summarization;

/// <summary>The <c>Summarization</c> section: fetching full article text, and the optional chat-model backend.</summary>
internal sealed class SummarizationOptions
{
    public const string SectionName = "Summarization";

    [ValidateObjectMembers]
    public FullTextOptions FullText { get; set; } = new();

    [ValidateObjectMembers]
    public LlmOptions Llm { get; set; } = new();
}

/// <summary><c>Summarization:FullText</c>: fetch the article page of a relevant item whose feed carries only a teaser.</summary>
internal sealed class FullTextOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Feeds (by name, as <c>/feeds list</c> shows them) whose articles are never fetched: the per-feed switch.</summary>
    public List<string> ExcludeFeeds { get; set; } = [];

    /// <summary>Feed text shorter than this many characters counts as a teaser; longer text is used as it is.</summary>
    [Range(0, 1_000_000)]
    public int TeaserChars { get; set; } = 600;

    /// <summary>How many articles (or failures) are remembered in memory, so a story refresh doesn't fetch them again.</summary>
    [Range(1, 100_000)]
    public int CacheEntries { get; set; } = 512;

    /// <summary>A page whose elements nest deeper than this is not read (the extractor's cost grows with depth); real pages nest fewer than 100.</summary>
    [Range(16, 4096)]
    public int MaxDepth { get; set; } = 512;

    /// <summary>A page with more elements than this is not read.</summary>
    [Range(1000, 10_000_000)]
    public int MaxElements { get; set; } = 100_000;
}

/// <summary><c>Summarization:Llm</c>: an OpenAI-compatible chat endpoint that writes key lines; off by default.</summary>
internal sealed class LlmOptions : IValidatableObject
{
    public bool Enabled { get; set; }

    /// <summary>The API base, e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:11434/v1</c>.</summary>
    public Uri? Endpoint { get; set; }

    public string? Model { get; set; }

    /// <summary>From the environment (<c>DIGEST_Summarization__Llm__ApiKey</c>) or user-secrets, never from a committed file.</summary>
    public string? ApiKey { get; set; }

    /// <summary>After this long the extractive lines are used instead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (Endpoint is not { IsAbsoluteUri: true } || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("must be an http(s) URL when Summarization:Llm:Enabled is true", [nameof(Endpoint)]);
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            yield return new ValidationResult("is required when Summarization:Llm:Enabled is true", [nameof(Model)]);
        }
    }
}
