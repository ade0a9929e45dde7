using System.Text.Json;
using Digest.Core.Summarization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Core.Tests.Summarization;

/// <summary>
/// The chat backend's logic over a scripted <see cref="IChatClient"/> (the host supplies the real one; its OpenAI wiring
/// is tested in Digest.Worker.Tests against a local endpoint): grounded lines kept, failures and timeouts fall back.
/// </summary>
public sealed class ChatKeyLinesTests : IDisposable
{
    private const string Story =
        "Kremlin spokesman Dmitry Peskov said on Monday that the amendments proposed by Kyiv and its European allies were unacceptable. "
        + "Ukraine said Russia had launched 1,300 drones and 1,000 guided bombs in a week. "
        + "The delegations will meet again in Miami after the holidays, officials said.";

    private static readonly SourceText Source = new("Kremlin rejects amendments to peace plan", Story, "Wire", new DateTimeOffset(2025, 12, 22, 9, 0, 0, TimeSpan.Zero));

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 12, 22, 10, 0, 0, TimeSpan.Zero));
    private readonly ScriptedChat chat = new();
    private string? configDirectory;

    public void Dispose()
    {
        if (configDirectory is not null)
        {
            Directory.Delete(configDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Extract_ModelAnswers_KeepsGroundedLinesWithTheSpeakersTheSourcesName()
    {
        chat.Answer = JsonSerializer.Serialize(new
        {
            lines = new object[]
            {
                new { text = "The amendments proposed by Kyiv and its European allies were unacceptable, Peskov said.", speaker = "Dmitry Peskov" },
                new { text = "Russia launched 1,300 drones and 1,000 guided bombs in a week.", speaker = "Vladimir Putin" },
                new { text = "Both sides signed a permanent treaty ending all sanctions on grain exports yesterday.", speaker = (string?)null },
            },
        });
        using var services = Services(llm: true);
        var extractor = services.GetRequiredService<IKeyLineExtractor>();

        var lines = await extractor.ExtractAsync([Source], 3, TestContext.Current.CancellationToken);

        extractor.ShouldBeOfType<ChatKeyLines>();
        lines.Select(l => (l.Text, l.Speaker)).ShouldBe([
            ("The amendments proposed by Kyiv and its European allies were unacceptable, Peskov said.", "Dmitry Peskov"),
            ("Russia launched 1,300 drones and 1,000 guided bombs in a week.", null),
        ]);
        chat.LastPrompt.ShouldContain("1,300 drones");
    }

    [Fact]
    public void Grounded_TheModelCopiesAFeedsFurnitureOrACutSentence_TheyAreDropped()
    {
        var source = new SourceText(
            "Harbour treaty signed",
            "Norland and Estmark signed the harbour treaty in Veldt on Monday after two days of talks. "
            + "The ports of both countries will reopen to each other's ships within 30 days... "
            + "The post Harbour treaty signed appeared first on Veldt Daily.",
            "Veldt Daily",
            new DateTimeOffset(2025, 12, 22, 9, 0, 0, TimeSpan.Zero));
        var answer = JsonSerializer.Serialize(new
        {
            lines = new object[]
            {
                new { text = "Norland and Estmark signed the harbour treaty in Veldt on Monday after two days of talks.", speaker = (string?)null },
                new { text = "The ports of both countries will reopen to each other's ships within 30 days...", speaker = (string?)null },
                new { text = "The post Harbour treaty signed appeared first on Veldt Daily.", speaker = (string?)null },
            },
        });

        var lines = ChatKeyLines.Grounded(answer, [source], 3);

        lines.Select(l => l.Text).ShouldBe(["Norland and Estmark signed the harbour treaty in Veldt on Monday after two days of talks."]);
    }

    [Fact]
    public async Task Extract_BackendFails_FallsBackToExtractiveLines()
    {
        chat.Failure = new InvalidDataException("the endpoint answered 500");
        using var services = Services(llm: true);

        var lines = await services.GetRequiredService<IKeyLineExtractor>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken);

        var extractive = await services.GetRequiredService<ExtractiveKeyLines>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken);
        lines.ShouldBe(extractive);
        lines.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Extract_AnswerIsNotJson_FallsBackToExtractiveLines()
    {
        chat.Answer = "Here are the key lines: Peskov rejected the amendments.";
        using var services = Services(llm: true);

        var lines = await services.GetRequiredService<IKeyLineExtractor>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken);

        lines.ShouldBe(await services.GetRequiredService<ExtractiveKeyLines>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Extract_BackendHangsPastTheTimeout_FallsBackToExtractiveLines()
    {
        chat.Hang = true;
        using var services = Services(llm: true);

        var pending = services.GetRequiredService<IKeyLineExtractor>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken).AsTask();
        await chat.Asked.Task.WaitAsync(TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(21));
        var lines = await pending.WaitAsync(TestContext.Current.CancellationToken);

        lines.ShouldBe(await services.GetRequiredService<ExtractiveKeyLines>().ExtractAsync([Source], 3, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Extract_Stopping_IsNotAFallback()
    {
        chat.Hang = true;
        using var services = Services(llm: true);
        using var stopping = new CancellationTokenSource();

        var pending = services.GetRequiredService<IKeyLineExtractor>().ExtractAsync([Source], 3, stopping.Token).AsTask();
        await chat.Asked.Task.WaitAsync(TestContext.Current.CancellationToken);
        await stopping.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(pending);
    }

    [Fact]
    public void Services_LlmOffByDefault_UsesExtractiveLines()
    {
        using var services = Services(llm: false);

        services.GetRequiredService<IKeyLineExtractor>().ShouldBeOfType<ExtractiveKeyLines>();
    }

    [Fact]
    public void Services_LlmOnWithoutEndpoint_StopsWithAMessageNamingTheKey()
    {
        using var services = Services(false, ("Summarization:Llm:Enabled", "true"), ("Summarization:Llm:Model", "m"));

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<SummarizationOptions>>().Value);

        error.Message.ShouldContain("Summarization:Llm:Endpoint");
    }

    [Fact]
    public void Services_ZeroLlmTimeout_IsRejected()
    {
        using var services = Services(false, ("Summarization:Llm:Timeout", "00:00:00"));

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<SummarizationOptions>>().Value);

        error.Message.ShouldContain("Timeout");
    }

    private ServiceProvider Services(bool llm, params (string Key, string Value)[] settings)
    {
        configDirectory = Directory.CreateTempSubdirectory("digest-keylines-").FullName;
        Directory.CreateDirectory(Path.Combine(configDirectory, "topics"));
        File.WriteAllText(Path.Combine(configDirectory, "topics", "talks.json"), """{ "id": "talks", "name": "Talks", "entities": [{ "name": "Kremlin", "aliases": [], "weight": 1 }] }""");
        var values = new Dictionary<string, string?> { ["Topic:Profile"] = "topics/talks.json" };
        if (llm)
        {
            values["Summarization:Llm:Enabled"] = "true";
            values["Summarization:Llm:Endpoint"] = "http://127.0.0.1:9/v1";
            values["Summarization:Llm:Model"] = "test-model";
        }

        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddSingleton<IChatClient>(chat);
        services.AddDigestCore(configDirectory);
        return services.BuildServiceProvider();
    }

    /// <summary>A chat model that answers what the test says: a canned text, an exception, or nothing until cancelled.</summary>
    private sealed class ScriptedChat : IChatClient
    {
        public string Answer { get; set; } = """{"lines":[]}""";

        public Exception? Failure { get; set; }

        public bool Hang { get; set; }

        public string LastPrompt { get; private set; } = "";

        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            LastPrompt = string.Join("\n", messages.Select(m => m.Text));
            Asked.TrySetResult();
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return Failure is { } failure ? throw failure : new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
