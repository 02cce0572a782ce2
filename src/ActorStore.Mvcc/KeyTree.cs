namespace ActorStore.Mvcc;

/// <summary>
/// The ordered key space: a B+tree from key bytes (unsigned lexicographic order) to <see cref="KeyIndex"/>,
/// with chained leaves so range scans walk forward without allocating. Single writer, no locking.
/// </summary>
internal sealed class KeyTree
{
    internal const int LeafCapacity = 64;
    internal const int BranchCapacity = 64;

    // Below this fill a node is merged into a neighbour when the two fit in one node.
    private const int LeafMinimum = LeafCapacity / 4;
    private const int BranchMinimum = BranchCapacity / 4;

    private Node _root = new Leaf();

    // Point lookups (every write's key, single-key reads) go through a hash of the same indexes: one probe instead of a
    // descent comparing the key with a separator on every level (about 4% of all CPU under random puts on three members).
    private readonly Dictionary<byte[], KeyIndex> _byKey = new(KeyBytesEquality.Instance);
    private readonly Dictionary<byte[], KeyIndex>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;

    public KeyTree() => _bySpan = _byKey.GetAlternateLookup<ReadOnlySpan<byte>>();

    public int Count { get; private set; }

    public KeyIndex? Get(ReadOnlySpan<byte> key) => _bySpan.TryGetValue(key, out var index) ? index : null;

    /// <summary>The index of <paramref name="key"/>, created (with a copy of the key) when absent.</summary>
    public KeyIndex GetOrAdd(ReadOnlySpan<byte> key, out bool added)
    {
        if (_bySpan.TryGetValue(key, out var existing))
        {
            added = false;
            return existing;
        }

        var result = Insert(key, null);
        added = result.Added;
        return result.Index;
    }

    /// <summary>Adds a fully built index (used when loading a snapshot); the key must not be present.</summary>
    public void Add(KeyIndex index)
    {
        var result = Insert(index.Key, index);
        if (!result.Added)
        {
            throw new InvalidOperationException("The key is already present.");
        }
    }

    public bool Remove(ReadOnlySpan<byte> key)
    {
        if (!Remove(_root, key))
        {
            return false;
        }

        _bySpan.Remove(key);
        Count--;
        while (_root is Branch { Count: 1 } branch)
        {
            _root = branch.Children[0];
        }

        return true;
    }

    /// <summary>A cursor placed just before the first key at or after <paramref name="key"/>.</summary>
    public Cursor Seek(ReadOnlySpan<byte> key)
    {
        var leaf = FindLeaf(key);
        var position = Search(leaf, key);
        if (position < 0)
        {
            position = ~position;
        }

        return new Cursor(leaf, position - 1);
    }

    /// <summary>A cursor placed before the smallest key.</summary>
    public Cursor First() => Seek(ReadOnlySpan<byte>.Empty);

    /// <summary>Every key index in key order: a copy of the leaves' slots, without visiting the indexes themselves.</summary>
    public KeyIndex[] CopyInOrder()
    {
        var copy = new KeyIndex[Count];
        var copied = 0;
        for (var leaf = FindLeaf(ReadOnlySpan<byte>.Empty); leaf is not null; leaf = leaf.Next)
        {
            Array.Copy(leaf.Items, 0, copy, copied, leaf.Count);
            copied += leaf.Count;
        }

        return copy;
    }

    private (KeyIndex Index, bool Added) Insert(ReadOnlySpan<byte> key, KeyIndex? provided)
    {
        var outcome = new InsertOutcome();
        var split = Insert(_root, key, provided, rightmost: true, ref outcome);
        if (split.Node is not null)
        {
            var root = new Branch();
            root.Children[0] = _root;
            root.Children[1] = split.Node;
            root.Separators[0] = split.Separator!;
            root.Count = 2;
            _root = root;
        }

        if (outcome.Added)
        {
            _byKey.Add(outcome.Index!.Key, outcome.Index);
            Count++;
        }

        return (outcome.Index!, outcome.Added);
    }

