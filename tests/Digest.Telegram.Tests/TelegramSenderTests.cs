using Digest.Core.Delivery;
using Digest.Storage.Sqlite;
using Digest.Telegram.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Digest.Telegram.Tests;

/// <summary>
/// What a crash can double: a part Telegram took whose acknowledgement is not yet recorded. The sender records it before
/// the next chat's send may start, so at any moment at most one part in all chats is sent and not recorded.
/// </summary>
public sealed class TelegramSenderTests
{
    [Fact]
    public async Task NextChatsSend_WaitsUntilThePartTelegramTookIsRecorded()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var telegram = await FakeTelegramServer.StartAsync();
        var options = Options.Create(new TelegramOptions { SendsInFlight = 1, SendSlotHold = TimeSpan.FromHours(1) });
        var bot = new TelegramBotClient(new TelegramBotClientOptions(FakeTelegramServer.Token, telegram.BaseUrl) { RetryCount = 0 });
        var store = new SqliteStore($"Data Source={BotHarness.TempDatabase()}");
        var sender = new TelegramSender(bot, new TelegramRateLimiter(TimeProvider.System), new TelegramSendGate(options, TimeProvider.System), store, TimeProvider.System, options, NullLogger<TelegramSender>.Instance);
        var recording = new TaskCompletionSource();
        var recorded = new TaskCompletionSource();
        var payload = new OutboxPayload(OutboxPayload.TextKind, null, "alert");
        var toA = new OutboundMessage(1, payload, partsAcknowledged: async _ =>
        {
            recording.TrySetResult();
            await recorded.Task;
        });

        var sendingA = sender.SendAsync(new TelegramAddress(-1001, null), [new TelegramMessage("to chat A")], toA, cancellation);
        await recording.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellation);
        var sendingB = sender.SendAsync(new TelegramAddress(-1002, null), [new TelegramMessage("to chat B")], new OutboundMessage(2, payload), cancellation);

        telegram.Messages.Select(m => m.ChatId).ShouldBe([-1001L], "chat A's part is taken by Telegram, not yet recorded");
        sendingB.IsCompleted.ShouldBeFalse("chat B's send waits for that record");
        recorded.SetResult();
        (await sendingA).Delivered.ShouldBeTrue();
        (await sendingB).Delivered.ShouldBeTrue();
        telegram.Messages.Select(m => m.ChatId).ShouldBe([-1001L, -1002L]);
        toA.PartsSent.ShouldBe(1);
        telegram.Violations.ShouldBeEmpty();
    }
}
