using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Digest.Web.Tests.TestSupport;
using Digest.Worker.Cli;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace Digest.Web.Tests;

public sealed class WebHostTests
{
    [Fact]
    public async Task Run_DiscordPublicKeySet_InteractionsEndpointServedOnTheSameHost()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        await using var bot = await WebBot.StartAsync($"--Discord:PublicKey={Convert.ToHexString(key.PublicKey.Export(KeyBlobFormat.RawPublicKey))}");
        var ct = TestContext.Current.CancellationToken;
        const string ping = """{"id":"1","application_id":"100000000000000001","type":1,"token":"t","version":1}""";

        HttpRequestMessage Signed(string timestamp)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "discord/interactions") { Content = new StringContent(ping, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Signature-Ed25519", Convert.ToHexString(SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes(timestamp + ping))).ToLowerInvariant());
            request.Headers.Add("X-Signature-Timestamp", timestamp);
            return request;
        }

        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var pong = await bot.Http.SendAsync(Signed(now), ct);
        using var replayed = await bot.Http.SendAsync(Signed(now), ct);
        using var captured = await bot.Http.SendAsync(Signed("1764140000"), ct);

        pong.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await pong.Content.ReadAsStringAsync(ct)).ShouldContain("\"type\":1");
        replayed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        captured.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("ftp://localhost:8080", "is not an http:// or https:// URL")]
    [InlineData("http://localhost:8080/digest", "must not carry a path")]
    [InlineData("http://localhost:0", "use http://127.0.0.1:0")]
    public async Task Run_BadWebUrls_StopsAtStartNamingTheKey(string urls, string reason)
    {
        var stderr = new StringWriter();
        var database = Path.Combine(Path.GetTempPath(), $"digest-web-{Guid.NewGuid():N}.db");

        var exit = await DigestCli.RunAsync(["run", $"--Web:Urls={urls}", $"--Storage:ConnectionString=Data Source={database}"], TextWriter.Null, stderr, TestContext.Current.CancellationToken);

        exit.ShouldBe(DigestCli.ExitCodes.Configuration);
        stderr.ToString().ShouldContain("Configuration error: Web:Urls:");
        stderr.ToString().ShouldContain(reason);
    }

    [Theory]
    [InlineData("PublicUrl", "ftp://digest.example")]
    [InlineData("OtlpEndpoint", "ftp://collector.example:4317")]
    [InlineData("DiscordAuthorizeUrl", "mailto:login@discord.example")]
    public async Task Run_WebAddressNotHttp_StopsAtStartNamingTheKey(string key, string value)
    {
        var stderr = new StringWriter();
        var database = Path.Combine(Path.GetTempPath(), $"digest-web-{Guid.NewGuid():N}.db");

        var exit = await DigestCli.RunAsync(["run", $"--Web:{key}={value}", "--Web:Urls=http://127.0.0.1:0", $"--Storage:ConnectionString=Data Source={database}"], TextWriter.Null, stderr, TestContext.Current.CancellationToken);

        exit.ShouldBe(DigestCli.ExitCodes.Configuration);
        stderr.ToString().Trim().ShouldBe($"Configuration error: Web:{key}: '{value}' is not an http:// or https:// URL");
    }

    [Fact]
    public async Task Pages_DatabaseUnavailable_503WithRetryAfterInsteadOfAnError()
    {
        // The watchdog would stop the bot once it noticed the file gone: the pages are asked before it looks.
        await using var bot = await WebBot.StartAsync("--Storage:WatchInterval=00:01:00");
        await bot.FirstPollsDoneAsync();
        var ct = TestContext.Current.CancellationToken;

        File.Delete(bot.Database);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var story = await bot.Http.GetAsync("stories/1", ct);

        story.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        story.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(15));
        (await story.Content.ReadAsStringAsync(ct)).ShouldContain("database is unavailable");
    }

    [Fact]
    public void Run_KeysDirectoryThatIsAFileOrBelowOne_StopsAtStartNamingTheKey()
    {
        var file = Path.Combine(Path.GetTempPath(), $"digest-keys-{Guid.NewGuid():N}");
        File.WriteAllText(file, "");
        try
        {
            string Failure(string keys)
            {
                using var host = DigestHost.Build(HostMode.Bot, [$"--Web:KeysDirectory={keys}", "--Web:Urls=http://127.0.0.1:0"], TextWriter.Null, "text");
                return Should.Throw<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WebOptions>>().Value).Failures.ShouldHaveSingleItem();
            }

            Failure(file).ShouldBe($"Web:KeysDirectory: {file} is a file; the keys need a folder");
            Failure(Path.Combine(file, "keys")).ShouldStartWith($"Web:KeysDirectory: cannot create the folder {Path.Combine(file, "keys")}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Run_PortAlreadyInUse_StopsWithExit3NamingWebUrls()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var stderr = new StringWriter();
        var database = Path.Combine(Path.GetTempPath(), $"digest-web-{Guid.NewGuid():N}.db");

        var exit = await DigestCli.RunAsync(["run", $"--Web:Urls=http://127.0.0.1:{port}", $"--Storage:ConnectionString=Data Source={database}"], TextWriter.Null, stderr, TestContext.Current.CancellationToken);

        exit.ShouldBe(DigestCli.ExitCodes.Configuration);
        stderr.ToString().ShouldContain("Configuration error: Web:Urls:");
        stderr.ToString().ShouldContain($"127.0.0.1:{port}");
    }
}