    private static Split Insert(Node node, ReadOnlySpan<byte> key, KeyIndex? provided, bool rightmost, ref InsertOutcome outcome)
    {
        if (node is Leaf leaf)
        {
            var position = Search(leaf, key);
            if (position >= 0)
            {
                outcome.Index = leaf.Items[position];
                return default;
            }

            position = ~position;
            var index = provided ?? new KeyIndex(key.ToArray());
            outcome.Index = index;
            outcome.Added = true;
            Array.Copy(leaf.Items, position, leaf.Items, position + 1, leaf.Count - position);
            leaf.Items[position] = index;
            leaf.Count++;
            return leaf.Count > LeafCapacity ? SplitLeaf(leaf, appended: rightmost && position == leaf.Count - 1) : default;
        }

        var branch = (Branch)node;
        var childIndex = ChildIndex(branch, key);
        var childSplit = Insert(branch.Children[childIndex], key, provided, rightmost && childIndex == branch.Count - 1, ref outcome);
        if (childSplit.Node is null)
        {
            return default;
        }

        Array.Copy(branch.Children, childIndex + 1, branch.Children, childIndex + 2, branch.Count - childIndex - 1);
        Array.Copy(branch.Separators, childIndex, branch.Separators, childIndex + 1, branch.Count - 1 - childIndex);
        branch.Children[childIndex + 1] = childSplit.Node;
        branch.Separators[childIndex] = childSplit.Separator!;
        branch.Count++;
        return branch.Count > BranchCapacity
            ? SplitBranch(branch, appended: rightmost && childIndex + 1 == branch.Count - 1)
            : default;
    }

    // Appending at the right edge (sequential keys, snapshot loads) leaves the left node full instead of half full.
    private static Split SplitLeaf(Leaf leaf, bool appended)
    {
        var keep = appended ? leaf.Count - 1 : leaf.Count / 2;
        var right = new Leaf { Count = leaf.Count - keep, Next = leaf.Next };
        Array.Copy(leaf.Items, keep, right.Items, 0, right.Count);
        Array.Clear(leaf.Items, keep, right.Count);
        leaf.Count = keep;
        leaf.Next = right;
        return new Split(right.Items[0].Key, right);
    }

    private static Split SplitBranch(Branch branch, bool appended)
    {
        var keep = appended ? branch.Count - 1 : branch.Count / 2;
        var right = new Branch { Count = branch.Count - keep };
        var promoted = branch.Separators[keep - 1];
        Array.Copy(branch.Children, keep, right.Children, 0, right.Count);
        Array.Copy(branch.Separators, keep, right.Separators, 0, right.Count - 1);
        Array.Clear(branch.Children, keep, right.Count);
        Array.Clear(branch.Separators, keep - 1, right.Count);
        branch.Count = keep;
        return new Split(promoted, right);
    }

    private static bool Remove(Node node, ReadOnlySpan<byte> key)
    {
        if (node is Leaf leaf)
        {
            var position = Search(leaf, key);
            if (position < 0)
            {
                return false;
            }

            leaf.Count--;
            Array.Copy(leaf.Items, position + 1, leaf.Items, position, leaf.Count - position);
            leaf.Items[leaf.Count] = null!;
            return true;
        }

        var branch = (Branch)node;
        var childIndex = ChildIndex(branch, key);
        var child = branch.Children[childIndex];
        if (!Remove(child, key))
        {
            return false;
        }

        var minimum = child is Leaf ? LeafMinimum : BranchMinimum;
        if (child.Count < minimum)
        {
            MergeWithNeighbour(branch, childIndex);
        }

        return true;
    }

