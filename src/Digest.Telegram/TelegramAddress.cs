using System.Globalization;

namespace Digest.Telegram;

/// <summary>A channel address on Telegram: <c>chatId</c>, or <c>chatId:threadId</c> for a forum topic.</summary>
internal readonly record struct TelegramAddress(long ChatId, int? ThreadId)
{
    public const string Platform = "telegram";

    public static TelegramAddress Parse(string address)
    {
        var colon = address.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? new TelegramAddress(long.Parse(address, CultureInfo.InvariantCulture), null)
            : new TelegramAddress(long.Parse(address.AsSpan(0, colon), CultureInfo.InvariantCulture), int.Parse(address.AsSpan(colon + 1), CultureInfo.InvariantCulture));
    }

    public override string ToString() => ThreadId is { } thread
        ? string.Create(CultureInfo.InvariantCulture, $"{ChatId}:{thread}")
        : ChatId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Feeds and topic settings belong to the chat (a group), whatever topic a command came from.</summary>
    public static string Community(long chatId) => string.Create(CultureInfo.InvariantCulture, $"telegram:{chatId}");
}
