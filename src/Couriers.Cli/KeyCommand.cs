using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Couriers.Core.Couriers;

namespace Couriers.Cli;

// couriers key create --client NAME --role ROLE [--role ...] [--driver-id ID]: makes a random API key,
// prints it once, and prints the configuration entry holding only its SHA-256 (the service never sees the key
// in its configuration, and the key cannot be recovered from the hash).
internal static class KeyCommand
{
    public static readonly string[] Roles = ["courier-sync", "dispatcher", "driver", "admin"];

    // A prefix that secret scanners and people can recognise; 32 random bytes follow (256 bits).
    public const string Prefix = "cc_";

    public static Command Create()
    {
        var client = new Option<string>("--client") { Description = "The client's name (logged as the actor), e.g. stuart or dispatcher-eu.", Required = true };
        var role = new Option<string[]>("--role")
        {
            Description = $"A role of the key: {string.Join(", ", Roles)}. Repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var driverId = new Option<string?>("--driver-id") { Description = "Bind a driver key to one driver: it may update only that driver's deliveries." };
        var index = OptionParsers.WholeNumber("--index", "The N of Auth__Keys__N__ in the printed environment variables.", 0, min: 0, max: 9999);

        var create = new Command("create", "Create a random API key, print it once, and print the configuration entry with its SHA-256.");
        create.Options.Add(client);
        create.Options.Add(role);
        create.Options.Add(driverId);
        create.Options.Add(index);
        create.SetAction(async (parsed, ct) =>
        {
            var (output, error) = (parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error);
            var name = parsed.GetRequiredValue(client);
            var roles = parsed.GetValue(role) ?? [];
            var driver = parsed.GetValue(driverId);
            if (await CouriersCli.ReportAsync(error, Problems(name, roles, driver))) return CouriersCli.InvalidInput;
            await WriteAsync(output, NewKey(), name, roles.Distinct(StringComparer.Ordinal).ToArray(), driver, parsed.GetValue(index));
            return 0;
        });

        return new Command("key", "Manage API keys.") { create };
    }

    public static string NewKey() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // What the service compares: the lower-case hex SHA-256 of the key's UTF-8 bytes.
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static IEnumerable<string> Problems(string client, string[] roles, string? driverId)
    {
        if (string.IsNullOrWhiteSpace(client) || client.Length > 64 || client.Any(char.IsControl))
            yield return "--client must name the client in 1 to 64 printable characters.";
        foreach (var role in roles.Where(r => !Roles.Contains(r, StringComparer.Ordinal)))
            yield return $"--role '{role}' is not one of {string.Join(", ", Roles)}.";
        if (driverId is not null && Identifiers.Problem(driverId) is { } bad) yield return $"--driver-id {bad}.";
        if (driverId is not null && !roles.Contains("driver", StringComparer.Ordinal))
            yield return "--driver-id binds a driver key: add --role driver.";
    }

    private static async Task WriteAsync(TextWriter output, string key, string client, string[] roles, string? driverId, int index)
    {
        var hash = Hash(key);
        var entry = new Dictionary<string, object> { ["Client"] = client, ["Sha256"] = hash, ["Roles"] = roles };
        if (driverId is not null) entry["DriverId"] = driverId;
        var n = index.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder()
            .AppendLine($"API key for client '{client}' ({string.Join(", ", roles)}). It is shown only this once: give it to the client")
            .AppendLine("through your secrets manager. The service stores only its hash, from which it cannot be recovered.")
            .AppendLine()
            .AppendLine($"  {key}")
            .AppendLine()
            .AppendLine("Configuration entry (add it to the Auth:Keys list in appsettings.json):")
            .AppendLine()
            .AppendLine("  " + JsonSerializer.Serialize(entry))
            .AppendLine()
            .AppendLine("or as environment variables:")
            .AppendLine()
            .AppendLine($"  Auth__Keys__{n}__Client={client}")
            .AppendLine($"  Auth__Keys__{n}__Sha256={hash}");
        for (var i = 0; i < roles.Length; i++) text.AppendLine($"  Auth__Keys__{n}__Roles__{i.ToString(CultureInfo.InvariantCulture)}={roles[i]}");
        if (driverId is not null) text.AppendLine($"  Auth__Keys__{n}__DriverId={driverId}");
        await output.WriteAsync(text.ToString());
    }
}
