using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Digest.Discord.Tests.TestSupport;

/// <summary>A request the fake received: what the client sent, validated, and when (by the test's clock).</summary>
internal sealed record RecordedRequest(string Method, string Path, string? Template, JsonElement? Body, string? Authorization, string? UserAgent, DateTimeOffset At)
{
    public JsonElement Json => Body ?? throw new InvalidOperationException($"{Method} {Path} had no body");
}

/// <summary>
/// A canned answer for the next request whose path contains <see cref="PathContains"/>. <see cref="AfterCreating"/>: Discord
/// did the work (a message is created) and then the answer went wrong; <see cref="Reset"/>: the connection is cut instead
/// of answering; <see cref="Hang"/>: no answer ever comes.
/// </summary>
internal sealed record CannedResponse(string Method, string PathContains, int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public bool AfterCreating { get; init; }

    public bool Reset { get; init; }

    public bool Hang { get; init; }

    public static CannedResponse ServerError(string method, string pathContains) =>
        new(method, pathContains, 500, """{"message":"500: Internal Server Error","code":0}""");

    public static CannedResponse ResetConnection(string method, string pathContains) => new(method, pathContains, 0, "") { Reset = true };

    public static CannedResponse NoAnswer(string method, string pathContains) => new(method, pathContains, 0, "") { Hang = true };
}

/// <summary>
/// Discord on Kestrel (127.0.0.1:0): the REST routes Digest calls and a WebSocket gateway driven by a test script.
/// Every request body is checked against the OpenAPI request schema and the documented limits; a violation is answered
/// the way Discord would (400, code 50035) and fails the test when the fake is disposed.
/// </summary>
internal sealed class FakeDiscord : IAsyncDisposable
{
    public const string ApplicationId = "100000000000000001";
    public const string BotToken = "test-bot-token";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<CannedResponse> canned = new();
    private readonly Lock created = new();
    private readonly Dictionary<(string Channel, string Nonce), JsonObject> byNonce = [];
    private readonly HashSet<string> answeredInteractions = [];
    private readonly HashSet<string> deletedOriginals = [];
    private long lastMessageId;
    private readonly TimeProvider time;
    private readonly Lock gateways = new();
    private int openGateways;
    private int mostGatewaysAtOnce;

    private FakeDiscord(WebApplication app, TimeProvider time)
    {
        this.app = app;
        this.time = time;
    }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>The messages Discord created (in channels and DMs, by webhooks and follow-ups): what people see.</summary>
    public ConcurrentQueue<JsonObject> Created { get; } = new();

    /// <summary>Every route answers nothing, ever (Discord accepting connections and hanging).</summary>
    public bool HangAll { get; set; }

    /// <summary>The registered commands (as the client last PUT them).</summary>
    public JsonArray Commands { get; set; } = [];

    /// <summary>Each gateway connection the bot opens, for the test to drive.</summary>
    public Channel<GatewayPeer> Connections { get; } = Channel.CreateUnbounded<GatewayPeer>();

    public int SessionStartsRemaining { get; set; } = 1000;

    /// <summary>The most gateway connections open at the same time: Discord wants one session per bot (unsharded).</summary>
    public int MostGatewaysAtOnce
    {
        get
        {
            lock (gateways)
            {
                return mostGatewaysAtOnce;
            }
        }
    }

    public string BaseUrl { get; private set; } = "";

    public string ApiUrl => BaseUrl + "/api/v10";

    public string GatewayUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway";

    public string ResumeUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/resume";

    public static async Task<FakeDiscord> StartAsync(TimeProvider? time = null)
    {
        // Loaded here, on the test's thread, so a missing shared/ skips the test instead of failing a request.
        _ = DiscordSpec.Instance;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeDiscord(app, time ?? TimeProvider.System);
        app.UseWebSockets();
        app.Map("/gateway", context => fake.AcceptGatewayAsync(context, "/gateway"));
        app.Map("/resume", context => fake.AcceptGatewayAsync(context, "/resume"));
        app.Map("/api/v10/{**rest}", fake.HandleRestAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return fake;
    }

    public void Enqueue(CannedResponse response) => canned.Enqueue(response);

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string pathContains) =>
        [.. Requests.Where(r => r.Method == method && r.Path.Contains(pathContains, StringComparison.Ordinal))];

