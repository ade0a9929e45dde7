using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Digest.Telegram.Tests.TestSupport;

/// <summary>A message the bot sent (or edited), as the fake recorded it.</summary>
internal sealed record SentMessage(string Method, long ChatId, int? ThreadId, int MessageId, string Text, string VisibleText, JsonElement? ReplyMarkup, bool PreviewDisabled)
{
    /// <summary>The callback data of the inline buttons, in order.</summary>
    public IReadOnlyList<string> ButtonData => ReplyMarkup is { } markup
        ? markup.GetProperty("inline_keyboard").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(b => b.GetProperty("callback_data").GetString()!).ToList()
        : [];
}

/// <summary>
/// An error the fake answers with instead of doing the call, exactly as Telegram words it; or a connection cut
/// (<see cref="Reset"/>) or never answered (<see cref="Hang"/>). <see cref="AfterDelivering"/>: the message reaches the
/// chat first, then the answer goes wrong — what a sender cannot tell from a failure.
/// </summary>
internal sealed record FakeFault(int Code, string Description, int? RetryAfter = null, long? MigrateTo = null)
{
    public bool Reset { get; init; }

    public bool Hang { get; init; }

    public bool AfterDelivering { get; init; }

    public static FakeFault Flood(int retryAfter) => new(429, $"Too Many Requests: retry after {retryAfter}", RetryAfter: retryAfter);

    public static FakeFault Blocked() => new(403, "Forbidden: bot was blocked by the user");

    public static FakeFault Migrated(long newChatId) => new(400, "Bad Request: group chat was upgraded to a supergroup chat", MigrateTo: newChatId);

    public static FakeFault ServerError() => new(500, "Internal Server Error");

    public static FakeFault BadRequest() => new(400, "Bad Request: can't parse entities: unsupported start tag");

    public static FakeFault ConnectionReset() => new(0, "") { Reset = true };

    public static FakeFault NoAnswer() => new(0, "") { Hang = true };
}

