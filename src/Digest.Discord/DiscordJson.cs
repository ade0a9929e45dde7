using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digest.Discord;

/// <summary>Discord speaks snake_case JSON and ignores absent fields; null fields are left out.</summary>
internal static class DiscordJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
