using System.Globalization;
using Couriers.Core.Couriers;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Security;

/// <summary>
/// API keys, bound from <c>Auth:*</c>. Only SHA-256 hashes of keys are configured, never keys;
/// <c>couriers key create</c> makes a key and prints its entry. Several keys may name one client,
/// which is how a key is rotated (docs/security.md).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public List<ApiKeyEntry> Keys { get; set; } = [];

    /// <summary>Serve the OpenAPI document and the /docs page without a key (they describe the API and hold no data).</summary>
    public bool PublicDocs { get; set; } = true;
}

public sealed class ApiKeyEntry
{
    /// <summary>The client's name: the principal's Identity.Name, in logs and in the operational log as the actor.</summary>
    public string? Client { get; set; }

    /// <summary>Lower- or upper-case hex SHA-256 of the key's UTF-8 bytes (64 digits).</summary>
    public string? Sha256 { get; set; }

    public List<string> Roles { get; set; } = [];

    /// <summary>For a driver key: the only driver whose deliveries it may update.</summary>
    public string? DriverId { get; set; }
}

// Refuses a configuration that would let the wrong people in: a malformed hash, an unknown role, a
// hash given twice, or (outside Development and Testing) no keys at all.
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (options.Keys.Count == 0 && !ApiKeyRegistry.MayRunOpen(environment))
            errors.Add($"Auth:Keys: no API keys are configured, and the {environment.EnvironmentName} environment refuses to run without them. " +
                "Create one with `couriers key create --client NAME --role ROLE` and configure the Auth:Keys entry it prints (docs/security.md).");

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var at = $"Auth:Keys:{i.ToString(CultureInfo.InvariantCulture)}";
            if (string.IsNullOrWhiteSpace(key.Client) || key.Client.Length > 64 || key.Client.Any(char.IsControl))
                errors.Add($"{at}:Client must name the client (1 to 64 printable characters).");
            if (!IsSha256Hex(key.Sha256))
                errors.Add($"{at}:Sha256 must be the 64 hex digits of the key's SHA-256 (the key itself never goes into configuration).");
            else if (!seen.Add(key.Sha256!))
                errors.Add($"{at}:Sha256 is configured twice; a key belongs to one client.");
            if (key.Roles.Count == 0)
                errors.Add($"{at}:Roles must list at least one of {string.Join(", ", Roles.All)}.");
            foreach (var role in key.Roles.Where(r => !Roles.All.Contains(r, StringComparer.Ordinal)))
                errors.Add($"{at}:Roles has '{role}', which is not one of {string.Join(", ", Roles.All)}.");
            if (key.DriverId is not null && Identifiers.Problem(key.DriverId) is { } bad)
                errors.Add($"{at}:DriverId {bad}.");
            if (key.DriverId is not null && !key.Roles.Contains(Roles.Driver, StringComparer.Ordinal))
                errors.Add($"{at}:DriverId binds a driver key; give it the {Roles.Driver} role or remove DriverId.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static bool IsSha256Hex(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigit);
}