/// <summary>
/// A fake Telegram Bot API server on 127.0.0.1: <c>/bot{token}/{method}</c> for the methods the bot uses. Every request
/// is checked against the spec; a violation is answered with 400 like Telegram and recorded in <see cref="Violations"/>.
/// Tests queue updates (commands, button presses, membership changes), inject faults, and wait on what the bot sends.
/// </summary>
internal sealed class FakeTelegramServer : IAsyncDisposable
{
    public const string Token = "123456:TEST-token_for-fake";
    public const long BotId = 123456;
    public const string BotUsername = "digest_test_bot";

    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);
    private readonly TelegramSpec spec = TelegramSpec.Load();
    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly List<(int Id, JsonObject Update)> updates = [];
    private readonly List<SentMessage> messages = [];
    private readonly List<(string Method, JsonObject Parameters)> calls = [];
    private readonly List<(string Method, long ChatId, FakeFault Fault, int Skip)> faults = [];
    private readonly HashSet<(long Chat, long User)> administrators = [];
    private readonly HashSet<long> held = [];
    private readonly List<string> violations = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int nextUpdate = 1;
    private int polling;
    private int mostPollsAtOnce;
    private int nextMessage = 1000;

    private FakeTelegramServer(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (gate)
            {
                return violations.ToList();
            }
        }
    }

    /// <summary>The most getUpdates calls open at one time: Telegram allows one per bot (another gets 409 Conflict).</summary>
    public int MostPollsAtOnce
    {
        get
        {
            lock (gate)
            {
                return mostPollsAtOnce;
            }
        }
    }

    public IReadOnlyList<SentMessage> Messages
    {
        get
        {
            lock (gate)
            {
                return messages.ToList();
            }
        }
    }

    public static async Task<FakeTelegramServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeTelegramServer(app);
        app.Map("/bot{token}/{method}", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public void MakeAdministrator(long chatId, long userId)
    {
        lock (gate)
        {
            administrators.Add((chatId, userId));
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="method"/> for the chat (0: calls without a chat, such as
    /// getMe) fail with <paramref name="fault"/>, once <paramref name="after"/> calls have gone through normally.
    /// </summary>
    public void Inject(string method, long chatId, FakeFault fault, int times = 1, int after = 0)
    {
        lock (gate)
        {
            for (var i = 0; i < times; i++)
            {
                faults.Add((method, chatId, fault, i == 0 ? after : 0));
            }
        }
    }

    /// <summary>sendMessage to the chat is recorded but never answered: the bot crashes between send and acknowledgement.</summary>
    public void Hold(long chatId)
    {
        lock (gate)
        {
            held.Add(chatId);
        }
    }

    public void Release(long chatId)
    {
        lock (gate)
        {
            held.Remove(chatId);
        }
    }

    public int CallCount(string method)
    {
        lock (gate)
        {
            return calls.Count(c => c.Method == method);
        }
    }

    public IReadOnlyList<JsonObject> CallsOf(string method)
    {
        lock (gate)
        {
            return calls.Where(c => c.Method == method).Select(c => c.Parameters).ToList();
        }
    }

    /// <summary>A user types a command (or any text) in a chat: negative ids are groups, positive ids private chats.</summary>
    public void Say(long chatId, long userId, string text, int? threadId = null)
    {
        var message = Message(chatId, Interlocked.Increment(ref nextMessage), text);
        message["from"] = User(userId);
        if (text.StartsWith('/'))
        {
            var length = text.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? space : text.Length;
            message["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = length });
        }

        if (threadId is { } thread)
        {
            message["message_thread_id"] = thread;
            message["is_topic_message"] = true;
        }

        Enqueue(new JsonObject { ["message"] = message });
    }

    /// <summary>A user sends a file with a caption (<c>/feeds import</c> with an OPML file); a file id starting "lost" can't be downloaded.</summary>
    public void SendDocument(long chatId, long userId, string caption, string fileId, long fileSize)
    {
        var message = Message(chatId, Interlocked.Increment(ref nextMessage), "");
        message["from"] = User(userId);
        message["caption"] = caption;
        var length = caption.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 ? space : caption.Length;
        message["caption_entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = length });
        message["document"] = new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u-" + fileId, ["file_name"] = "feeds.opml", ["file_size"] = fileSize };
        Enqueue(new JsonObject { ["message"] = message });
    }

    /// <summary>A user presses an inline button under one of the bot's messages.</summary>
    public void Press(SentMessage under, long userId, string data) => Enqueue(new JsonObject
    {
        ["callback_query"] = new JsonObject
        {
            ["id"] = $"cb{Interlocked.Increment(ref nextMessage)}",
            ["from"] = User(userId),
            ["chat_instance"] = "instance-1",
            ["data"] = data,
            ["message"] = Message(under.ChatId, under.MessageId, under.VisibleText, fromBot: true),
        },
    });

    /// <summary>The bot is added to a group, or removed from it.</summary>
    public void Membership(long chatId, long byUserId, string newStatus) => Enqueue(new JsonObject
    {
        ["my_chat_member"] = new JsonObject
        {
            ["chat"] = Chat(chatId),
            ["from"] = User(byUserId),
            ["date"] = 1_700_000_000,
            ["old_chat_member"] = new JsonObject { ["status"] = newStatus == "left" ? "member" : "left", ["user"] = BotUser() },
            ["new_chat_member"] = new JsonObject { ["status"] = newStatus, ["user"] = BotUser() },
        },
    });

    /// <summary>Waits until the bot has sent a message that matches; fails with what was sent instead.</summary>
    public async Task<SentMessage> WaitForMessageAsync(Func<SentMessage, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (messages.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                signal = changed.Task;
            }

            try
            {
                await signal.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the bot never sent {what}. It sent:\n{string.Join("\n---\n", Messages.Select(m => $"{m.Method} {m.ChatId}: {m.VisibleText}"))}\nViolations: {string.Join("; ", Violations)}");
            }
        }
    }

    /// <summary>Waits until what the bot sent satisfies <paramref name="condition"/>; fails with what was sent instead.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<SentMessage>, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (condition(messages))
                {
                    return;
                }

                signal = changed.Task;
            }

            try
            {
                await signal.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the bot never got to {what}. It sent:\n{string.Join("\n---\n", Messages.Select(m => $"{m.Method} {m.ChatId}: {m.VisibleText}"))}");
            }
        }
    }

    /// <summary>Waits until a call of <paramref name="method"/> has been made <paramref name="count"/> times.</summary>
    public async Task WaitForCallsAsync(string method, int count)
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (calls.Count(c => c.Method == method) >= count)
                {
                    return;
                }

                signal = changed.Task;
            }

            await signal.WaitAsync(timeout.Token);
        }
    }

    private void Enqueue(JsonObject update)
    {
        lock (gate)
        {
            var id = nextUpdate++;
            update["update_id"] = id;
            updates.Add((id, update));
            Notify();
        }
    }

    private void Notify()
    {
        var old = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    private async Task HandleAsync(HttpContext context, string token, string method)
    {
        if (token != Token)
        {
            await WriteAsync(context, 401, new JsonObject { ["ok"] = false, ["error_code"] = 401, ["description"] = "Unauthorized" });
            return;
        }

        var (parameters, files) = await ReadParametersAsync(context.Request);
        var problems = spec.Check(method, parameters, files);
        var json = new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, JsonNode.Parse(p.Value.GetRawText()))));
        FakeFault? fault = null;
        Task? hold = null;
        lock (gate)
        {
            calls.Add((method, json));
            violations.AddRange(problems);
            var chat = ChatId(parameters) ?? 0;
            var index = faults.FindIndex(f => f.Method == method && f.ChatId == chat);
            if (problems.Count == 0 && index >= 0)
            {
                if (faults[index].Skip > 0)
                {
                    faults[index] = faults[index] with { Skip = faults[index].Skip - 1 };
                }
                else
                {
                    fault = faults[index].Fault;
                    faults.RemoveAt(index);
                }
            }

            Notify();
        }

        if (problems.Count > 0)
        {
            await WriteAsync(context, 400, new JsonObject { ["ok"] = false, ["error_code"] = 400, ["description"] = "Bad Request: " + string.Join("; ", problems) });
            return;
        }

        if (fault is { AfterDelivering: true } && method is "sendMessage" or "editMessageText" or "sendDocument")
        {
            Sent(method, parameters, out _);
        }

        if (fault is { Hang: true })
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }

        if (fault is { Reset: true })
        {
            context.Abort();
            return;
        }

        if (fault is not null)
        {
            var error = new JsonObject { ["ok"] = false, ["error_code"] = fault.Code, ["description"] = fault.Description };
            if (fault.RetryAfter is { } retry)
            {
                error["parameters"] = new JsonObject { ["retry_after"] = retry };
            }

            if (fault.MigrateTo is { } migrate)
            {
                error["parameters"] = new JsonObject { ["migrate_to_chat_id"] = migrate };
            }

            await WriteAsync(context, fault.Code, error);
            return;
        }

        if (method == "getFile" && parameters.TryGetValue("file_id", out var fileId) && fileId.GetString() is { } id && id.StartsWith("lost", StringComparison.Ordinal))
        {
            await WriteAsync(context, 400, new JsonObject { ["ok"] = false, ["error_code"] = 400, ["description"] = "Bad Request: invalid file_id" });
            return;
        }

        JsonNode? result = method switch
        {
            "getMe" => new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Digest", ["username"] = BotUsername },
            "getUpdates" => await UpdatesAsync(parameters, context.RequestAborted),
            "sendMessage" or "editMessageText" or "sendDocument" => Sent(method, parameters, out hold),
            "getChatMember" => Member(parameters),
            "answerCallbackQuery" or "setMyCommands" or "deleteWebhook" or "setWebhook" => true,
            _ => null,
        };

        if (hold is not null)
        {
            await hold.WaitAsync(context.RequestAborted);
        }

        if (result is null)
        {
            lock (gate)
            {
                violations.Add($"the fake does not implement {method}");
            }

            await WriteAsync(context, 404, new JsonObject { ["ok"] = false, ["error_code"] = 404, ["description"] = "Not Found: method not found" });
            return;
        }

        await WriteAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = result });
    }

    private async Task<JsonNode> UpdatesAsync(IReadOnlyDictionary<string, JsonElement> parameters, CancellationToken aborted)
    {
        var offset = parameters.TryGetValue("offset", out var o) ? o.GetInt32() : 0;
        var wait = TimeSpan.FromSeconds(parameters.TryGetValue("timeout", out var t) ? t.GetInt32() : 0);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(wait);
        lock (gate)
        {
            mostPollsAtOnce = Math.Max(mostPollsAtOnce, ++polling);
        }

        try
        {
            while (true)
            {
                Task signal;
                lock (gate)
                {
                    updates.RemoveAll(u => u.Id < offset);
                    if (updates.Count > 0 || timeout.IsCancellationRequested)
                    {
                        return new JsonArray(updates.Select(u => (JsonNode)u.Update.DeepClone()).ToArray());
                    }

                    signal = changed.Task;
                }

                try
                {
                    await signal.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    // The long poll ends empty-handed; the loop answers with whatever is there.
                }
            }
        }
        finally
        {
            lock (gate)
            {
                polling--;
            }
        }
    }

    private JsonObject Sent(string method, IReadOnlyDictionary<string, JsonElement> parameters, out Task? hold)
    {
        var chatId = ChatId(parameters) ?? 0;
        var text = parameters.TryGetValue("text", out var t) ? t.GetString()! : "";
        var html = parameters.TryGetValue("parse_mode", out var mode) && string.Equals(mode.GetString(), "HTML", StringComparison.OrdinalIgnoreCase);
        var visible = text;
        if (html)
        {
            TelegramSpec.VisibleText(text, out visible);
        }

        var markup = parameters.TryGetValue("reply_markup", out var m) ? m.ValueKind == JsonValueKind.String ? JsonDocument.Parse(m.GetString()!).RootElement.Clone() : m.Clone() : (JsonElement?)null;
        var preview = parameters.TryGetValue("link_preview_options", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("is_disabled", out var d) && d.GetBoolean();
        int? thread = parameters.TryGetValue("message_thread_id", out var th) ? int.Parse(th.ToString(), CultureInfo.InvariantCulture) : null;
        var messageId = method == "editMessageText" ? parameters["message_id"].GetInt32() : Interlocked.Increment(ref nextMessage);
        lock (gate)
        {
            messages.Add(new SentMessage(method, chatId, thread, messageId, text, visible, markup, preview));
            hold = method == "sendMessage" && held.Contains(chatId) ? Task.Delay(Timeout.Infinite) : null;
            Notify();
        }

        var message = Message(chatId, messageId, visible, fromBot: true);
        if (method == "sendDocument")
        {
            message["document"] = new JsonObject { ["file_id"] = "doc1", ["file_unique_id"] = "u-doc1", ["file_name"] = "feeds.opml" };
        }

        return message;
    }

    private JsonObject Member(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        var chat = ChatId(parameters) ?? 0;
        var user = parameters["user_id"].GetInt64();
        bool admin;
        lock (gate)
        {
            admin = administrators.Contains((chat, user));
        }

        return new JsonObject { ["status"] = admin ? "administrator" : "member", ["user"] = User(user), ["can_be_edited"] = false, ["is_anonymous"] = false, ["can_manage_chat"] = true, ["can_delete_messages"] = true, ["can_manage_video_chats"] = true, ["can_restrict_members"] = true, ["can_promote_members"] = false, ["can_change_info"] = true, ["can_invite_users"] = true, ["can_post_stories"] = false, ["can_edit_stories"] = false, ["can_delete_stories"] = false };
    }

    private static long? ChatId(IReadOnlyDictionary<string, JsonElement> parameters) =>
        parameters.TryGetValue("chat_id", out var chat) && long.TryParse(chat.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static async Task<(Dictionary<string, JsonElement> Parameters, HashSet<string> Files)> ReadParametersAsync(HttpRequest request)
    {
        var parameters = new Dictionary<string, JsonElement>();
        var files = new HashSet<string>();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (key, value) in form)
            {
                parameters[key] = JsonSerializer.SerializeToElement(value.ToString());
            }

            foreach (var file in form.Files)
            {
                files.Add(file.Name);
            }

            return (parameters, files);
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        if (body.Trim().Length > 0)
        {
            using var document = JsonDocument.Parse(body);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                parameters[property.Name] = property.Value.Clone();
            }
        }

        return (parameters, files);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static JsonObject Message(long chatId, int messageId, string text, bool fromBot = false)
    {
        var message = new JsonObject { ["message_id"] = messageId, ["date"] = 1_700_000_000, ["chat"] = Chat(chatId) };
        if (text.Length > 0)
        {
            message["text"] = text;
        }

        if (fromBot)
        {
            message["from"] = BotUser();
        }

        return message;
    }

    private static JsonObject Chat(long chatId) => chatId > 0
        ? new JsonObject { ["id"] = chatId, ["type"] = "private", ["first_name"] = "User" }
        : new JsonObject { ["id"] = chatId, ["type"] = chatId < -1_000_000_000_000 ? "supergroup" : "group", ["title"] = "Peace talks watchers" };

    private static JsonObject User(long userId) => new() { ["id"] = userId, ["is_bot"] = false, ["first_name"] = $"User{userId}" };

    private static JsonObject BotUser() => new() { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Digest", ["username"] = BotUsername };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
