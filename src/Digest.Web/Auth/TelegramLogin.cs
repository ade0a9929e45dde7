using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Digest.Web.Auth;

/// <summary>A Telegram user as the Login Widget vouches for them.</summary>
internal sealed record TelegramLoginUser(long Id, string DisplayName, string? Username);

/// <summary>
/// Checks a Telegram Login Widget answer (<c>id, first_name, last_name, username, photo_url, auth_date, hash</c>): the
/// hash is the hex HMAC-SHA256 of the data-check-string (every other field as <c>key=value</c>, sorted by key, joined by
/// line feeds) with SHA-256 of the bot token as the key; <c>auth_date</c> must be within <see cref="MaxAge"/>.
/// </summary>
internal static class TelegramLogin
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    /// <summary>How far ahead of our clock an <c>auth_date</c> may be (the two clocks differ a little).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "id", "first_name", "last_name", "username", "photo_url", "auth_date" };

    public static (TelegramLoginUser? User, string? Refusal) Verify(IEnumerable<KeyValuePair<string, string>> query, string botToken, DateTimeOffset now)
    {
        var fields = query.Where(p => Fields.Contains(p.Key) || p.Key == "hash").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (!fields.TryGetValue("hash", out var hash) || !fields.TryGetValue("id", out var idText) || !fields.TryGetValue("auth_date", out var dateText))
        {
            return (null, "the login is incomplete: it needs id, auth_date and hash from Telegram");
        }

        var checkString = string.Join('\n', fields.Where(p => p.Key != "hash").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        var expected = Sign(checkString, botToken);
        byte[] given;
        try
        {
            given = Convert.FromHexString(hash);
        }
        catch (FormatException)
        {
            return (null, "the login's signature is not valid: it was not made by Telegram for this bot");
        }

        if (!CryptographicOperations.FixedTimeEquals(given, expected))
        {
            return (null, "the login's signature is not valid: it was not made by Telegram for this bot");
        }

        if (!long.TryParse(dateText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 100_000_000_000
            || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return (null, "the login is malformed");
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (now - at > MaxAge || at - now > Skew)
        {
            return (null, "the login is too old (more than a day): log in with Telegram again");
        }

        var name = string.Join(' ', new[] { fields.GetValueOrDefault("first_name"), fields.GetValueOrDefault("last_name") }.Where(n => !string.IsNullOrWhiteSpace(n)));
        var username = fields.GetValueOrDefault("username");
        return (new TelegramLoginUser(id, name.Length > 0 ? name : username ?? idText, username), null);
    }

    /// <summary>The widget's hash of a data-check-string; tests sign logins with it as Telegram would.</summary>
    public static byte[] Sign(string dataCheckString, string botToken) =>
        HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(botToken)), Encoding.UTF8.GetBytes(dataCheckString));
}
