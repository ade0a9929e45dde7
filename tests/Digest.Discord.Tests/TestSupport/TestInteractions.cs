using System.Text.Json;
using System.Text.Json.Nodes;
using Digest.Discord.Interactions;

namespace Digest.Discord.Tests.TestSupport;

/// <summary>Interaction objects as Discord sends them (gateway INTERACTION_CREATE d, or the HTTP endpoint's body).</summary>
internal static class TestInteractions
{
    public const string Guild = "600000000000000001";
    public const string Channel = "400000000000000001";

    /// <summary>A member's permissions: none special, Manage Server, Administrator.</summary>
    public const string Member = "1024", ManageServer = "32", Admin = "8";

    public static JsonObject Command(string id, string name, object? options = null, string permissions = Member, int type = 2) => new()
    {
        ["id"] = id,
        ["application_id"] = FakeDiscord.ApplicationId,
        ["type"] = type,
        ["token"] = "interaction-token-" + id,
        ["version"] = 1,
        ["guild_id"] = Guild,
        ["channel_id"] = Channel,
        ["member"] = new JsonObject
        {
            ["user"] = new JsonObject { ["id"] = "700000000000000001", ["username"] = "reader" },
            ["permissions"] = permissions,
        },
        ["data"] = new JsonObject
        {
            ["id"] = "800000000000000001",
            ["name"] = name,
            ["type"] = 1,
            ["options"] = JsonSerializer.SerializeToNode(options ?? Array.Empty<object>()),
        },
    };

    /// <summary>A press of a button with <paramref name="customId"/> on a message the bot sent.</summary>
    public static JsonObject Button(string id, string customId, string permissions = Member)
    {
        var json = Command(id, "unused", permissions: permissions, type: 3);
        json["data"] = new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 };
        json["message"] = new JsonObject { ["id"] = "300000000000000001", ["channel_id"] = Channel, ["content"] = "" };
        return json;
    }

    public static DiscordInteraction Parse(JsonObject json)
    {
        using var document = JsonDocument.Parse(json.ToJsonString());
        return DiscordInteraction.Parse(document.RootElement) ?? throw new InvalidOperationException("not a command");
    }
}
