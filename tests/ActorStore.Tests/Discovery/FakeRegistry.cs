using ActorStore.Discovery;

namespace ActorStore.Tests.Discovery;

/// <summary>
/// A v2 keys registry in memory, with the indexes, "not found" and "exists" answers discovery relies on, and watches
/// answered from the history; <see cref="UnreachableCalls"/> makes the next calls fail as an unreachable server does.
/// </summary>
internal sealed class FakeRegistry : IDiscoveryRegistry
{
    private readonly List<RegistryNode> _history = new();
    private readonly Dictionary<string, RegistryNode> _keys = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong _index;

    public int UnreachableCalls { get; set; }

    public void Set(string key, string value)
    {
        lock (_gate)
        {
            _index++;
            var node = new RegistryNode(key, value, _index, _index);
            _keys[key] = node;
            _history.Add(node);
            _changed.TrySetResult();
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public Task<RegistryNode?> GetAsync(string key, CancellationToken ct)
    {
        FailIfUnreachable();
        lock (_gate)
        {
            return Task.FromResult(_keys.GetValueOrDefault(key));
        }
    }

    public Task<(IReadOnlyList<RegistryNode> Children, ulong Index)> ListAsync(string directory, CancellationToken ct)
    {
        FailIfUnreachable();
        lock (_gate)
        {
            var prefix = directory.TrimEnd('/') + "/";
            IReadOnlyList<RegistryNode> children = _keys.Values
                .Where(node => node.Key.StartsWith(prefix, StringComparison.Ordinal) && !node.Key[prefix.Length..].Contains('/'))
                .ToList();
            // Directories show up as children too: _config is one.
            if (_keys.Keys.Any(key => key.StartsWith(prefix + "_config/", StringComparison.Ordinal)))
            {
                children = [.. children, new RegistryNode(prefix + "_config", "", 1, 1)];
            }
            return Task.FromResult((children, _index));
        }
    }

    public Task<RegistryNode?> CreateAsync(string key, string value, CancellationToken ct)
    {
        FailIfUnreachable();
        lock (_gate)
        {
            if (_keys.ContainsKey(key))
            {
                return Task.FromResult<RegistryNode?>(null);
            }
        }
        Set(key, value);
        lock (_gate)
        {
            return Task.FromResult<RegistryNode?>(_keys[key]);
        }
    }

    public async Task<RegistryNode> WaitAsync(string key, ulong waitIndex, bool recursive, CancellationToken ct)
    {
        FailIfUnreachable();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var match = _history.FirstOrDefault(node => node.ModifiedIndex >= waitIndex
                    && (node.Key == key || (recursive && node.Key.StartsWith(key.TrimEnd('/') + "/", StringComparison.Ordinal))));
                if (match is not null)
                {
                    return match;
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(ct);
        }
    }

    private void FailIfUnreachable()
    {
        lock (_gate)
        {
            if (UnreachableCalls > 0)
            {
                UnreachableCalls--;
                throw new RegistryUnreachableException("connection refused");
            }
        }
    }
}
