using Clientpb;
using Etcdserverpb;
using Google.Protobuf;
using V3electionpb;
using V3lockpb;
using Kind = Clientpb.ClientRequest.RequestOneofCase;

namespace ActorStore.Client.Sessions;

/// <summary>etcd requests in and out of clientpb's envelopes, and which of them may be sent twice.</summary>
internal static class ClientRequests
{
    /// <summary>The envelope for one of etcd's requests; null for a message the store does not take.</summary>
    public static ClientRequest? Wrap(object message) => message switch
    {
        RangeRequest r => new ClientRequest { Range = r },
        PutRequest r => new ClientRequest { Put = r },
        DeleteRangeRequest r => new ClientRequest { DeleteRange = r },
        TxnRequest r => new ClientRequest { Txn = r },
        CompactionRequest r => new ClientRequest { Compact = r },
        LeaseGrantRequest r => new ClientRequest { LeaseGrant = r },
        LeaseRevokeRequest r => new ClientRequest { LeaseRevoke = r },
        LeaseKeepAliveRequest r => new ClientRequest { LeaseKeepAlive = r },
        LeaseTimeToLiveRequest r => new ClientRequest { LeaseTimeToLive = r },
        LeaseLeasesRequest r => new ClientRequest { LeaseLeases = r },
        LockRequest r => new ClientRequest { Lock = r },
        UnlockRequest r => new ClientRequest { Unlock = r },
        CampaignRequest r => new ClientRequest { Campaign = r },
        ProclaimRequest r => new ClientRequest { Proclaim = r },
        LeaderRequest r => new ClientRequest { Leader = r },
        ResignRequest r => new ClientRequest { Resign = r },
        StatusRequest r => new ClientRequest { Status = r },
        MemberListRequest r => new ClientRequest { MemberList = r },
        _ => null,
    };

    /// <summary>The etcd response a <see cref="ClientResponse"/> carries; null when it carries an error (or nothing).</summary>
    public static IMessage? Unwrap(ClientResponse response) => response.ResponseCase switch
    {
        ClientResponse.ResponseOneofCase.Range => response.Range,
        ClientResponse.ResponseOneofCase.Put => response.Put,
        ClientResponse.ResponseOneofCase.DeleteRange => response.DeleteRange,
        ClientResponse.ResponseOneofCase.Txn => response.Txn,
        ClientResponse.ResponseOneofCase.Compact => response.Compact,
        ClientResponse.ResponseOneofCase.LeaseGrant => response.LeaseGrant,
        ClientResponse.ResponseOneofCase.LeaseRevoke => response.LeaseRevoke,
        ClientResponse.ResponseOneofCase.LeaseKeepAlive => response.LeaseKeepAlive,
        ClientResponse.ResponseOneofCase.LeaseTimeToLive => response.LeaseTimeToLive,
        ClientResponse.ResponseOneofCase.LeaseLeases => response.LeaseLeases,
        ClientResponse.ResponseOneofCase.Lock => response.Lock,
        ClientResponse.ResponseOneofCase.Unlock => response.Unlock,
        ClientResponse.ResponseOneofCase.Campaign => response.Campaign,
        ClientResponse.ResponseOneofCase.Proclaim => response.Proclaim,
        ClientResponse.ResponseOneofCase.Leader => response.Leader,
        ClientResponse.ResponseOneofCase.Resign => response.Resign,
        ClientResponse.ResponseOneofCase.Status => response.Status,
        ClientResponse.ResponseOneofCase.MemberList => response.MemberList,
        _ => null,
    };

    /// <summary>Reads and keep-alives: sending one twice changes nothing in the store, so a lost member's are re-sent.</summary>
    public static bool IsSafeToRepeat(Kind kind) => kind is Kind.Range or Kind.LeaseTimeToLive or Kind.LeaseLeases
        or Kind.LeaseKeepAlive or Kind.Status or Kind.MemberList or Kind.Leader;

    /// <summary>Requests that wait in the store (a lock held by another, an election): their silence says nothing about the member.</summary>
    public static bool MayWaitLong(Kind kind) => kind is Kind.Lock or Kind.Campaign;
}
