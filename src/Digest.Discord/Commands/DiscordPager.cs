using Digest.Core.Commands;
using Digest.Discord.Messages;

namespace Digest.Discord.Commands;

/// <summary>Pager buttons' custom ids, within Discord's 100 characters (see <see cref="PagerTokens"/>).</summary>
internal sealed class DiscordPager
{
    private readonly PagerTokens tokens = new(id => id.Length <= DiscordButton.MaxCustomId, "pg", "pk");

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

    public string Encode(ReplyPager pager, int page) => tokens.Encode(pager, page);

    /// <summary>The page a button asks for; null for ids this bot did not write or a remembered argument that is gone.</summary>
    public PageRequest? Decode(string? customId) => tokens.Decode(customId);
}
