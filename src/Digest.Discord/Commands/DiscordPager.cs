using System.Globalization;
using Digest.Core.Commands;
using Digest.Discord.Messages;

namespace Digest.Discord.Commands;

/// <summary>A pager button's request: run <see cref="Command"/> with <see cref="Argument"/> at <see cref="Page"/>.</summary>
internal sealed record PageRequest(string Command, string Argument, int Page);

/// <summary>
/// Pager buttons' custom ids, within Discord's 100 characters: <c>pg|latest|2|5</c>. A long argument (a long search) is
/// kept in memory under a short key instead (<c>pk|search|2|17</c>); after a restart such a button answers that the
/// list expired.
/// </summary>
internal sealed class DiscordPager
{
    private const int Remembered = 1000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, string> arguments = [];
    private readonly Queue<string> order = new();
    private long next;

    /// <summary>Previous and next buttons for the pager; none when there is only one page.</summary>
    public IReadOnlyList<DiscordButton> Buttons(ReplyPager pager)
    {
        var buttons = new List<DiscordButton>();
        if (pager.HasPrevious)
        {
            buttons.Add(new DiscordButton("« Previous", Encode(pager, pager.Page - 1)));
        }

        if (pager.HasNext)
        {
            buttons.Add(new DiscordButton("Next »", Encode(pager, pager.Page + 1)));
        }

        return buttons;
    }

    public string Encode(ReplyPager pager, int page)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"pg|{pager.Command}|{page}|{pager.Argument}");
        if (id.Length <= DiscordButton.MaxCustomId)
        {
            return id;
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

            return string.Create(CultureInfo.InvariantCulture, $"pk|{pager.Command}|{page}|{key}");
        }
    }

    /// <summary>The page a button asks for; null for ids this bot did not write or a remembered argument that is gone.</summary>
    public PageRequest? Decode(string? customId)
    {
        var parts = customId?.Split('|', 4);
        if (parts is not [var kind and ("pg" or "pk"), var command, var pageText, var argument]
            || !int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var page))
        {
            return null;
        }

        if (kind == "pk")
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
