using System.Globalization;
using System.Text;
using Digest.Core.Commands;

namespace Digest.Telegram;

/// <summary>A pager button's request: run <see cref="Command"/> with <see cref="Argument"/> at <see cref="Page"/>.</summary>
internal sealed record PageRequest(string Command, string Argument, int Page);

/// <summary>
/// Pager buttons' callback data, within Telegram's 64 bytes: <c>p|latest|2|5</c>. A long argument (a long search) is kept
/// in memory under a short key instead (<c>k|search|2|17</c>); after a restart such a button answers that the list expired.
/// </summary>
internal sealed class TelegramCallbacks
{
    public const int MaxBytes = 64;
    private const int Remembered = 1000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, string> arguments = [];
    private readonly Queue<string> order = new();
    private long next;

    public string Encode(ReplyPager pager, int page)
    {
        var data = string.Create(CultureInfo.InvariantCulture, $"p|{pager.Command}|{page}|{pager.Argument}");
        if (Encoding.UTF8.GetByteCount(data) <= MaxBytes)
        {
            return data;
        }

        lock (gate)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{next++}");
            arguments[key] = pager.Argument;
            order.Enqueue(key);
            while (order.Count > Remembered)
            {
                arguments.Remove(order.Dequeue());
            }

            return string.Create(CultureInfo.InvariantCulture, $"k|{pager.Command}|{page}|{key}");
        }
    }

    /// <summary>The page a button asks for; null for data this bot did not write or a remembered argument that is gone.</summary>
    public PageRequest? Decode(string? data)
    {
        var parts = data?.Split('|', 4);
        if (parts is not [var kind and ("p" or "k"), var command, var pageText, var argument] || !int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var page))
        {
            return null;
        }

        if (kind == "k")
        {
            lock (gate)
            {
                if (!arguments.TryGetValue(argument, out var remembered))
                {
                    return null;
                }

                argument = remembered;
            }
        }

        return new PageRequest(command, argument, page);
    }
}
