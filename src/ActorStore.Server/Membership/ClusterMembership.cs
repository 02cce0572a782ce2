using System.Text.Json;
using System.Text.Json.Serialization;
using ActorStore.Protocol.Errors;

namespace ActorStore.Server.Membership;

/// <summary>
/// The members of the cluster (and the alarms raised for them) as agreed through the log: changed only by applied entries, so every member holds the
/// same list at the same index. Owned by the apply actor (single writer, no locks) and kept in its snapshots.
/// Checks return etcd's errors, so a refused change answers the client exactly as etcd would.
/// </summary>
public sealed class ClusterMembership
{
    /// <summary>etcd allows one learner at a time.</summary>
    private const int MaxLearners = 1;

    private readonly SortedDictionary<ulong, ClusterMember> _members = new();
    private readonly HashSet<ulong> _removed = new();
    private readonly SortedSet<(ulong MemberId, int Alarm)> _alarms = new();

    public ClusterMembership(ulong clusterId)
    {
        ClusterId = clusterId;
    }

    public ulong ClusterId { get; }

    /// <summary>Members ordered by id, as etcd lists them.</summary>
    public IReadOnlyCollection<ClusterMember> Members => _members.Values;

    public bool IsRemoved(ulong id) => _removed.Contains(id);

    public IReadOnlyCollection<ulong> RemovedIds => _removed;

    public ClusterMember? Find(ulong id) => _members.GetValueOrDefault(id);

    public IEnumerable<ulong> VoterIds => _members.Values.Where(m => !m.IsLearner).Select(m => m.Id);

    public IEnumerable<ulong> LearnerIds => _members.Values.Where(m => m.IsLearner).Select(m => m.Id);

    /// <summary>Throws etcd's error when <paramref name="member"/> may not join.</summary>
    public void ValidateAdd(ClusterMember member)
    {
        if (_members.ContainsKey(member.Id) || _removed.Contains(member.Id))
        {
            throw EtcdErrors.MemberExist;
        }
        var taken = _members.Values.SelectMany(m => m.PeerUrls).ToHashSet(StringComparer.Ordinal);
        if (member.PeerUrls.Any(taken.Contains))
        {
            throw EtcdErrors.PeerURLExist;
        }
        // Checked last, as etcd's ValidateConfigurationChange does: a learner with a taken URL hears about the URL.
        if (member.IsLearner && _members.Values.Count(m => m.IsLearner) >= MaxLearners)
        {
            throw EtcdErrors.TooManyLearners;
        }
    }

    public void Add(ClusterMember member)
    {
        ValidateAdd(member);
        _members[member.Id] = member;
    }

    public void ValidateRemove(ulong id)
    {
        if (_removed.Contains(id) || !_members.ContainsKey(id))
        {
            throw EtcdErrors.MemberNotFound;
        }
    }

    public void Remove(ulong id)
    {
        ValidateRemove(id);
        _members.Remove(id);
        _removed.Add(id);
    }

    public void ValidateUpdate(ulong id, IReadOnlyList<string> peerUrls)
    {
        if (!_members.ContainsKey(id))
        {
            throw EtcdErrors.MemberNotFound;
        }
        var taken = _members.Values.Where(m => m.Id != id).SelectMany(m => m.PeerUrls).ToHashSet(StringComparer.Ordinal);
        if (peerUrls.Any(taken.Contains))
        {
            throw EtcdErrors.PeerURLExist;
        }
    }

    public void UpdatePeerUrls(ulong id, IReadOnlyList<string> peerUrls)
    {
        ValidateUpdate(id, peerUrls);
        _members[id] = _members[id] with { PeerUrls = peerUrls };
    }

    public void ValidatePromote(ulong id)
    {
        if (!_members.TryGetValue(id, out var member))
        {
            throw EtcdErrors.MemberNotFound;
        }
        if (!member.IsLearner)
        {
            throw EtcdErrors.MemberNotLearner;
        }
    }

