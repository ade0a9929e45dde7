using Digest.Core.Storage;

namespace Digest.Core.Commands;

/// <summary>What the caller may do in this chat. Private chats are their own moderators.</summary>
internal enum CallerRights
{
    Member,
    Moderator,
}

/// <summary>Who asked: the platform's user id, a display name, and the address of a private channel to them (for /subscribe and alerts).</summary>
internal sealed record CommandCaller(string UserId, string DisplayName, string PrivateAddress);

/// <summary>The schedule and time zone (IANA id) of channels a command creates, as the adapter configures them.</summary>
internal sealed record ChannelDefaults(string Schedule, string TimeZone);

/// <summary>
/// One command, platform-neutral: parsed by an adapter from a Telegram message or a Discord interaction, handled once by
/// <see cref="CommandDispatcher"/>. <see cref="Channel"/> is the chat it came from (the adapter ensures it);
/// <see cref="CommunityId"/> owns feeds and topic settings (<c>telegram:{group id}</c>, <c>discord:{guild id}</c>);
/// <see cref="Page"/> is 0 except when a pager button asks for another page; <see cref="Attachment"/> is the text of a
/// file sent with the command (an OPML file for <c>/feeds import</c>).
/// </summary>
internal sealed record CommandRequest(
    string Name,
    string Arguments,
    CommandCaller Caller,
    string CommunityId,
    ChannelRecord Channel,
    CallerRights Rights,
    ChannelDefaults Defaults,
    int Page = 0,
    string? Attachment = null);

/// <summary>One block of a reply — a story, a search hit, a feed — kept whole when an adapter splits a long reply.</summary>
internal sealed record ReplyEntry(string Title, string? Url, string? Meta, IReadOnlyList<string> Lines);

/// <summary>Paging for a reply: the adapter shows previous/next buttons that re-run <see cref="Command"/> with <see cref="Argument"/> at another page.</summary>
internal sealed record ReplyPager(string Command, string Argument, int Page, bool HasNext)
{
    public bool HasPrevious => Page > 0;
}

/// <summary>A file to send with the reply (the OPML export).</summary>
internal sealed record ReplyFile(string FileName, string MediaType, string Content);

/// <summary>
/// The one reply model every adapter renders: plain text (adapters escape it), then entries, optional paging and a file.
/// <see cref="Refused"/> marks bad input or a command the caller may not use: nothing was changed; <see cref="Private"/>
/// a reply for the caller's eyes only.
/// </summary>
internal sealed record CommandReply(string Text, IReadOnlyList<ReplyEntry> Entries, ReplyPager? Pager = null, ReplyFile? File = null, bool Refused = false)
{
    /// <summary>
    /// Only for the member who asked (their alerts, their subscription): adapters answer privately — Telegram in a direct
    /// message (or, when the bot may not write to them yet, a link to start one), Discord ephemerally.
    /// </summary>
    public bool Private { get; init; }

    public static CommandReply Say(string text) => new(text, []);

    public static CommandReply Refuse(string text) => new(text, [], Refused: true);
}
