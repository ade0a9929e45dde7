using System.Text;
using Digest.Core.Commands;

namespace Digest.Telegram;

/// <summary>Pager buttons' callback data, within Telegram's 64 bytes (see <see cref="PagerTokens"/>).</summary>
internal sealed class TelegramCallbacks
{
    public const int MaxBytes = 64;

    private readonly PagerTokens tokens = new(data => Encoding.UTF8.GetByteCount(data) <= MaxBytes, "p", "k");

    public string Encode(ReplyPager pager, int page) => tokens.Encode(pager, page);

    public PageRequest? Decode(string? data) => tokens.Decode(data);
}
