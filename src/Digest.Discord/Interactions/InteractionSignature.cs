using System.Text;
using NSec.Cryptography;

namespace Digest.Discord.Interactions;

/// <summary>Discord signs each HTTP interaction: Ed25519 over X-Signature-Timestamp followed by the raw body.</summary>
internal static class InteractionSignature
{
    public static bool Verify(string publicKeyHex, string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signatureHex) || string.IsNullOrEmpty(timestamp) || signatureHex.Length != 128)
        {
            return false;
        }

        byte[] signature, key;
        try
        {
            signature = Convert.FromHexString(signatureHex);
            key = Convert.FromHexString(publicKeyHex);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, key, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return false;
        }

        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, signed);
        body.CopyTo(signed.AsSpan(written));
        return SignatureAlgorithm.Ed25519.Verify(publicKey, signed, signature);
    }
}
