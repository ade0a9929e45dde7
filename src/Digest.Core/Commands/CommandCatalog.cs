namespace Digest.Core.Commands;

/// <summary>A command as /help and the platforms' command menus list it.</summary>
internal sealed record CommandInfo(string Name, string Usage, string Description, CallerRights Access);

/// <summary>Every command the bot understands, in the order /help shows them.</summary>
internal static class CommandCatalog
{
    public static readonly IReadOnlyList<CommandInfo> All =
    [
        new("help", "/help", "What I can do", CallerRights.Member),
        new("latest", "/latest [n]", "The newest stories", CallerRights.Member),
        new("digest", "/digest [preview | quiet on|off]", "The digest for this chat, now; preview: what the next one would carry", CallerRights.Member),
        new("search", "/search <words>", "Search stored articles", CallerRights.Member),
        new("story", "/story <id>", "A story with all its sources and key lines", CallerRights.Member),
        new("status", "/status", "Feed health, last and next digest", CallerRights.Member),
        new("subscribe", "/subscribe", "Get the digest in a private chat", CallerRights.Member),
        new("unsubscribe", "/unsubscribe", "Stop the private digest", CallerRights.Member),
        new("alerts", "/alerts add|remove <phrase>, /alerts list", "Private alerts when a story matches a phrase", CallerRights.Member),
        new("feeds", "/feeds add <url> [name] | remove <id> | mute <id> | unmute <id> | list | import [url] | export", "Manage this community's feeds", CallerRights.Moderator),
        new("topic", "/topic show | include <phrase> | exclude <phrase> | remove <phrase> | threshold <0..1|off>", "Tune what counts as on-topic here", CallerRights.Moderator),
        new("schedule", "/schedule daily 08:00 [zone] | weekdays 07:30 | weekly mon 09:00 | every 6h | off", "When this chat gets its digest", CallerRights.Moderator),
        new("feedback", "/feedback <story> good|bad", "Tell the classifier whether a story belongs", CallerRights.Moderator),
        new("webhook", "/webhook bind <url> | unbind", "Discord: post this channel's digest through a webhook", CallerRights.Moderator),
    ];

    public static CommandInfo? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
