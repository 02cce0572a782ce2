using System.Collections.Concurrent;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// Finds the local actor an inbound envelope is addressed to: "/user/..." by walking down from the user guardian,
/// "/temp/$x" among the Ask reply targets that were sent out as senders, "/deadLetters" as itself.
/// </summary>
internal sealed class LocalActorResolver(ActorSystem system)
{
    private const string UserSegment = "user";
    private const string TempSegment = "temp";
    private const string DeadLettersSegment = "deadLetters";

    // Ask reply targets that left this system as a sender; each leaves again when its Ask completes.
    private readonly ConcurrentDictionary<string, PromiseActorRef> _temporaries = new(StringComparer.Ordinal);

    public int TemporaryCount => _temporaries.Count;

    /// <summary>Makes <paramref name="promise"/> reachable by path until its Ask completes.</summary>
    public void RegisterTemporary(PromiseActorRef promise)
    {
        if (promise.Task.IsCompleted)
        {
            return;
        }
        var key = ActorPathText.Relative(promise.Path).ToString();
        if (_temporaries.TryAdd(key, promise))
        {
            promise.Task.ContinueWith(
                static (_, state) =>
                {
                    var (registry, entry) = ((ConcurrentDictionary<string, PromiseActorRef>, KeyValuePair<string, PromiseActorRef>))state!;
                    registry.TryRemove(entry);
                },
                (_temporaries, KeyValuePair.Create(key, promise)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>The live actor at <paramref name="relativePath"/>, or null when there is none.</summary>
    public IActorRef? Resolve(string relativePath)
    {
        var elements = ActorPathText.Elements(relativePath);
        if (elements.Length == 0)
        {
            return null;
        }
        switch (elements[0])
        {
            case UserSegment:
                IActorRef current = system.Guardian;
                for (var i = 1; i < elements.Length; i++)
                {
                    if (current is not ActorCell cell || cell.Child(elements[i]) is not { } child)
                    {
                        return null;
                    }
                    current = child;
                }
                return current;
            case TempSegment when elements.Length == 2:
                return _temporaries.TryGetValue("/" + TempSegment + "/" + elements[1], out var promise) ? promise : null;
            case DeadLettersSegment when elements.Length == 1:
                return system.DeadLetters;
            default:
                return null;
        }
    }
}
