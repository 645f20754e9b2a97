using System.Collections.Concurrent;

namespace Couriers.Api.Security;

// The loud warnings of an instance without keys: at startup, and at each client's first request.
internal sealed class OpenModeWarnings(ILogger<OpenModeWarnings> log)
{
    // Bounded so that a flood from many addresses cannot grow it without end.
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.Ordinal);

    public const string Message = "NO API KEYS ARE CONFIGURED: this instance is OPEN and serves every request as admin. " +
        "This is allowed only in Development and Testing; configure Auth:Keys (see docs/security.md) before exposing it.";

    public void AtStartup() => log.LogWarning(Message);

    public void FirstRequestFrom(string address)
    {
        if (_warned.Count < MaxRemembered && _warned.TryAdd(address, true))
            log.LogWarning("Open mode: first request from {Address} served without an API key as admin. {Message}", address, Message);
    }
}
