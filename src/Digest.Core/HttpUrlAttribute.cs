using System.ComponentModel.DataAnnotations;

namespace Digest.Core;

/// <summary>
/// A setting that holds an absolute http:// or https:// address. DataAnnotations' <c>[Url]</c> also takes ftp://, which
/// nothing here can call; an empty value passes (<c>[Required]</c> says when it may not be empty).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class HttpUrlAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is null or "" || (value is string url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");

    public override string FormatErrorMessage(string name) => "is not an http:// or https:// URL";

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : new ValidationResult($"'{value}' {FormatErrorMessage(validationContext.MemberName ?? "")}", [validationContext.MemberName ?? ""]);
}
