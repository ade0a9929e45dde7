using System.Runtime.CompilerServices;

namespace Digest.Tests.Shared;

/// <summary>
/// What every test process (and every <c>digest</c> process a test starts, which inherits it) runs with: the bot's web
/// host on a free loopback port instead of the default localhost:8080, so parallel tests and other users of the
/// machine never collide. A test that needs a known address passes <c>--Web:Urls=…</c>, which wins over the environment.
/// </summary>
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DIGEST_Web__Urls")))
        {
            Environment.SetEnvironmentVariable("DIGEST_Web__Urls", "http://127.0.0.1:0");
        }
    }
}
