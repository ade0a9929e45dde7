using System.Globalization;
using System.Text.Json;
using Digest.Discord.Messages;

namespace Digest.Discord.Interactions;

/// <summary>
/// A slash command, an autocomplete request or a button press, parsed from Discord's interaction object. Options are
/// typed: string, long (integer), double (number), bool; users, channels and roles come as their id strings. A button
/// press has <see cref="CustomId"/> set and its custom id as <see cref="Command"/>.
/// </summary>
internal sealed record DiscordInteraction(
    string Id,
    string ApplicationId,
    bool IsAutocomplete,
    string Command,
    string? SubcommandGroup,
    string? Subcommand,
    IReadOnlyDictionary<string, object> Options,
    string? FocusedOption,
    string? GuildId,
    string? ChannelId,
    string UserId,
    string? MemberPermissions)
{
    public const ulong Administrator = 0x8;
    public const ulong ManageGuild = 0x20;

    /// <summary>The token to answer with; a secret for 15 minutes, so it is kept out of <c>ToString</c>.</summary>
    internal string Token { get; init; } = "";

    /// <summary>The pressed button's custom_id (a message component interaction, type 3); null for commands.</summary>
    public string? CustomId { get; init; }

    public bool IsComponent => CustomId is not null;

    /// <summary>The member's display name: server nickname, else global name, else username.</summary>
    public string UserName { get; init; } = "";

    /// <summary>Manage Server or Administrator, from the member's permissions in this channel (a decimal string).</summary>
    public bool IsModerator => ulong.TryParse(MemberPermissions, NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
        && (bits & (ManageGuild | Administrator)) != 0;

    public string? GetString(string name) => Options.TryGetValue(name, out var value) ? value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    public long? GetInteger(string name) => Options.TryGetValue(name, out var value) && value is long number ? number : null;

    public double? GetNumber(string name) => Options.TryGetValue(name, out var value) ? value switch { double d => d, long l => l, _ => null } : null;

    public bool? GetBoolean(string name) => Options.TryGetValue(name, out var value) && value is bool flag ? flag : null;

    internal const int PingType = 1;
    internal const int ApplicationCommandType = 2;
    internal const int ComponentType = 3;
    internal const int AutocompleteType = 4;

    /// <summary>A command (type 2), button press (type 3) or autocomplete (type 4) interaction; null for anything else (modals).</summary>
    internal static DiscordInteraction? Parse(JsonElement json)
    {
        var type = json.GetProperty("type").GetInt32();
        if (type is not (ApplicationCommandType or ComponentType or AutocompleteType) || !json.TryGetProperty("data", out var data))
        {
            return null;
        }

        var customId = type == ComponentType ? Text(data, "custom_id") : null;
        if (type == ComponentType && customId is null)
        {
            return null;
        }

        string? group = null, subcommand = null, focused = null;
        var options = new Dictionary<string, object>(StringComparer.Ordinal);
        var level = data;
        while (level.TryGetProperty("options", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            JsonElement? nested = null;
            foreach (var option in list.EnumerateArray())
            {
                var name = option.GetProperty("name").GetString()!;
                switch (option.GetProperty("type").GetInt32())
                {
                    case 2:
                        group = name;
                        nested = option;
                        break;
                    case 1:
                        subcommand = name;
                        nested = option;
                        break;
                    default:
                        if (option.TryGetProperty("value", out var value) && Value(option.GetProperty("type").GetInt32(), value) is { } typed)
                        {
                            options[name] = typed;
                        }

                        if (option.TryGetProperty("focused", out var isFocused) && isFocused.ValueKind == JsonValueKind.True)
                        {
                            focused = name;
                        }

                        break;
                }
            }

            if (nested is null)
            {
                break;
            }

            level = nested.Value;
        }

        var member = json.TryGetProperty("member", out var m) && m.ValueKind == JsonValueKind.Object ? m : (JsonElement?)null;
        var user = member is { } mm && mm.TryGetProperty("user", out var mu) ? mu : json.TryGetProperty("user", out var u) ? u : default;
        return new DiscordInteraction(
            json.GetProperty("id").GetString()!,
            json.GetProperty("application_id").GetString()!,
            type == AutocompleteType,
            customId ?? data.GetProperty("name").GetString()!,
            group,
            subcommand,
            options,
            focused,
            Text(json, "guild_id"),
            Text(json, "channel_id") ?? (json.TryGetProperty("channel", out var channel) ? Text(channel, "id") : null),
            user.ValueKind == JsonValueKind.Object ? Text(user, "id") ?? "" : "",
            member is { } p ? Text(p, "permissions") : null)
        {
            Token = json.GetProperty("token").GetString()!,
            CustomId = customId,
            UserName = (member is { } named ? Text(named, "nick") : null)
                ?? (user.ValueKind == JsonValueKind.Object ? Text(user, "global_name") ?? Text(user, "username") : null)
                ?? "",
        };
    }

    private static object? Value(int type, JsonElement value) => (type, value.ValueKind) switch
    {
        (4, JsonValueKind.Number) when value.TryGetInt64(out var integer) => integer,
        (10, JsonValueKind.Number) => value.GetDouble(),
        (5, JsonValueKind.True or JsonValueKind.False) => value.GetBoolean(),
        (_, JsonValueKind.String) => value.GetString(),
        (_, JsonValueKind.Number) => value.GetRawText(),
        _ => null,
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// What a command answers: text, optional embeds and buttons (under the last message); ephemeral means only the caller
/// sees it. To a button press, a non-ephemeral reply replaces the pressed message; an ephemeral one is a new message.
/// </summary>
internal sealed record DiscordReply(string Text, IReadOnlyList<DiscordEmbed>? Embeds = null, bool Ephemeral = false, IReadOnlyList<DiscordButton>? Buttons = null);

/// <summary>One autocomplete suggestion: what the user sees, and the value the option gets.</summary>
internal sealed record DiscordChoice(string Name, string Value);

/// <summary>
/// The seam to the command core: the adapter parses, checks and times interactions; the handler decides what they mean.
/// Discord needs an answer within 3 s; the adapter defers on the handler's behalf after 2 s, so the handler may take longer.
/// </summary>
internal interface IDiscordInteractionHandler
{
    Task<DiscordReply> HandleAsync(DiscordInteraction interaction, CancellationToken cancellationToken);

    /// <summary>Suggestions for <see cref="DiscordInteraction.FocusedOption"/> (feed names, story ids); at most 25 are shown.</summary>
    Task<IReadOnlyList<DiscordChoice>> AutocompleteAsync(DiscordInteraction interaction, CancellationToken cancellationToken);
}