    public void Promote(ulong id)
    {
        ValidatePromote(id);
        _members[id] = _members[id] with { IsLearner = false };
    }

    /// <summary>A member publishes its name and client URLs once it serves (etcd's attribute update).</summary>
    public void SetAttributes(ulong id, string name, IReadOnlyList<string> clientUrls)
    {
        if (_members.TryGetValue(id, out var member))
        {
            _members[id] = member with { Name = name, ClientUrls = clientUrls };
        }
    }

    /// <summary>Raised alarms as (member id, alarm type number), ordered by member; all types when <paramref name="alarm"/> is 0.</summary>
    public IEnumerable<(ulong MemberId, int Alarm)> Alarms(int alarm) =>
        alarm == 0 ? _alarms : _alarms.Where(raised => raised.Alarm == alarm);

    /// <summary>Whether any member has <paramref name="alarm"/> raised; asked for every applied entry, so it allocates nothing.</summary>
    public bool HasAlarm(int alarm)
    {
        if (_alarms.Count == 0)
        {
            return false;
        }
        foreach (var raised in _alarms)
        {
            if (raised.Alarm == alarm)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Raises an alarm for a member of the cluster, or for member 0 (the cluster: the corruption check does not know
    /// which member is corrupted); false when unknown member or already raised.
    /// </summary>
    public bool ActivateAlarm(ulong memberId, int alarm) => (memberId == 0 || _members.ContainsKey(memberId)) && _alarms.Add((memberId, alarm));

    public bool DeactivateAlarm(ulong memberId, int alarm) => _alarms.Remove((memberId, alarm));

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(new Stored(
        ClusterId,
        _members.Values.Select(Entry.Of).ToArray(),
        _removed.Order().ToArray(),
        _alarms.Select(raised => new[] { raised.MemberId, (ulong)raised.Alarm }).ToArray()));

    public static ClusterMembership FromBytes(ReadOnlySpan<byte> bytes)
    {
        var stored = JsonSerializer.Deserialize<Stored>(bytes)
            ?? throw new InvalidDataException("membership record is empty");
        var membership = new ClusterMembership(stored.ClusterId);
        foreach (var entry in stored.Members)
        {
            membership._members[entry.Id] = entry.ToMember();
        }
        foreach (var id in stored.Removed)
        {
            membership._removed.Add(id);
        }
        foreach (var raised in stored.Alarms ?? [])
        {
            membership._alarms.Add((raised[0], (int)raised[1]));
        }
        return membership;
    }

    /// <summary>The conf-change context attached to member changes, as etcd does: the member as JSON.</summary>
    public static byte[] EncodeContext(ClusterMember member) => JsonSerializer.SerializeToUtf8Bytes(Entry.Of(member));

    public static ClusterMember DecodeContext(ReadOnlySpan<byte> context) =>
        (JsonSerializer.Deserialize<Entry>(context) ?? throw new InvalidDataException("conf change carries no member")).ToMember();

    private sealed record Stored(
        [property: JsonPropertyName("clusterId")] ulong ClusterId,
        [property: JsonPropertyName("members")] Entry[] Members,
        [property: JsonPropertyName("removed")] ulong[] Removed,
        [property: JsonPropertyName("alarms")] ulong[][]? Alarms);

    /// <summary>A member as JSON with etcd's field names (id, peerURLs, name, clientURLs, isLearner).</summary>
    private sealed record Entry(
        [property: JsonPropertyName("id")] ulong Id,
        [property: JsonPropertyName("peerURLs")] string[] PeerUrls,
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("clientURLs")] string[]? ClientUrls,
        [property: JsonPropertyName("isLearner")] bool IsLearner)
    {
        public static Entry Of(ClusterMember m) => new(m.Id, m.PeerUrls.ToArray(), m.Name, m.ClientUrls.ToArray(), m.IsLearner);

        public ClusterMember ToMember() => new(Id, Name ?? "", PeerUrls, ClientUrls ?? [], IsLearner);
    }
}
