namespace Digest.Core.Items;

/// <summary>One spelling per link: tracking parameters and the fragment removed, scheme and host lower-case, default port dropped.</summary>
internal static class CanonicalUrl
{
    private static readonly HashSet<string> Tracking = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc", "_hsmi", "ocid", "cmpid", "smid",
    };

    /// <returns>The canonical absolute URL, or null when <paramref name="link"/> is not an http(s) link.</returns>
    public static string? Normalize(string? link, Uri? baseUri = null)
    {
        if (string.IsNullOrWhiteSpace(link))
        {
            return null;
        }

        link = link.Trim();
        Uri? uri;
        if (!Uri.TryCreate(link, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            if (baseUri is null || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps) || !Uri.TryCreate(baseUri, link, out uri))
            {
                return null;
            }
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        var query = uri.Query.TrimStart('?');
        var kept = query.Length == 0
            ? []
            : query.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p =>
            {
                var name = p.Split('=', 2)[0];
                return !name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) && !Tracking.Contains(name);
            }).ToArray();

        var builder = new UriBuilder(uri)
        {
            Scheme = uri.Scheme.ToLowerInvariant(),
            Host = uri.Host.ToLowerInvariant(),
            Port = uri.IsDefaultPort ? -1 : uri.Port,
            Fragment = "",
            Query = string.Join('&', kept),

            // Credentials in an item's link would be shown in chat: a link to read is never one to log in with.
            UserName = "",
            Password = "",
        };
        return builder.Uri.AbsoluteUri;
    }
}
