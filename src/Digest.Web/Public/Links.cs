namespace Digest.Web.Public;

/// <summary>Links that came from feeds, made safe to put in an href, and the site's own absolute addresses.</summary>
internal static class Links
{
    /// <summary>The link when it is http(s); otherwise "#" (a feed could carry <c>javascript:</c>).</summary>
    public static string Safe(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : "#";

    /// <summary>The site's base address: <c>Web:PublicUrl</c> when set (behind a proxy), else the request's own.</summary>
    public static Uri Base(Microsoft.AspNetCore.Http.HttpRequest request, string? publicUrl) =>
        publicUrl is { Length: > 0 } configured
            ? new Uri(configured.TrimEnd('/') + "/")
            : new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");
}
