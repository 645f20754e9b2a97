namespace Couriers.Core;

/// <summary>
/// The store could not be reached or could not answer in time. Adapters translate their own faults
/// into this, so the API can answer 503 with Retry-After without knowing which store is behind it.
/// </summary>
public class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The store answered, but the item kept changing under concurrent writers until the adapter gave up.
/// Still a 503 the client may retry, but no sign of an outage: the store circuit does not count it.
/// </summary>
public sealed class StoreContentionException(string message) : StoreUnavailableException(message);
