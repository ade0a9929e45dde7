using Digest.Discord.Interactions;
using Digest.Discord.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Discord.Tests;

public sealed class DiscordSetupTests
{
    [Fact]
    public async Task Host_NoBotToken_NothingStartsOrCallsDiscord()
    {
        await using var fake = await FakeDiscord.StartAsync();
        using var host = Host(new() { ["Discord:ApiBaseUrl"] = fake.ApiUrl });

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Host_WithBotToken_RegistersCommandsAndConnects()
    {
        await using var fake = await FakeDiscord.StartAsync();
        using var host = Host(new() { ["Discord:ApiBaseUrl"] = fake.ApiUrl, ["Discord:BotToken"] = FakeDiscord.BotToken });

        await host.StartAsync(TestContext.Current.CancellationToken);
        var connection = await fake.NextConnectionAsync();
        await host.StopAsync(TestContext.Current.CancellationToken);

        fake.RequestsTo("PUT", "/commands").ShouldHaveSingleItem();
        connection.Path.ShouldContain("v=10");
    }

    [Fact]
    public void Options_BadPublicKey_StartupErrorNamesTheKey()
    {
        using var host = Host(new() { ["Discord:PublicKey"] = "not-hex" });

        var error = Should.Throw<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<DiscordOptions>>().Value);

        error.Message.ShouldContain("Discord:PublicKey");
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddDigestDiscord(builder.Configuration);
        builder.Services.AddSingleton<IDiscordInteractionHandler, ScriptedHandler>();
        return builder.Build();
    }
}
