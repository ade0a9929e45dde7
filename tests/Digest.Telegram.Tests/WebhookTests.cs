using System.Net;
using System.Net.Sockets;
using System.Text;
using Digest.Telegram.Tests.TestSupport;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Telegram.Tests;

[Collection(nameof(BotHost))]
public sealed class WebhookTests
{
    private const string Secret = "s3cret-token_for-tests";

    [Fact]
    public async Task Webhook_ChecksTheSecretToken_AndAnswersCommands()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        var port = FreePort();
        using var host = DigestHost.Build(
            HostMode.Bot,
            [
                $"--Telegram:BotToken={FakeTelegramServer.Token}",
                $"--Telegram:ApiBaseUrl={telegram.BaseUrl}",
                "--Telegram:Mode=webhook",
                "--Telegram:WebhookUrl=https://bot.example.org/telegram/webhook",
                $"--Telegram:WebhookSecret={Secret}",
                $"--Web:Urls=http://127.0.0.1:{port}",
                $"--Storage:ConnectionString=Data Source={BotHarness.TempDatabase()}",
                "--Logging:LogLevel:Default=Warning",
            ],
            TextWriter.Null,
            "text");
        await host.StartAsync(TestContext.Current.CancellationToken);
        await telegram.WaitForCallsAsync("setWebhook", 1);
        var registration = telegram.CallsOf("setWebhook").Single();
        ((string)registration["secret_token"]!).ShouldBe(Secret);
        telegram.CallCount("getUpdates").ShouldBe(0);

        using var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        const string update = """{"update_id":7,"message":{"message_id":1,"date":1700000000,"chat":{"id":-1009,"type":"supergroup","title":"Watchers"},"from":{"id":501,"is_bot":false,"first_name":"Ann"},"text":"/help","entities":[{"type":"bot_command","offset":0,"length":5}]}}""";
        var url = $"http://127.0.0.1:{port}/telegram/webhook";

        using var forged = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(update, Encoding.UTF8, "application/json") };
        forged.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "wrong");
        (await client.SendAsync(forged, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var garbled = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("not an update", Encoding.UTF8, "application/json") };
        garbled.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
        (await client.SendAsync(garbled, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var genuine = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(update, Encoding.UTF8, "application/json") };
        genuine.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);
        (await client.SendAsync(genuine, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var reply = await telegram.WaitForMessageAsync(m => m.ChatId == -1009, "the reply to /help");
        reply.VisibleText.ShouldStartWith("I follow one developing story");
        telegram.Messages.Count.ShouldBe(1);
        telegram.Violations.ShouldBeEmpty();
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
