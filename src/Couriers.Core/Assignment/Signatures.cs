namespace Couriers.Core.Assignment;

// Bit vectors over the distinct rules present among the drivers.
internal sealed class SignatureComparer : IEqualityComparer<ulong[]>
{
    public static SignatureComparer Instance { get; } = new();

    public bool Equals(ulong[]? x, ulong[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(ulong[] bits)
    {
        var hash = new HashCode();
        foreach (var word in bits)
        {
            hash.Add(word);
        }

        return hash.ToHashCode();
    }
}