    /// <summary>Waits (on real time, bounded) until a request matching the filter has arrived.</summary>
    /// <summary>The next gateway connection the bot opens.</summary>
    public async Task<GatewayPeer> NextConnectionAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await Connections.Reader.ReadAsync(timeout.Token);
    }

    public async Task<RecordedRequest> WaitForAsync(string method, string pathContains, int count = 1, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            var matches = RequestsTo(method, pathContains);
            if (matches.Count >= count)
            {
                return matches[count - 1];
            }

            await Task.Delay(5, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Violations.ShouldBeEmpty("the client sent requests Discord would refuse");
    }

    private async Task HandleRestAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value!["/api/v10".Length..];
        JsonElement? body = null;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            if (text.Length > 0)
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }
        }

        var template = DiscordSpec.Instance.Template(request.Method, path);
        Requests.Enqueue(new RecordedRequest(request.Method, path, template, body, request.Headers.Authorization, request.Headers.UserAgent, time.GetUtcNow()));
        var errors = template is null ? [$"{request.Method} {path}: no such route in the OpenAPI description"] : new List<string>();
        if (body is { } json)
        {
            errors.AddRange(DiscordSpec.Instance.Validate(request.Method, path, json));
            errors.AddRange(DiscordLimits.Check(json));
        }

        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                Violations.Enqueue($"{request.Method} {path}: {error}");
            }

            await Results.Json(new { code = 50035, message = "Invalid Form Body", errors }, statusCode: 400).ExecuteAsync(context);
            return;
        }

        if (HangAll)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }

        if (canned.TryPeek(out var next) && next.Method == request.Method && path.Contains(next.PathContains, StringComparison.Ordinal) && canned.TryDequeue(out next))
        {
            if (next.AfterCreating)
            {
                _ = Default(request.Method, template!, path, body, request.Query);
            }

            if (next.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            if (next.Reset)
            {
                context.Abort();
                return;
            }

            foreach (var (name, value) in next.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            context.Response.StatusCode = next.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(next.Body, context.RequestAborted);
            return;
        }

        await Default(request.Method, template!, path, body, request.Query).ExecuteAsync(context);
    }

    private IResult Default(string method, string template, string path, JsonElement? body, IQueryCollection query) => (method, template) switch
    {
        ("GET", "/gateway/bot") => Results.Json(new
        {
            url = GatewayUrl,
            shards = 1,
            session_start_limit = new { total = 1000, remaining = SessionStartsRemaining, reset_after = 1000, max_concurrency = 1 },
        }),
        ("GET", "/applications/@me") => Results.Json(new { id = ApplicationId, name = "Digest" }),
        ("GET", _) when template.EndsWith("/commands", StringComparison.Ordinal) => Results.Text(Commands.ToJsonString(), "application/json"),
        ("PUT", _) when template.EndsWith("/commands", StringComparison.Ordinal) => PutCommands(body!.Value),
        ("POST", "/interactions/{interaction_id}/{interaction_token}/callback") => Callback(path),
        ("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/@original") => DeleteOriginal(path),
        ("POST", "/users/@me/channels") => Results.Json(new { id = DmChannelOf(body!.Value.GetProperty("recipient_id").GetString()!), type = 1 }),
        ("POST", "/channels/{channel_id}/messages") => Results.Json(CreateMessage(path.Split('/')[2], body)),
        ("GET", "/channels/{channel_id}/messages") => Results.Text(ListMessages(path.Split('/')[2], query).ToJsonString(), "application/json"),
        ("GET", "/webhooks/{webhook_id}/{webhook_token}") => Results.Json(new { id = path.Split('/')[2], type = 1, channel_id = WebhookChannelOf(path.Split('/')[2]), name = "Digest", token = path.Split('/')[3] }),
        ("POST", "/webhooks/{webhook_id}/{webhook_token}") => Results.Json(Create(Message(body, WebhookChannelOf(path.Split('/')[2])), webhookId: path.Split('/')[2])),
        ("POST", _) => Results.Json(Create(Message(body, path.Split('/')[2]))),
        _ => Results.Json(Message(body, "400000000000000001")),
    };

    /// <summary>Like Discord: a second answer to one interaction is refused with 40060.</summary>
    private IResult Callback(string path)
    {
        lock (created)
        {
            if (!answeredInteractions.Add(path.Split('/')[2]))
            {
                return Results.Json(new { message = "Interaction has already been acknowledged.", code = 40060 }, statusCode: 400);
            }
        }

        return Results.NoContent();
    }

    /// <summary>Like Discord: 204 when the original answer is deleted, 404 with 10008 (Unknown Message) when it is gone already.</summary>
    private IResult DeleteOriginal(string path)
    {
        lock (created)
        {
            return deletedOriginals.Add(path.Split('/')[3])
                ? Results.NoContent()
                : Results.Json(new { message = "Unknown Message", code = 10008 }, statusCode: 404);
        }
    }

    /// <summary>
    /// Like Discord: with <c>enforce_nonce</c>, a nonce this channel saw already returns the message created with it, and
    /// no new message is created.
    /// </summary>
    private JsonObject CreateMessage(string channelId, JsonElement? body)
    {
        var nonce = body is { } json && json.TryGetProperty("nonce", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var enforce = body is { } b && b.TryGetProperty("enforce_nonce", out var e) && e.ValueKind == JsonValueKind.True;
        lock (created)
        {
            if (nonce is not null && enforce && byNonce.TryGetValue((channelId, nonce), out var earlier))
            {
                return earlier;
            }

            var message = Create(Message(body, channelId));
            if (nonce is not null)
            {
                byNonce[(channelId, nonce)] = message;
            }

            return message;
        }
    }

    /// <summary>
    /// A created message gets a snowflake of the fake's clock, as on Discord (milliseconds since 2015 shifted left by 22,
    /// and increasing), so "after" queries by time work; a webhook's post carries its <c>webhook_id</c>.
    /// </summary>
    private JsonObject Create(JsonObject message, string? webhookId = null)
    {
        var fromTime = (time.GetUtcNow().ToUnixTimeMilliseconds() - 1420070400000) << 22;
        long id, last;
        do
        {
            last = Interlocked.Read(ref lastMessageId);
            id = Math.Max(last + 1, fromTime);
        }
        while (Interlocked.CompareExchange(ref lastMessageId, id, last) != last);

        message["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        message["timestamp"] = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        if (webhookId is not null)
        {
            message["webhook_id"] = webhookId;
        }

        Created.Enqueue(message);
        return message;
    }

    /// <summary>The channel a webhook posts in, here: the fake gives each webhook a channel of the same id.</summary>
    public static string WebhookChannelOf(string webhookId) => webhookId;

    /// <summary>GET /channels/{id}/messages?after=&amp;limit=: the channel's messages newer than <c>after</c>, newest first, at most <c>limit</c> (50 by default).</summary>
    private JsonArray ListMessages(string channelId, IQueryCollection query)
    {
        var after = query.TryGetValue("after", out var a) ? long.Parse(a.ToString(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        var limit = query.TryGetValue("limit", out var l) ? int.Parse(l.ToString(), System.Globalization.CultureInfo.InvariantCulture) : 50;
        var list = Created.Where(m => (string?)m["channel_id"] == channelId && long.Parse((string)m["id"]!, System.Globalization.CultureInfo.InvariantCulture) > after)
            .Reverse().Take(limit).Select(m => m.DeepClone());
        return [.. list];
    }

    /// <summary>The DM channel the fake opens with a user: "45" followed by the user id's last 16 digits.</summary>
    public static string DmChannelOf(string userId) => "45" + userId[^16..];

    private IResult PutCommands(JsonElement body)
    {
        var commands = JsonNode.Parse(body.GetRawText())!.AsArray();
        var id = 200000000000000000L;
        foreach (var command in commands)
        {
            command!["id"] = (++id).ToString(System.Globalization.CultureInfo.InvariantCulture);
            command["application_id"] = ApplicationId;
            command["version"] = "1";
            command["type"] ??= 1;
        }

        Commands = commands;
        return Results.Text(commands.ToJsonString(), "application/json");
    }

    private static JsonObject Message(JsonElement? body, string channelId)
    {
        var message = body is { } json ? JsonNode.Parse(json.GetRawText())!.AsObject() : [];
        message["id"] = "300000000000000001";
        message["channel_id"] = channelId;
        return message;
    }

    private async Task AcceptGatewayAsync(HttpContext context, string path)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var peer = new GatewayPeer(socket, path + context.Request.QueryString);
        lock (gateways)
        {
            mostGatewaysAtOnce = Math.Max(mostGatewaysAtOnce, ++openGateways);
        }

        try
        {
            Connections.Writer.TryWrite(peer);
            await Task.WhenAny(peer.Closed, Task.Delay(Timeout.Infinite, context.RequestAborted));
        }
        finally
        {
            lock (gateways)
            {
                openGateways--;
            }
        }
    }
}
