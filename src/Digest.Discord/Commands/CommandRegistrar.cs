using System.Text.Json;
using Digest.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Discord.Commands;

/// <summary>
/// Makes Discord's command list match <see cref="DiscordCommands.All"/>: reads what is registered and bulk-overwrites
/// only on a difference (each overwrite counts against a daily creation limit). Globally, or per configured guild.
/// </summary>
internal sealed partial class CommandRegistrar(DiscordRestClient rest, IOptions<DiscordOptions> options, ILogger<CommandRegistrar> logger)
{
    /// <summary>Returns how many scopes (global or guilds) were overwritten.</summary>
    public async Task<int> SyncAsync(CancellationToken cancellationToken)
    {
        var applicationId = await rest.GetApplicationIdAsync(cancellationToken);
        var desired = DiscordCommands.Canonical(DiscordCommands.All);
        var guilds = options.Value.GuildIds.Count > 0 ? options.Value.GuildIds.Select(g => (string?)g).ToList() : [null];
        var written = 0;
        foreach (var guild in guilds)
        {
            var registered = await rest.GetCommandsAsync(applicationId, guild, cancellationToken);
            var current = registered.ValueKind == JsonValueKind.Array
                ? DiscordCommands.Canonical(registered.Deserialize<List<CommandDefinition>>(DiscordJson.Options) ?? [])
                : "";
            if (current == desired)
            {
                Log.UpToDate(logger, guild ?? "global");
                continue;
            }

            await rest.PutCommandsAsync(applicationId, guild, DiscordCommands.All, cancellationToken);
            written++;
            Log.Overwritten(logger, DiscordCommands.All.Count, guild ?? "global");
        }

        return written;
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Information, "Discord commands ({Scope}) are up to date")]
        public static partial void UpToDate(ILogger logger, string scope);

        [LoggerMessage(41, LogLevel.Information, "Discord commands ({Scope}): registered {Count} commands")]
        public static partial void Overwritten(ILogger logger, int count, string scope);
    }
}
