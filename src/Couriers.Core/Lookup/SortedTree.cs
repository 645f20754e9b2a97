namespace Couriers.Core.Lookup;

// An immutable AVL tree of index entries: Insert and Remove return a new root and copy only the
// path they change, so a reader holding an older root keeps a consistent snapshot.
internal static class SortedTree
{
    internal sealed class Node(IndexedCourier item, Node? left, Node? right)
    {
        public readonly IndexedCourier Item = item;
        public readonly Node? Left = left;
        public readonly Node? Right = right;
        public readonly int Height = 1 + Math.Max(HeightOf(left), HeightOf(right));
    }

    private static int HeightOf(Node? node) => node?.Height ?? 0;

    // A balanced tree from entries already sorted.
    public static Node? Build(IReadOnlyList<IndexedCourier> sorted) => Build(sorted, 0, sorted.Count);

    private static Node? Build(IReadOnlyList<IndexedCourier> sorted, int from, int to)
    {
        if (from >= to) return null;
        var middle = from + (to - from) / 2;
        return new Node(sorted[middle], Build(sorted, from, middle), Build(sorted, middle + 1, to));
    }

    public static Node Insert(Node? node, IndexedCourier item)
    {
        if (node is null) return new Node(item, null, null);
        var order = IndexedCourier.Compare(item, node.Item);
        if (order < 0) return Balance(node.Item, Insert(node.Left, item), node.Right);
        if (order > 0) return Balance(node.Item, node.Left, Insert(node.Right, item));
        return new Node(item, node.Left, node.Right);
    }

    public static Node? Remove(Node? node, IndexedCourier item)
    {
        if (node is null) return null;
        var order = IndexedCourier.Compare(item, node.Item);
        if (order < 0) return Balance(node.Item, Remove(node.Left, item), node.Right);
        if (order > 0) return Balance(node.Item, node.Left, Remove(node.Right, item));
        if (node.Left is null) return node.Right;
        if (node.Right is null) return node.Left;
        var (smallest, rest) = RemoveSmallest(node.Right);
        return Balance(smallest, node.Left, rest);
    }

    private static (IndexedCourier Smallest, Node? Remainder) RemoveSmallest(Node node)
    {
        if (node.Left is null) return (node.Item, node.Right);
        var (smallest, rest) = RemoveSmallest(node.Left);
        return (smallest, Balance(node.Item, rest, node.Right));
    }

    // One insert or removal leaves heights at most 2 apart; a single or double rotation restores balance.
    private static Node Balance(IndexedCourier item, Node? left, Node? right)
    {
        int hl = HeightOf(left), hr = HeightOf(right);
        if (hl > hr + 1)
        {
            if (HeightOf(left!.Left) >= HeightOf(left.Right)) return new Node(left.Item, left.Left, new Node(item, left.Right, right));
            var pivot = left.Right!;
            return new Node(pivot.Item, new Node(left.Item, left.Left, pivot.Left), new Node(item, pivot.Right, right));
        }
        if (hr > hl + 1)
        {
            if (HeightOf(right!.Right) >= HeightOf(right.Left)) return new Node(right.Item, new Node(item, left, right.Left), right.Right);
            var pivot = right.Left!;
            return new Node(pivot.Item, new Node(item, left, pivot.Left), new Node(right.Item, pivot.Right, right.Right));
        }
        return new Node(item, left, right);
    }

    // Up to count entries strictly after bound that accept keeps, in order.
    public static List<IndexedCourier> After(Node? root, IndexedCourier bound, int count, Func<IndexedCourier, bool> accept)
    {
        var result = new List<IndexedCourier>(Math.Min(count, 1024));
        var path = new Stack<Node>();
        for (var node = root; node is not null;)
        {
            if (IndexedCourier.Compare(node.Item, bound) > 0) { path.Push(node); node = node.Left; }
            else node = node.Right;
        }
        while (result.Count < count && path.TryPop(out var next))
        {
            if (accept(next.Item)) result.Add(next.Item);
            for (var node = next.Right; node is not null; node = node.Left) path.Push(node);
        }
        return result;
    }

    // Up to count entries strictly after bound, in order.
    public static List<IndexedCourier> After(Node? root, IndexedCourier bound, int count) => After(root, bound, count, static _ => true);
}
