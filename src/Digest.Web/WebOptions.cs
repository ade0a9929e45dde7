using System.ComponentModel.DataAnnotations;
using Digest.Core;

namespace Digest.Web;

/// <summary>The <c>Web</c> section: where the bot's one web host listens, and what it exports.</summary>
internal sealed class WebOptions : IValidatableObject
{
    public const string SectionName = "Web";

    public const string DefaultUrls = "http://localhost:8080";

    /// <summary>
    /// Where the host listens: one or more http(s) URLs separated by <c>;</c> (<c>http://0.0.0.0:8080</c>, <c>http://+:8080</c>;
    /// <c>http://127.0.0.1:0</c> picks a free port). TLS is best ended at a reverse proxy in front.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>The site's public address (<c>https://digest.example.org</c>) for absolute links in feeds and login
    /// redirects, when a proxy in front changes it. Empty: each request's own scheme and host.</summary>
    [HttpUrl]
    public string? PublicUrl { get; set; }

    /// <summary>The Discord application's OAuth2 client id (its Application ID), for moderators' Discord login.</summary>
    public string? DiscordClientId { get; set; }

    /// <summary>The OAuth2 client secret (DIGEST_Web__DiscordClientSecret; never in a committed file). Both set: Discord login is offered.</summary>
    public string? DiscordClientSecret { get; set; }

    /// <summary>Where a moderator is sent to approve the Discord login.</summary>
    [HttpUrl]
    public string DiscordAuthorizeUrl { get; set; } = "https://discord.com/oauth2/authorize";

    /// <summary>How long a login session lasts without use.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Where the keys that protect session cookies are kept; workers behind one address must share it. Empty: the user profile's default.</summary>
    public string? KeysDirectory { get; set; }

    /// <summary>An OpenTelemetry collector (<c>http://collector:4317</c>): traces of the web requests go there. Empty: no traces.</summary>
    [HttpUrl]
    public string? OtlpEndpoint { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var url in SplitUrls(Urls))
        {
            if (Problem(url) is { } problem)
            {
                yield return new ValidationResult($"'{url}' {problem}", [nameof(Urls)]);
            }
        }

        if (KeysDirectory is { Length: > 0 } keys && KeysProblem(keys) is { } keysProblem)
        {
            yield return new ValidationResult(keysProblem, [nameof(KeysDirectory)]);
        }
    }

    /// <summary>
    /// Data protection creates the folder only when it first writes a key, and then only logs its failure: the bot would
    /// run with sessions nobody can log in to. So the folder is made here, at start.
    /// </summary>
    private static string? KeysProblem(string keys)
    {
        if (File.Exists(keys))
        {
            return $"{keys} is a file; the keys need a folder";
        }

        try
        {
            Directory.CreateDirectory(keys);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot create the folder {keys} ({e.Message})";
        }
    }

    public static IReadOnlyList<string> SplitUrls(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Problem(string url)
    {
        // Kestrel's wildcard hosts (+, *) are not host names to Uri; a stand-in keeps the rest of the check.
        var parsed = url.Replace("://+", "://any", StringComparison.Ordinal).Replace("://*", "://any", StringComparison.Ordinal);
        if (!Uri.TryCreate(parsed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "is not an http:// or https:// URL (for example http://localhost:8080)";
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            return "must not carry a path (the bot serves its pages from /)";
        }

        return uri.Port == 0 && uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns
            ? "asks for a free port on localhost, which Kestrel cannot do; use http://127.0.0.1:0"
            : null;
    }
}
