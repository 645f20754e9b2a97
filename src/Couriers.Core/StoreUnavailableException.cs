namespace Couriers.Core;

/// <summary>
/// The store could not be reached or could not answer in time. Adapters translate their own faults
/// into this, so the API can answer 503 with Retry-After without knowing which store is behind it.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
