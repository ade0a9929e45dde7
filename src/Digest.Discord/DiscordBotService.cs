using System.Text.Json;
using Digest.Core.Storage;
using Digest.Discord.Commands;
using Digest.Discord.Gateway;
using Digest.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Digest.Discord;

/// <summary>
/// The bot: keeps the gateway connected, and registers the commands beside it (again after a failure). Discord wants one gateway session per bot, so this
/// runs under the <c>discord</c> lease, on one worker at a time (<see cref="DiscordSetup"/>). The session (id, resume
/// URL, sequence) is kept in the store while it runs, and the worker that takes over resumes it where Discord still
/// allows; where it does not, the gateway identifies afresh.
/// </summary>
internal sealed partial class DiscordBotService(
    CommandRegistrar registrar,
    DiscordGateway gateway,
    TimeProvider time,
    ILogger<DiscordBotService> logger)
{
    public const string LeaseName = "discord";
    internal const string SessionKey = "discord:gateway-session";

    /// <summary>The wait before command registration is tried again after a failure; doubled per failure.</summary>
    internal static readonly TimeSpan RegistrationRetry = TimeSpan.FromMinutes(1);

    internal static readonly TimeSpan RegistrationRetryMax = TimeSpan.FromMinutes(30);

    /// <summary>How often the session (its sequence moves with every event) is written to the store while it changes.</summary>
    internal static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs while this worker holds the lease, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(ILeaseStore store, CancellationToken cancellationToken)
    {
        if (await LoadAsync(store, cancellationToken) is { } stored)
        {
            gateway.Restore(stored);
            Log.Restored(logger, stored.Sequence);
        }

        // The gateway does not wait for the commands to be registered: with Discord slow or down, the commands it
        // already has are answered meanwhile, and registration is tried again until it gets through.
        var registering = RegisterAsync(cancellationToken);
        var running = gateway.RunAsync(cancellationToken);
        var saved = gateway.Session;
        try
        {
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(SaveInterval, time, cancellationToken));
                saved = await SaveIfChangedAsync(store, saved, cancellationToken);
            }

            await running;

            // Stopped for good (a close code reconnecting cannot fix): keep the lease, so no other worker tries in a loop.
            if (gateway.StopReason is not null)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Whoever takes over next starts from the latest sequence, whatever stopped this worker.
            await SaveIfChangedAsync(store, saved, CancellationToken.None);
            await registering;
        }
    }

    /// <summary>
    /// Makes Discord's command list current; after a failure (Discord down, slow, refusing) tries again after
    /// <see cref="RegistrationRetry"/>, doubled per failure up to <see cref="RegistrationRetryMax"/>, until it gets through
    /// or the work is stopped.
    /// </summary>
    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var wait = RegistrationRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await registrar.SyncAsync(cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A refusal or a timeout is one line; anything else keeps its stack trace.
                Log.RegistrationFailed(logger, ex is DiscordApiException ? null : ex, ex.Message, wait);
            }

            try
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            wait = wait * 2 < RegistrationRetryMax ? wait * 2 : RegistrationRetryMax;
        }
    }

    private static async Task<GatewaySession?> LoadAsync(ILeaseStore store, CancellationToken cancellationToken) =>
        await store.GetStateAsync(SessionKey, cancellationToken) is { } json ? JsonSerializer.Deserialize<GatewaySession>(json, DiscordJson.Options) : null;

    private async Task<GatewaySession?> SaveIfChangedAsync(ILeaseStore store, GatewaySession? saved, CancellationToken cancellationToken)
    {
        var current = gateway.Session;
        if (current == saved)
        {
            return saved;
        }

        try
        {
            await store.SetStateAsync(SessionKey, JsonSerializer.Serialize(current, DiscordJson.Options), cancellationToken);
            return current;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store blip: the session is written on the next round; a takeover meanwhile replays a few events at most.
            Log.SaveFailed(logger, ex);
            return saved;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(71, LogLevel.Error, "Discord command registration failed: {Reason}; the bot runs with the commands Discord already has, and tries again in {Wait}")]
        public static partial void RegistrationFailed(ILogger logger, Exception? exception, string reason, TimeSpan wait);

        [LoggerMessage(72, LogLevel.Information, "Discord: resuming the stored gateway session at sequence {Sequence}")]
        public static partial void Restored(ILogger logger, long? sequence);

        [LoggerMessage(73, LogLevel.Warning, "Discord: the gateway session could not be stored")]
        public static partial void SaveFailed(ILogger logger, Exception exception);
    }
}
