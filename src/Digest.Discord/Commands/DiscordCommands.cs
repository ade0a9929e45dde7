using System.Text.Json;
using Digest.Core.Commands;

namespace Digest.Discord.Commands;

/// <summary>A slash command as the bulk-overwrite endpoint takes it (and, normalized, as the list endpoint returns it).</summary>
internal sealed record CommandDefinition(
    string Name,
    string Description,
    IReadOnlyList<OptionDefinition>? Options = null,
    string? DefaultMemberPermissions = null,
    IReadOnlyList<int>? Contexts = null,
    IReadOnlyList<int>? IntegrationTypes = null)
{
    public int Type { get; init; } = 1;
}

internal sealed record OptionDefinition(
    int Type,
    string Name,
    string Description,
    bool? Required = null,
    bool? Autocomplete = null,
    IReadOnlyList<ChoiceDefinition>? Choices = null,
    IReadOnlyList<OptionDefinition>? Options = null,
    double? MinValue = null,
    double? MaxValue = null);

internal sealed record ChoiceDefinition(string Name, string Value);

/// <summary>
/// Digest's slash commands, as data. Moderator commands are hidden from members without Manage Server
/// (default_member_permissions "32"); the adapter re-checks the caller's permissions on every use anyway.
/// </summary>
internal static class DiscordCommands
{
    public const string ManageGuildPermission = "32";

    private const int SubCommand = 1, String = 3, Integer = 4;
    private static readonly int[] GuildOnly = [0];
    private static readonly int[] GuildInstall = [0];

    public static readonly IReadOnlySet<string> ModeratorCommands = new HashSet<string>(StringComparer.Ordinal) { "feeds", "topic", "schedule", "feedback", "webhook" };

    /// <summary>A member's own settings: answered ephemerally, so the channel never sees someone's alert phrases.</summary>
    public static readonly IReadOnlySet<string> PrivateCommands = new HashSet<string>(StringComparer.Ordinal) { "subscribe", "unsubscribe", "alerts" };

    public static readonly IReadOnlyList<CommandDefinition> All =
    [
        Member("help", "How to use Digest"),
        Member("latest", "The latest stories", Opt(Integer, "n", $"How many stories (1-{ReadCommands.LatestMax})", minValue: 1, maxValue: ReadCommands.LatestMax)),
        Member("digest", "The digest since this channel's last one",
            Opt(String, "action", "preview: what the next digest would carry; quiet on/off: a line when nothing is new", choices:
                [new("now", "now"), new("preview", "preview"), new("quiet on", "quiet on"), new("quiet off", "quiet off")])),
        Member("search", "Search stories", Opt(String, "words", "Words to look for", required: true)),
        Member("story", "One story with its sources", Opt(String, "id", "Story id", required: true, autocomplete: true)),
        Member("status", "Feeds, schedule and delivery status of this channel"),
        Member("subscribe", "Subscribe to the digest"),
        Member("unsubscribe", "Stop your digest subscription"),
        Member("alerts", "Alerts when a phrase appears in the news",
            Sub("add", "Alert me when this phrase appears", Opt(String, "phrase", "Words to watch for", required: true)),
            Sub("remove", "Stop an alert", Opt(String, "phrase", "The alert's phrase", required: true, autocomplete: true)),
            Sub("list", "Your alerts")),
        Moderator("feeds", "Manage the feeds",
            Sub("add", "Add a feed", Opt(String, "url", "Feed URL (RSS, Atom or JSON Feed)", required: true), Opt(String, "name", "Display name")),
            Sub("remove", "Remove a feed", Opt(String, "feed", "Feed name", required: true, autocomplete: true)),
            Sub("mute", "Keep a feed's items out of this server's digests", Opt(String, "feed", "Feed name", required: true, autocomplete: true)),
            Sub("unmute", "Let a muted feed's items back in", Opt(String, "feed", "Feed name", required: true, autocomplete: true)),
            Sub("list", "List the feeds"),
            Sub("import", "Import feeds from an OPML file", Opt(String, "url", "OPML URL", required: true)),
            Sub("export", "Export the feeds as OPML")),
        Moderator("topic", "What counts as on-topic",
            Sub("show", "Show the topic profile"),
            Sub("include", "Count stories with this phrase", Opt(String, "phrase", "Phrase", required: true)),
            Sub("exclude", "Drop stories with this phrase", Opt(String, "phrase", "Phrase", required: true)),
            Sub("remove", "Take a phrase off both lists", Opt(String, "phrase", "Phrase", required: true)),
            Sub("threshold", "Relevance threshold", Opt(String, "value", "From 0 to 1 (such as 0.6), or off", required: true))),
        Moderator("schedule", "When this channel gets its digest",
            Opt(String, "expression", "daily 08:00 Europe/Kyiv, weekdays 07:30, weekly mon 09:00, every 6h, off, or cron")),
        Moderator("feedback", "Tell Digest whether a story belonged",
            Opt(String, "story", "Story id", required: true, autocomplete: true),
            Opt(String, "verdict", "Was it on topic?", required: true, choices: [new("good", "good"), new("bad", "bad")])),
        Moderator("webhook", "Post digests through a webhook",
            Sub("bind", "Post through this webhook", Opt(String, "url", "Webhook URL", required: true)),
            Sub("unbind", "Post as the bot again")),
    ];

    /// <summary>A command as compared with what Discord has: defaults and ids dropped, so equal means "nothing to update".</summary>
    public static string Canonical(IEnumerable<CommandDefinition> commands) => JsonSerializer.Serialize(
        commands.Select(c => c with { Options = Normalize(c.Options) }).OrderBy(c => c.Name, StringComparer.Ordinal),
        DiscordJson.Options);

    private static List<OptionDefinition>? Normalize(IReadOnlyList<OptionDefinition>? options) => options is { Count: > 0 }
        ? [.. options.Select(o => o with
        {
            Required = o.Required == true ? true : null,
            Autocomplete = o.Autocomplete == true ? true : null,
            Choices = o.Choices is { Count: > 0 } ? o.Choices : null,
            Options = Normalize(o.Options),
        })]
        : null;

    private static CommandDefinition Member(string name, string description, params OptionDefinition[] options) =>
        new(name, description, options.Length > 0 ? options : null, null, GuildOnly, GuildInstall);

    private static CommandDefinition Moderator(string name, string description, params OptionDefinition[] options) =>
        new(name, description, options.Length > 0 ? options : null, ManageGuildPermission, GuildOnly, GuildInstall);

    private static OptionDefinition Sub(string name, string description, params OptionDefinition[] options) =>
        new(SubCommand, name, description, Options: options.Length > 0 ? options : null);

    private static OptionDefinition Opt(int type, string name, string description, bool required = false, bool autocomplete = false,
        IReadOnlyList<ChoiceDefinition>? choices = null, double? minValue = null, double? maxValue = null) =>
        new(type, name, description, required ? true : null, autocomplete ? true : null, choices, null, minValue, maxValue);
}
