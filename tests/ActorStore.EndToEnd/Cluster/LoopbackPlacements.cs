using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>Places members on 127.0.0.1, each on a free client and peer port that no member placed before has.</summary>
public sealed class LoopbackPlacements
{
    private readonly HashSet<int> _given = [];

    public MemberPlacement Place(string name)
    {
        lock (_given)
        {
            return MemberPlacement.Loopback(NextPort(), NextPort());
        }
    }

    /// <summary>A free port no placement has been given, for a listener a member has besides its client and peer URLs.</summary>
    public int NextPort()
    {
        lock (_given)
        {
            while (true)
            {
                var port = FreePorts.Next();
                if (_given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