    private static void MergeWithNeighbour(Branch parent, int childIndex)
    {
        int leftIndex;
        if (childIndex > 0)
        {
            leftIndex = childIndex - 1;
        }
        else if (childIndex + 1 < parent.Count)
        {
            leftIndex = childIndex;
        }
        else
        {
            return;
        }

        var left = parent.Children[leftIndex];
        var right = parent.Children[leftIndex + 1];
        if (left is Leaf leftLeaf)
        {
            var rightLeaf = (Leaf)right;
            if (leftLeaf.Count + rightLeaf.Count > LeafCapacity)
            {
                return;
            }

            Array.Copy(rightLeaf.Items, 0, leftLeaf.Items, leftLeaf.Count, rightLeaf.Count);
            leftLeaf.Count += rightLeaf.Count;
            leftLeaf.Next = rightLeaf.Next;
        }
        else
        {
            var leftBranch = (Branch)left;
            var rightBranch = (Branch)right;
            if (leftBranch.Count + rightBranch.Count > BranchCapacity)
            {
                return;
            }

            // The parent's separator between the two comes down between their children.
            leftBranch.Separators[leftBranch.Count - 1] = parent.Separators[leftIndex];
            Array.Copy(rightBranch.Separators, 0, leftBranch.Separators, leftBranch.Count, rightBranch.Count - 1);
            Array.Copy(rightBranch.Children, 0, leftBranch.Children, leftBranch.Count, rightBranch.Count);
            leftBranch.Count += rightBranch.Count;
        }

        // Drop the right node and the separator in front of it.
        Array.Copy(parent.Separators, leftIndex + 1, parent.Separators, leftIndex, parent.Count - 2 - leftIndex);
        Array.Copy(parent.Children, leftIndex + 2, parent.Children, leftIndex + 1, parent.Count - 2 - leftIndex);
        parent.Count--;
        parent.Separators[parent.Count - 1] = null!;
        parent.Children[parent.Count] = null!;
    }

    private Leaf FindLeaf(ReadOnlySpan<byte> key)
    {
        var node = _root;
        while (node is Branch branch)
        {
            node = branch.Children[ChildIndex(branch, key)];
        }

        return (Leaf)node;
    }

    /// <summary>Binary search in a leaf: the position of the key, or the bitwise complement of where it would go.</summary>
    private static int Search(Leaf leaf, ReadOnlySpan<byte> key)
    {
        var items = leaf.Items;
        int low = 0, high = leaf.Count - 1;
        while (low <= high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            var order = items[middle].Key.AsSpan().SequenceCompareTo(key);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    /// <summary>The child whose key interval holds <paramref name="key"/>: the number of separators at or below it.</summary>
    private static int ChildIndex(Branch branch, ReadOnlySpan<byte> key)
    {
        var separators = branch.Separators;
        int low = 0, high = branch.Count - 2;
        while (low <= high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (separators[middle].AsSpan().SequenceCompareTo(key) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    /// <summary>Forward iteration over keys in order; valid while the tree's shape does not change.</summary>
    public struct Cursor
    {
        private Leaf? _leaf;
        private int _position;

        internal Cursor(Leaf leaf, int position)
        {
            _leaf = leaf;
            _position = position;
        }

        public readonly KeyIndex Current => _leaf!.Items[_position];

        public bool MoveNext()
        {
            if (_leaf is null)
            {
                return false;
            }

            _position++;
            while (_position >= _leaf.Count)
            {
                _leaf = _leaf.Next;
                _position = 0;
                if (_leaf is null)
                {
                    return false;
                }
            }

            return true;
        }
    }

    internal abstract class Node
    {
        // Items in a leaf, children in a branch.
        public int Count;
    }

    // One spare slot lets a node overflow by one before it splits.
    internal sealed class Leaf : Node
    {
        public readonly KeyIndex[] Items = new KeyIndex[LeafCapacity + 1];
        public Leaf? Next;
    }

    internal sealed class Branch : Node
    {
        // Separators[i] is the smallest key that may live under Children[i + 1].
        public readonly byte[][] Separators = new byte[BranchCapacity][];
        public readonly Node[] Children = new Node[BranchCapacity + 1];
    }

    private readonly record struct Split(byte[]? Separator, Node? Node);

    private struct InsertOutcome
    {
        public KeyIndex? Index;
        public bool Added;
    }
}
