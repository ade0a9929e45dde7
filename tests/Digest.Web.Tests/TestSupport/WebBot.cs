using Digest.Core.Storage;
using Digest.Web;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Web.Tests.TestSupport;

/// <summary>
/// The real bot host of <c>digest run</c> — its web host on a free loopback port — with a temp SQLite file and the
/// bundled offline sample feeds, which it polls at start.
/// </summary>
internal sealed class WebBot : IAsyncDisposable
{
    private readonly IHost host;
    private readonly string database;

    private WebBot(IHost host, string database, Uri address)
    {
        this.host = host;
        this.database = database;
        Address = address;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
    }

    public Uri Address { get; }

    public string Database => database;

    /// <summary>No redirects followed and no cookies kept: what a test sees is what the server said.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => host.Services;

    public IDigestStore Store => host.Services.GetRequiredService<IDigestStore>();

    public static Task<WebBot> StartAsync(params string[] configuration) => StartSeededAsync(null, configuration);

    /// <summary>
    /// Starts the bot after <paramref name="seed"/> has written to its migrated store, so what the test writes is there
    /// before the bot's own stages run (a running process stage would otherwise claim items the test adds).
    /// </summary>
    public static async Task<WebBot> StartSeededAsync(Func<IDigestStore, Task>? seed, params string[] configuration)
    {
        var database = Path.Combine(Path.GetTempPath(), $"digest-web-{Guid.NewGuid():N}.db");
        string[] all =
        [
            $"--Storage:ConnectionString=Data Source={database}",
            "--Logging:LogLevel:Default=Warning",
            "--Summarization:FullText:Enabled=false",
            .. configuration,
        ];
        var host = DigestHost.Build(HostMode.Bot, all, TextWriter.Null, "text");
        if (seed is not null)
        {
            var store = host.Services.GetRequiredService<IDigestStore>();
            await store.MigrateAsync(TestContext.Current.CancellationToken);
            await seed(store);
        }

        await host.StartAsync(TestContext.Current.CancellationToken);
        var address = host.Services.Addresses().First();
        return new WebBot(host, database, new Uri(address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    /// <summary>Waits until every feed has been polled once and nothing waits to be classified.</summary>
    public async Task FirstPollsDoneAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            var feeds = await Store.GetFeedsAsync(timeout.Token);
            if (feeds.Count > 0 && feeds.All(f => f.LastPolledAt is not null) && (await Store.GetBacklogAsync(timeout.Token)).IsEmpty
                && (await Store.GetStoriesAsync(new StoryQuery(1), timeout.Token)).Count > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await host.StopAsync(CancellationToken.None);
        host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(database);
    }
}
