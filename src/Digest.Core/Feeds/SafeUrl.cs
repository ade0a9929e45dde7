using System.Text.RegularExpressions;

namespace Digest.Core.Feeds;

/// <summary>
/// Credentials in a URL (<c>https://user:secret@host/feed</c>) are for fetching only: every place that shows a URL —
/// replies, logs, standard error, <c>status</c>, <c>/feeds list</c> and <c>/feeds export</c> — shows it through here.
/// </summary>
internal static partial class SafeUrl
{
    /// <summary>The URL with its user information replaced by <c>***</c>; anything else as it is.</summary>
    public static string Redact(string? url) => url is null ? "" : RedactIn(url);

    /// <summary>Every URL in a message (an error that quotes an address) with its user information replaced.</summary>
    public static string RedactIn(string text) => text.Contains('@', StringComparison.Ordinal) ? UserInfo().Replace(text, "${scheme}***@") : text;

    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s@]+@")]
    private static partial Regex UserInfo();
}
