using System.Net;
using System.Net.Sockets;

namespace Digest.Core.Feeds;

/// <summary>Thrown when a feed host resolves to an address the bot must not reach.</summary>
internal sealed class BlockedAddressException(string host, IPAddress address, string why)
    : Exception($"{host} resolves to {address} ({why}); feeds may not reach it")
{
    public string Host { get; } = host;
    public IPAddress Address { get; } = address;
}

/// <summary>
/// Keeps fetches away from the host's own network: loopback, private ranges, link-local (cloud metadata lives at
/// 169.254.169.254), carrier-grade NAT, multicast and the unspecified address. Checked on the resolved address at
/// connect time, so a DNS name or a redirect can't smuggle a request past it.
/// </summary>
internal static class AddressGuard
{
    public static string? WhyBlocked(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b switch
            {
                [0, ..] => "unspecified",
                [10, ..] => "private",
                [172, >= 16 and <= 31, ..] => "private",
                [192, 168, ..] => "private",
                [169, 254, ..] => "link-local or metadata",
                [100, >= 64 and <= 127, ..] => "carrier-grade NAT",
                [192, 0, 0, _] => "reserved",
                [198, 18 or 19, ..] => "benchmarking",
                [>= 224, ..] => "multicast or reserved",
                _ => null,
            };
        }

        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return "unspecified";
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "link-local";
        }

        if (address.IsIPv6Multicast)
        {
            return "multicast";
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);

        // NAT64 (64:ff9b::/96) carries an IPv4 address in its last four bytes: judge that one.
        if (v6[..12].SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]))
        {
            return WhyBlocked(new IPAddress(v6[12..]));
        }

        if ((v6[0] & 0xFE) == 0xFC)
        {
            return "private (unique local)";
        }

        // fd00:ec2::254 is the IPv6 metadata address of one large cloud; it falls in fc00::/7 above.
        return null;
    }
}
