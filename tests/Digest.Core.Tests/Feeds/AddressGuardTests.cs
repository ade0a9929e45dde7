using System.Net;
using Digest.Core.Feeds;

namespace Digest.Core.Tests.Feeds;

public sealed class AddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "link-local or metadata")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local or metadata")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.10", "private")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00:ec2::254", "private (unique local)")]
    [InlineData("224.0.0.1", "multicast or reserved")]
    public void WhyBlocked_HostNetworkAddresses_Named(string address, string why) =>
        AddressGuard.WhyBlocked(IPAddress.Parse(address)).ShouldBe(why);

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c")]
    public void WhyBlocked_PublicAddresses_Allowed(string address) => AddressGuard.WhyBlocked(IPAddress.Parse(address)).ShouldBeNull();
}
