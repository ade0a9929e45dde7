using System.Globalization;

namespace Digest.Core.Commands;

/// <summary>A pager button's request: run <see cref="Command"/> with <see cref="Argument"/> at <see cref="Page"/>.</summary>
internal sealed record PageRequest(string Command, string Argument, int Page);

/// <summary>
/// Pager buttons' data within a platform's limit (<paramref name="fits"/>): <c>{plain}|latest|2|5</c>. A long argument (a
/// long search) is kept in memory under a short key instead (<c>{keyed}|search|2|17</c>); after a restart such a button
/// finds nothing and the adapter says the list expired. Only the commands that page are ever decoded: a client can send any
/// data with a button press, and data naming another command (<c>alerts|0|add …</c>) would run it in place of a page.
/// </summary>
internal sealed class PagerTokens(Func<string, bool> fits, string plain, string keyed)
{
    private const int Remembered = 1000;

    private static readonly string[] Paged = ["latest", "search"];

    private readonly Lock gate = new();
    private readonly Dictionary<string, string> arguments = [];
    private readonly Queue<string> order = new();
    private long next;

    public string Encode(ReplyPager pager, int page)
    {
        var data = string.Create(CultureInfo.InvariantCulture, $"{plain}|{pager.Command}|{page}|{pager.Argument}");
        if (fits(data))
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

            return string.Create(CultureInfo.InvariantCulture, $"{keyed}|{pager.Command}|{page}|{key}");
        }
    }

    /// <summary>The page a button asks for; null for data this bot did not write or a remembered argument that is gone.</summary>
    public PageRequest? Decode(string? data)
    {
        var parts = data?.Split('|', 4);
        if (parts is not [var kind, var command, var pageText, var argument] || (kind != plain && kind != keyed) || !Paged.Contains(command)
            || !int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var page))
        {
            return null;
        }

        if (kind == keyed)
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
