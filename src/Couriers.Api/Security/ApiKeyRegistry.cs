using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Couriers.Api.Security;

// The configured keys as SHA-256 hashes, each with the principal it authenticates. A presented key is
// hashed and compared with every configured hash in constant time (no early exit), so neither the
// comparison nor the number of keys tried tells an attacker how close a guess was.
internal sealed class ApiKeyRegistry
{
    // Longer presented keys are refused before hashing (ours are 46 characters).
    public const int MaxKeyLength = 256;

    public const string OpenClientName = "anonymous (open mode)";

    private readonly (byte[] Hash, ClaimsPrincipal Principal)[] _keys;

    public ApiKeyRegistry(IOptions<AuthOptions> options, IHostEnvironment environment)
    {
        _keys = options.Value.Keys.Select(k => (Convert.FromHexString(k.Sha256!), PrincipalFor(k))).ToArray();
        IsOpen = _keys.Length == 0 && MayRunOpen(environment);
    }

    // No keys configured in Development or Testing: every request is let in as admin.
    public bool IsOpen { get; }

    // Only a developer's machine and the test environment may run without keys.
    public static bool MayRunOpen(IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Testing");

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public ClaimsPrincipal? Find(string presented)
    {
        if (presented.Length is 0 or > MaxKeyLength) return null;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        ClaimsPrincipal? found = null;
        foreach (var (configured, principal) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(configured, hash)) found = principal;
        }
        return found;
    }

    public static ClaimsPrincipal OpenPrincipal(string scheme) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, OpenClientName), new Claim(ClaimTypes.Role, Roles.Admin), new Claim(ApiKeyClaims.OpenMode, "true")],
        scheme, ClaimTypes.Name, ClaimTypes.Role));

    private static ClaimsPrincipal PrincipalFor(ApiKeyEntry key)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, key.Client!), new(ApiKeyClaims.KeyId, key.Sha256![..12].ToLowerInvariant()) };
        claims.AddRange(key.Roles.Distinct(StringComparer.Ordinal).Select(r => new Claim(ClaimTypes.Role, r)));
        if (key.DriverId is not null) claims.Add(new Claim(ApiKeyClaims.DriverId, key.DriverId));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthenticationHandler.SchemeName, ClaimTypes.Name, ClaimTypes.Role));
    }
}
