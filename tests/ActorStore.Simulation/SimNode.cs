using Google.Protobuf;
using ActorStore.Raft;
using Raftpb;

namespace ActorStore.Simulation;

/// <summary>
/// One simulated member: a durable "disk" (the storage, which survives crashes) and volatile state
/// (the Raft node, the state machine, a half-processed Ready) which a crash throws away.
/// </summary>
internal sealed class SimNode
{
    private readonly Func<ulong, int, RaftConfig> _configFor;
    private int _incarnation;

    public SimNode(ulong id, MemoryRaftLogStorage disk, Func<ulong, int, RaftConfig> configFor)
    {
        Id = id;
        Disk = disk;
        _configFor = configFor;
        Start();
    }

    public ulong Id { get; }

    public MemoryRaftLogStorage Disk { get; }

    public RaftNode? Instance { get; private set; }

    public bool IsUp => Instance is not null;

    /// <summary>Applied normal-entry payloads, in order (the state machine).</summary>
    public List<string> StateMachine { get; } = [];

    public ulong AppliedIndex { get; set; }

    /// <summary>A Ready whose early messages went out but which is not yet persisted.</summary>
    public Ready? InFlightReady { get; set; }

    /// <summary>Commit index as of the last invariant check (per incarnation).</summary>
    public ulong CheckedCommit { get; set; }

    public RaftNode Node => Instance ?? throw new InvalidOperationException($"node {Id} is down");

    public void Crash()
    {
        Instance = null;
        InFlightReady = null;
        StateMachine.Clear();
        AppliedIndex = 0;
        CheckedCommit = 0;
    }

    /// <summary>Boots from the disk: the state machine from the latest snapshot, Raft from the persisted log and hard state.</summary>
    public void Start()
    {
        var snapshot = Disk.Snapshot();
        StateMachine.Clear();
        StateMachine.AddRange(DecodeState(snapshot.Data));
        AppliedIndex = snapshot.Metadata.Index;
        _incarnation++;
        Instance = new RaftNode(_configFor(Id, _incarnation) with { Applied = AppliedIndex }, Disk);
        CheckedCommit = Instance.BasicStatus.Commit;
    }

    public static ByteString EncodeState(IEnumerable<string> values) => ByteString.CopyFromUtf8(string.Join('\n', values));

    public static List<string> DecodeState(ByteString data) =>
        data.IsEmpty ? [] : [.. data.ToStringUtf8().Split('\n')];

    public ConfState Membership() => Disk.InitialState().ConfState;
}
