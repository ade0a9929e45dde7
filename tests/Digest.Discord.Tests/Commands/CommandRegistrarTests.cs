using System.Text.Json.Nodes;
using Digest.Discord.Commands;
using Digest.Discord.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Discord.Tests.Commands;

public sealed class CommandRegistrarTests
{
    [Fact]
    public async Task Sync_FirstRunOverwrites_SecondRunOnlyCompares()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var registrar = services.GetRequiredService<CommandRegistrar>();
        var ct = TestContext.Current.CancellationToken;

        (await registrar.SyncAsync(ct)).ShouldBe(1);
        (await registrar.SyncAsync(ct)).ShouldBe(0);

        fake.RequestsTo("PUT", "/commands").Count.ShouldBe(1);
        var feeds = fake.Commands.Single(c => c!["name"]!.GetValue<string>() == "feeds")!;
        feeds["default_member_permissions"]!.GetValue<string>().ShouldBe("32");
        feeds["contexts"]!.AsArray().Select(c => c!.GetValue<int>()).ShouldBe([0]);
        fake.Commands.Select(c => c!["name"]!.GetValue<string>()).ShouldBe(
            ["help", "latest", "digest", "search", "story", "status", "subscribe", "unsubscribe", "alerts", "feeds", "topic", "schedule", "feedback", "webhook"], ignoreOrder: true);
    }

    [Fact]
    public async Task Sync_RegisteredCommandDiffers_Overwrites()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System);
        var registrar = services.GetRequiredService<CommandRegistrar>();
        var ct = TestContext.Current.CancellationToken;
        await registrar.SyncAsync(ct);

        fake.Commands.Single(c => c!["name"]!.GetValue<string>() == "help")!["description"] = "An old description";

        (await registrar.SyncAsync(ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Sync_GuildIdsConfigured_RegistersPerGuild()
    {
        await using var fake = await FakeDiscord.StartAsync();
        await using var services = TestServices.Create(fake, TimeProvider.System, settings: new Dictionary<string, string?> { ["Discord:GuildIds:0"] = TestInteractions.Guild });

        await services.GetRequiredService<CommandRegistrar>().SyncAsync(TestContext.Current.CancellationToken);

        fake.RequestsTo("PUT", "/commands").ShouldHaveSingleItem().Path.ShouldBe($"/applications/{FakeDiscord.ApplicationId}/guilds/{TestInteractions.Guild}/commands");
    }

    [Fact]
    public void Commands_WithinDiscordNameAndDescriptionRules()
    {
        foreach (var command in DiscordCommands.All)
        {
            command.Name.ShouldMatch("^[-_a-z0-9]{1,32}$");
            command.Description.Length.ShouldBeInRange(1, 100);
            (command.Options?.Count ?? 0).ShouldBeLessThanOrEqualTo(25);
        }
    }
}
