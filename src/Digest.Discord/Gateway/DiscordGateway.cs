using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Digest.Core;
using Digest.Discord.Interactions;
using Digest.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Discord.Gateway;

/// <summary>What it takes to resume a gateway session elsewhere: <see cref="DiscordBotService"/> keeps it in the store for the worker that takes over.</summary>
internal sealed record GatewaySession(string SessionId, string ResumeGatewayUrl, long? Sequence);

/// <summary>
/// One gateway connection at a time, kept alive by Discord's rules (gateway.mdx): Hello → heartbeats (first after
/// interval × jitter), a missing ACK means a zombie connection, closed with 4000 and resumed; op 7 and op 9 (true)
/// resume, op 9 (false) re-identifies after 1–5 s; close codes that cannot be fixed by reconnecting stop the gateway
/// with the cause. Only INTERACTION_CREATE is handled (intents 0); replayed events are not handled twice.
/// </summary>
internal sealed partial class DiscordGateway(
    DiscordRestClient rest,
    InteractionResponder responder,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<DiscordGateway> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a close frame may take to go out, and the server to answer it, before the socket is aborted.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    /// <summary>Connections in a row that may fail to resume a session before a new one is identified.</summary>
    internal const int ResumeAttempts = 3;
    private const int RememberedInteractions = 1000;

    private readonly Lock gate = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly HashSet<string> seenInteractions = [];
    private readonly Queue<string> seenOrder = new();
    private string? sessionId;
    private string? resumeUrl;
    private long? sequence;
    private long handledSequence;

    /// <summary>The current session, or null before READY and after Discord invalidated it.</summary>
    public GatewaySession? Session
    {
        get
        {
            lock (gate)
            {
                return sessionId is null || resumeUrl is null ? null : new GatewaySession(sessionId, resumeUrl, sequence);
            }
        }
    }

    /// <summary>Why the gateway stopped for good (a close code reconnecting cannot fix); null while it runs.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Starts from a saved session: the first connection resumes it instead of identifying.</summary>
    public void Restore(GatewaySession session)
    {
        lock (gate)
        {
            (sessionId, resumeUrl, sequence) = (session.SessionId, session.ResumeGatewayUrl, session.Sequence);
            handledSequence = session.Sequence ?? 0;
        }
    }

    /// <summary>Runs until cancelled, or until Discord closes with a code that reconnecting cannot fix.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var waitBeforeIdentify = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            Outcome outcome;
            try
            {
                var url = Session?.ResumeGatewayUrl;
                if (url is null)
                {
                    if (waitBeforeIdentify)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1000, 5001)), time, cancellationToken);
                    }

                    url = await IdentifyUrlAsync(cancellationToken);
                }

                outcome = await RunConnectionAsync(url, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or DiscordApiException or JsonException or IOException or OperationCanceledException)
            {
                // A refused or dropped connection is one line; a payload we could not read keeps its stack trace.
                Log.ConnectionLost(logger, ex is JsonException ? ex : null, Describe(ex));
                outcome = new Outcome(Next.Resume, Established: false);
            }

            switch (outcome.Next)
            {
                case Next.Stop:
                    StopReason = outcome.Reason;
                    Log.Stopped(logger, outcome.Reason!);
                    return;
                case Next.Identify:
                    ForgetSession();
                    waitBeforeIdentify = true;
                    break;
                default:
                    waitBeforeIdentify = false;
                    break;
            }

            failures = outcome.Established ? 0 : failures + 1;
            if (failures >= ResumeAttempts && outcome.Next == Next.Resume && Session is { } stale)
            {
                // A resume URL that keeps failing (its node gone, a stale session restored from the store) is given
                // up for a new session from GET /gateway/bot, as Discord advises when resuming is not possible.
                Log.ResumeAbandoned(logger, stale.ResumeGatewayUrl, failures);
                ForgetSession();
            }

            if (failures > 0)
            {
                var backoff = Backoff.Exponential(TimeSpan.FromSeconds(1), failures, MaxBackoff) * (0.5 + (Random.Shared.NextDouble() / 2));
                Log.Reconnecting(logger, backoff, failures);
                try
                {
                    await Task.Delay(backoff, time, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The URL for a new session, after making sure the daily session-start budget allows one.</summary>
    private async Task<string> IdentifyUrlAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var info = await rest.GetGatewayBotAsync(cancellationToken);
            if (info.SessionStartLimit.Remaining > 0)
            {
                return string.IsNullOrWhiteSpace(options.Value.GatewayUrl) ? info.Url : options.Value.GatewayUrl;
            }

            var wait = TimeSpan.FromMilliseconds(Math.Max(1000, info.SessionStartLimit.ResetAfter));
            Log.SessionStartsExhausted(logger, info.SessionStartLimit.Total, wait);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    private async Task<Outcome> RunConnectionAsync(string url, CancellationToken stopping)
    {
        using var socket = new ClientWebSocket();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var uri = new UriBuilder(url) { Query = "v=10&encoding=json" }.Uri;
        JsonNode? hello;
        using (var timeout = new CancellationTokenSource(HelloTimeout, time))
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, timeout.Token))
        {
            await socket.ConnectAsync(uri, connecting.Token);
            hello = await ReceiveAsync(socket, connecting.Token);
        }

        if (hello is null || hello["op"]?.GetValue<int>() != 10)
        {
            return new Outcome(Next.Resume, Established: false);
        }

        var state = new ConnectionState();
        var interval = TimeSpan.FromMilliseconds(hello["d"]!["heartbeat_interval"]!.GetValue<double>());
        var heartbeats = HeartbeatAsync(socket, state, interval, connection);
        try
        {
            var resuming = Session;
            if (resuming is not null)
            {
                await SendAsync(socket, new { op = 6, d = new { token = options.Value.BotToken, session_id = resuming.SessionId, seq = resuming.Sequence } }, connection.Token);
            }
            else
            {
                await SendAsync(socket, new { op = 2, d = new { token = options.Value.BotToken, intents = 0, properties = new Dictionary<string, string> { ["os"] = Environment.OSVersion.Platform.ToString().ToLowerInvariant(), ["browser"] = "digest", ["device"] = "digest" } } }, connection.Token);
            }

            while (true)
            {
                JsonNode? payload;
                try
                {
                    payload = await ReceiveAsync(socket, connection.Token);
                }
                catch (Exception ex) when (state.Planned is not null && ex is WebSocketException or OperationCanceledException && !stopping.IsCancellationRequested)
                {
                    return new Outcome(state.Planned.Value, state.Established);
                }

                if (payload is null)
                {
                    return Closed(socket.CloseStatus, socket.CloseStatusDescription, state);
                }

                var op = payload["op"]?.GetValue<int>();
                if (payload["s"] is JsonValue s && s.TryGetValue<long>(out var seq))
                {
                    lock (gate)
                    {
                        sequence = seq;
                    }
                }

                switch (op)
                {
                    case 0:
                        Dispatch(payload, state, stopping);
                        break;
                    case 1:
                        await SendAsync(socket, new { op = 1, d = CurrentSequence }, connection.Token);
                        break;
                    case 7:
                        Log.ReconnectRequested(logger);
                        return await LeaveAsync(socket, state, Next.Resume);
                    case 9:
                        var resumable = payload["d"] is JsonValue d && d.TryGetValue<bool>(out var flag) && flag;
                        Log.SessionInvalidated(logger, resumable);
                        return await LeaveAsync(socket, state, resumable ? Next.Resume : Next.Identify);
                    case 11:
                        state.AckReceived = true;
                        break;
                }
            }
        }
        finally
        {
            await connection.CancelAsync();
            await heartbeats;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                socket.Abort();
            }
        }
    }

    /// <summary>Heartbeats; when an ACK never came, the connection is a zombie: close it non-1000 so the session stays resumable.</summary>
    private async Task HeartbeatAsync(ClientWebSocket socket, ConnectionState state, TimeSpan interval, CancellationTokenSource connection)
    {
        var cancellationToken = connection.Token;
        try
        {
            await Task.Delay(interval * Random.Shared.NextDouble(), time, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!state.AckReceived)
                {
                    Log.Zombie(logger, interval);
                    state.Planned = Next.Resume;
                    await CloseAsync(socket);

                    // The server's answering close ends the receive loop; cancelling that receive at once would abort the
                    // socket, and an abort can drop the 4000 still on its way. A zombie that never answers is cut off after the grace.
                    await Task.Delay(CloseGrace, time, cancellationToken);
                    await connection.CancelAsync();
                    return;
                }

                state.AckReceived = false;
                await SendAsync(socket, new { op = 1, d = CurrentSequence }, cancellationToken);
                await Task.Delay(interval, time, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection ended; the receive loop reports why.
        }
    }

    private void Dispatch(JsonNode payload, ConnectionState state, CancellationToken stopping)
    {
        var type = payload["t"]?.GetValue<string>();
        var seq = payload["s"] is JsonValue s && s.TryGetValue<long>(out var value) ? value : 0;
        var data = payload["d"];
        switch (type)
        {
            case "READY":
                lock (gate)
                {
                    sessionId = data!["session_id"]!.GetValue<string>();
                    resumeUrl = data["resume_gateway_url"]!.GetValue<string>();
                    handledSequence = seq;
                }

                state.Established = true;
                Log.Ready(logger, data["user"]?["username"]?.GetValue<string>() ?? "?");
                return;
            case "RESUMED":
                state.Established = true;
                Log.Resumed(logger, Session?.Sequence);
                return;
            case "INTERACTION_CREATE":
                lock (gate)
                {
                    // A resume replays what came after the sequence we sent; never answer the same event twice.
                    if (seq != 0 && seq <= handledSequence)
                    {
                        return;
                    }

                    handledSequence = Math.Max(handledSequence, seq);
                }

                using (var document = JsonDocument.Parse(data!.ToJsonString()))
                {
                    if (DiscordInteraction.Parse(document.RootElement) is not { } interaction || !FirstTime(interaction.Id))
                    {
                        return;
                    }

                    // Each interaction on its own task: a slow command never holds up the next one, nor the gateway.
                    var deadline = time.GetUtcNow() + InteractionResponder.AnswerWithin;
                    _ = Task.Run(() => responder.RespondAsync(interaction, (callback, ct) => rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, callback, deadline, ct), stopping), stopping);
                }

                return;
        }
    }

    private bool FirstTime(string interactionId)
    {
        lock (gate)
        {
            if (!seenInteractions.Add(interactionId))
            {
                return false;
            }

            seenOrder.Enqueue(interactionId);
            if (seenOrder.Count > RememberedInteractions)
            {
                seenInteractions.Remove(seenOrder.Dequeue());
            }

            return true;
        }
    }

    private Outcome Closed(WebSocketCloseStatus? status, string? description, ConnectionState state)
    {
        var code = (int?)status ?? 0;
        Log.Closed(logger, code, description ?? "");
        if (state.Planned is { } planned)
        {
            return new Outcome(planned, state.Established);
        }

        var fatal = code switch
        {
            4004 => "authentication failed — check Discord:BotToken",
            4010 => "invalid shard",
            4011 => "sharding required — the bot is in too many servers for one connection",
            4012 => "invalid API version",
            4013 => "invalid intents",
            4014 => "disallowed intents — enable them in the Developer Portal or remove them",
            _ => null,
        };
        return fatal is not null
            ? new Outcome(Next.Stop, state.Established, $"Discord gateway closed {code}: {fatal}")
            : new Outcome(code is 4007 or 4009 ? Next.Identify : Next.Resume, state.Established);
    }

    private async Task<Outcome> LeaveAsync(ClientWebSocket socket, ConnectionState state, Next next)
    {
        state.Planned = next;
        await CloseAsync(socket);
        return new Outcome(next, state.Established);
    }

    /// <summary>Closes with 4000: a 1000/1001 close would end the session instead of keeping it resumable.</summary>
    private async Task CloseAsync(ClientWebSocket socket)
    {
        // A zombie may never take it; the socket is aborted after the grace.
        using var timeout = new CancellationTokenSource(CloseGrace, time);
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)4000, "reconnecting", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // Already gone.
        }
    }

    private long? CurrentSequence
    {
        get
        {
            lock (gate)
            {
                return sequence;
            }
        }
    }

    /// <summary>The exception's message with its causes' ("Unable to connect to the remote server: Connection refused (127.0.0.1:443)").</summary>
    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (parts.Count == 0 || !parts[^1].Contains(e.Message, StringComparison.Ordinal))
            {
                parts.Add(e.Message);
            }
        }

        return string.Join(": ", parts);
    }

    private void ForgetSession()
    {
        lock (gate)
        {
            (sessionId, resumeUrl, sequence, handledSequence) = (null, null, null, 0);
        }
    }

    private async Task SendAsync(ClientWebSocket socket, object payload, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload);
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task<JsonNode?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                message.Position = 0;
                return await JsonNode.ParseAsync(message, cancellationToken: cancellationToken);
            }
        }
    }

    private enum Next
    {
        Resume,
        Identify,
        Stop,
    }

    private sealed record Outcome(Next Next, bool Established, string? Reason = null);

    private sealed class ConnectionState
    {
        public volatile bool AckReceived = true;
        public volatile bool Established;
        public Next? Planned;
    }

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Information, "Discord gateway ready as {User}")]
        public static partial void Ready(ILogger logger, string user);

        [LoggerMessage(61, LogLevel.Information, "Discord gateway session resumed at sequence {Sequence}")]
        public static partial void Resumed(ILogger logger, long? sequence);

        [LoggerMessage(62, LogLevel.Warning, "Discord gateway: no heartbeat ACK within {Interval}; reconnecting (zombie connection)")]
        public static partial void Zombie(ILogger logger, TimeSpan interval);

        [LoggerMessage(63, LogLevel.Information, "Discord gateway asked us to reconnect (op 7)")]
        public static partial void ReconnectRequested(ILogger logger);

        [LoggerMessage(64, LogLevel.Information, "Discord gateway invalidated the session (op 9, resumable: {Resumable})")]
        public static partial void SessionInvalidated(ILogger logger, bool resumable);

        [LoggerMessage(65, LogLevel.Information, "Discord gateway closed the connection: {Code} {Description}")]
        public static partial void Closed(ILogger logger, int code, string description);

        [LoggerMessage(66, LogLevel.Warning, "Discord gateway connection lost: {Reason}")]
        public static partial void ConnectionLost(ILogger logger, Exception? exception, string reason);

        [LoggerMessage(74, LogLevel.Warning, "Discord gateway: {Attempts} connections in a row failed to resume the session at {ResumeUrl}; starting a new session")]
        public static partial void ResumeAbandoned(ILogger logger, string resumeUrl, int attempts);

        [LoggerMessage(67, LogLevel.Information, "Discord gateway: reconnecting in {Delay} (attempt {Attempt})")]
        public static partial void Reconnecting(ILogger logger, TimeSpan delay, int attempt);

        [LoggerMessage(68, LogLevel.Critical, "{Reason}. The Discord bot is stopped; the rest of Digest keeps running")]
        public static partial void Stopped(ILogger logger, string reason);

        [LoggerMessage(69, LogLevel.Warning, "Discord session-start limit ({Total}/day) used up; waiting {Wait} before identifying")]
        public static partial void SessionStartsExhausted(ILogger logger, int total, TimeSpan wait);
    }
}
