using System.ComponentModel.DataAnnotations;

namespace Digest.Core.Feeds;

/// <summary>The <c>Feeds</c> section: which feeds to poll and how politely.</summary>
internal sealed class FeedsOptions : IValidatableObject
{
    public const string SectionName = "Feeds";

    /// <summary>Feeds from configuration: URLs, <c>file:</c> URIs or paths (relative to the config folder).</summary>
    public List<FeedSourceOptions> Sources { get; set; } = [];

    /// <summary>An OPML file whose outlines are polled as well (relative to the config folder).</summary>
    public string? Opml { get; set; }

    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    [Range(1024, 100 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Elements nested deeper than this refuse a feed ("element nesting deeper than 256"); real feeds nest fewer than 20.</summary>
    [Range(16, 4096)]
    public int MaxDepth { get; set; } = 256;

    /// <summary>Parsing one feed longer than this refuses it; the fetch timeout does not cover parsing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ParseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 64)]
    public int PerHostConcurrency { get; set; } = 2;

    [Range(1, 256)]
    public int GlobalConcurrency { get; set; } = 8;

    /// <summary>Lets feeds reach loopback, private, link-local and metadata addresses. Off: moderators can't point the bot at the host's network.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>After this many failures in a row a feed is paused, with the last error kept as the reason.</summary>
    [Range(1, 1000)]
    public int PauseAfterFailures { get; set; } = 8;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromHours(6);

    [Required(AllowEmptyStrings = false)]
    public string UserAgent { get; set; } = "DigestBot/1.0 (self-hosted news digest; +https://github.com/digest-bot/digest)";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Sources.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Sources[i].Url))
            {
                yield return new ValidationResult("every feed needs a Url", [$"Sources:{i}:Url"]);
            }
            else if (Uri.TryCreate(Sources[i].Url, UriKind.Absolute, out var url) && url.Scheme is not ("http" or "https" or "file"))
            {
                // A path that does not exist yet may appear later (a mounted volume): only a URL of another kind is sure to fail.
                yield return new ValidationResult($"'{SafeUrl.Redact(Sources[i].Url)}' is not an http(s) URL, a file: URI or a path", [$"Sources:{i}:Url"]);
            }

            if (Sources[i].Interval is { } interval && (interval < TimeSpan.FromSeconds(10) || interval > TimeSpan.FromDays(7)))
            {
                yield return new ValidationResult("must be between 00:00:10 and 7.00:00:00", [$"Sources:{i}:Interval"]);
            }
        }
    }
}

internal sealed class FeedSourceOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Url { get; set; } = "";

    public string? Name { get; set; }

    public TimeSpan? Interval { get; set; }
}
