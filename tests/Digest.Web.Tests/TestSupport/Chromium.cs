using Microsoft.Playwright;

namespace Digest.Web.Tests.TestSupport;

/// <summary>
/// Headless Chromium from the machine (Debian's <c>chromium</c>, which <c>.ci/run</c> installs), driven by Playwright; nothing
/// is downloaded. A test calls <see cref="LaunchAsync"/>, which skips it with the reason when no chromium is installed.
/// </summary>
internal static class Chromium
{
    public static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable("DIGEST_TEST_CHROMIUM") is { Length: > 0 } given ? given : Candidates.FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path))
        {
            Assert.Skip("no chromium on this machine (apt-get install chromium; .ci/run does): the browser tests need it");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }
}
