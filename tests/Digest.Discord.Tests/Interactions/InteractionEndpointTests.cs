using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Digest.Discord.Interactions;
using Digest.Discord.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;

namespace Digest.Discord.Tests.Interactions;

public sealed class InteractionEndpointTests
{
    [Fact]
    public async Task Ping_SignedWithApplicationKey_AnsweredWithPong()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        await using var bot = await StartAsync(key);

        using var response = await bot.PostAsync("""{"id":"1","application_id":"100000000000000001","type":1,"token":"t","version":1}""", key);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("type").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Ping_TamperedBody_Refused401()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        await using var bot = await StartAsync(key);

        using var response = await bot.PostAsync("""{"type":1}""", key, tamper: body => body.Replace("1", "2", StringComparison.Ordinal));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Ping_SignedWithAnotherKey_Refused401()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        using var other = Key.Create(SignatureAlgorithm.Ed25519);
        await using var bot = await StartAsync(key);

        using var response = await bot.PostAsync("""{"type":1}""", other);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Ping_TimestampOutsideTheWindow_Refused401()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        await using var bot = await StartAsync(key);

        // Correctly signed, but six minutes old: a captured request sent later.
        using var stale = await bot.PostAsync("""{"id":"1","type":1}""", key, at: bot.Now - TimeSpan.FromMinutes(6));
        using var future = await bot.PostAsync("""{"id":"2","type":1}""", key, at: bot.Now + TimeSpan.FromMinutes(6));
        using var fresh = await bot.PostAsync("""{"id":"3","type":1}""", key, at: bot.Now - TimeSpan.FromMinutes(4));

        stale.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await stale.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("outside the accepted window");
        future.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Command_SentTwice_SecondRefusedAsReplay()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        await using var bot = await StartAsync(key);
        var body = TestInteractions.Command("900000000000000021", "help").ToJsonString();
        var sentAt = bot.Now;

        using var first = await bot.PostAsync(body, key, at: sentAt);
        bot.Advance(TimeSpan.FromSeconds(30));
        using var replay = await bot.PostAsync(body, key, at: sentAt);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        replay.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("replay");
    }

    [Fact]
    public async Task Command_AnsweredInHttpResponse()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        await using var bot = await StartAsync(key);

        using var response = await bot.PostAsync(TestInteractions.Command("900000000000000020", "help").ToJsonString(), key);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        body.GetProperty("type").GetInt32().ShouldBe(4);
        body.GetProperty("data").GetProperty("content").GetString().ShouldBe("ok: /help");
        body.GetProperty("data").GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength().ShouldBe(0);
    }

    private static async Task<BotHost> StartAsync(Key key)
    {
        var fake = await FakeDiscord.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:ApiBaseUrl"] = fake.ApiUrl,
            ["Discord:PublicKey"] = Convert.ToHexString(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
        });
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1764140000));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<Digest.Core.ICron, Digest.Worker.Jobs.QuartzCron>();
        builder.Services.AddDigestDiscord(builder.Configuration);
        builder.Services.AddSingleton<IDiscordInteractionHandler, ScriptedHandler>();
        var app = builder.Build();
        app.MapDiscordInteractions("/discord/interactions");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new BotHost(app, fake, time, address + "/discord/interactions");
    }

    private sealed class BotHost(WebApplication app, FakeDiscord fake, FakeTimeProvider time, string url) : IAsyncDisposable
    {
        private readonly IHttpClientFactory clients = app.Services.GetRequiredService<IHttpClientFactory>();

        public DateTimeOffset Now => time.GetUtcNow();

        public void Advance(TimeSpan by) => time.Advance(by);

        public async Task<HttpResponseMessage> PostAsync(string body, Key key, Func<string, string>? tamper = null, DateTimeOffset? at = null)
        {
            var timestamp = (at ?? Now).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var signature = SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes(timestamp + body));
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(tamper?.Invoke(body) ?? body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Signature-Ed25519", Convert.ToHexString(signature).ToLowerInvariant());
            request.Headers.Add("X-Signature-Timestamp", timestamp);
            return await clients.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await fake.DisposeAsync();
        }
    }
}
