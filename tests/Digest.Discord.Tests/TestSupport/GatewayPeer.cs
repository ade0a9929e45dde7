using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Digest.Discord.Tests.TestSupport;

/// <summary>The server side of one gateway connection, driven by a test: it sends what Discord would and reads what the bot sends.</summary>
internal sealed class GatewayPeer
{
    private readonly WebSocket socket;
    private readonly Channel<JsonNode> received = Channel.CreateUnbounded<JsonNode>();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int heartbeats;

    public GatewayPeer(WebSocket socket, string path)
    {
        this.socket = socket;
        Path = path;
        _ = ReadAsync();
    }

    public string Path { get; }

    /// <summary>Answers heartbeats with op 11, as a healthy gateway does. Off: a zombie connection.</summary>
    public bool AutoAck { get; set; } = true;

    public int Heartbeats => Volatile.Read(ref heartbeats);

    /// <summary>The close code the bot sent, once it closed.</summary>
    public WebSocketCloseStatus? ClientCloseStatus { get; private set; }

    public Task Closed => closed.Task;

    public Task SendAsync(object payload) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(payload is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(payload)), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task HelloAsync(int heartbeatIntervalMs = 10000) => SendAsync(new { op = 10, d = new { heartbeat_interval = heartbeatIntervalMs }, s = (int?)null, t = (string?)null });

    public Task ReadyAsync(long seq, string sessionId, string resumeUrl) => SendAsync(new
    {
        op = 0,
        s = seq,
        t = "READY",
        d = new { v = 10, session_id = sessionId, resume_gateway_url = resumeUrl, user = new { id = "1", username = "Digest" }, guilds = Array.Empty<object>(), application = new { id = FakeDiscord.ApplicationId, flags = 0 } },
    });

    public Task DispatchAsync(long seq, string type, object data) => SendAsync(new { op = 0, s = seq, t = type, d = data });

    /// <summary>The next payload the bot sent that is not a heartbeat.</summary>
    public async Task<JsonNode> ExpectAsync(int op)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var payload = await received.Reader.ReadAsync(timeout.Token);
        payload["op"]!.GetValue<int>().ShouldBe(op, payload.ToJsonString());
        return payload;
    }

    public async Task WaitForHeartbeatsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (Heartbeats < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    public async Task CloseAsync(int code, string reason)
    {
        await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClientCloseStatus = result.CloseStatus;
                    return;
                }

                var payload = JsonNode.Parse(message.ToArray())!;
                if (payload["op"]!.GetValue<int>() == 1)
                {
                    Interlocked.Increment(ref heartbeats);
                    if (AutoAck)
                    {
                        await SendAsync(new { op = 11 });
                    }

                    continue;
                }

                received.Writer.TryWrite(payload);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The bot dropped the connection.
        }
        finally
        {
            closed.TrySetResult();
        }
    }
}
