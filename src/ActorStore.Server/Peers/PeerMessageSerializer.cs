using Akka.Actor;
using Akka.Serialization;
using Etcdserverpb;
using Google.Protobuf;
using Lessorpb;
using Peerpb;
using Persistpb;

namespace ActorStore.Server.Peers;

/// <summary>
/// Akka serializer for the protobuf messages members send each other and keep in their journal (bound to each type
/// in the akka section of hocon/reference.conf). A short manifest names the type; the bytes are the message's protobuf encoding.
/// </summary>
public sealed class PeerMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer's id on the wire; Akka keeps ids below 100 for itself.</summary>
    public const int SerializerId = 4380;

    private const string EnvelopeManifest = "E";
    private const string RefusalManifest = "X";
    private const string RaftManifest = "R";
    private const string MemberListRequestManifest = "MQ";
    private const string MemberListResponseManifest = "MA";
    private const string RenewLeaseManifest = "LR";
    private const string QueryTimeToLiveManifest = "LT";
    private const string LessorAnswerManifest = "LA";
    private const string RaftWalRecordManifest = "WR";
    private const string RaftWalSnapshotManifest = "WS";
    private const string MemberIdentityManifest = "MI";
    private const string HashKVResponseManifest = "HA";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        PeerEnvelope => EnvelopeManifest,
        PeerRefusal => RefusalManifest,
        Raftpb.Message => RaftManifest,
        MemberListRequest => MemberListRequestManifest,
        MemberListResponse => MemberListResponseManifest,
        RenewLease => RenewLeaseManifest,
        QueryTimeToLive => QueryTimeToLiveManifest,
        LessorAnswer => LessorAnswerManifest,
        RaftWalRecord => RaftWalRecordManifest,
        RaftWalSnapshot => RaftWalSnapshotManifest,
        MemberIdentityRecord => MemberIdentityManifest,
        HashKVResponse => HashKVResponseManifest,
        _ => throw new ArgumentException($"{o.GetType()} is not a peer message", nameof(o)),
    };

    public override byte[] ToBinary(object obj) =>
        obj is IMessage message ? message.ToByteArray() : throw new ArgumentException($"{obj.GetType()} is not a protobuf message", nameof(obj));

    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        EnvelopeManifest => PeerEnvelope.Parser.ParseFrom(bytes),
        RefusalManifest => PeerRefusal.Parser.ParseFrom(bytes),
        RaftManifest => Raftpb.Message.Parser.ParseFrom(bytes),
        MemberListRequestManifest => MemberListRequest.Parser.ParseFrom(bytes),
        MemberListResponseManifest => MemberListResponse.Parser.ParseFrom(bytes),
        RenewLeaseManifest => RenewLease.Parser.ParseFrom(bytes),
        QueryTimeToLiveManifest => QueryTimeToLive.Parser.ParseFrom(bytes),
        LessorAnswerManifest => LessorAnswer.Parser.ParseFrom(bytes),
        RaftWalRecordManifest => RaftWalRecord.Parser.ParseFrom(bytes),
        RaftWalSnapshotManifest => RaftWalSnapshot.Parser.ParseFrom(bytes),
        MemberIdentityManifest => MemberIdentityRecord.Parser.ParseFrom(bytes),
        HashKVResponseManifest => HashKVResponse.Parser.ParseFrom(bytes),
        _ => throw new System.Runtime.Serialization.SerializationException($"unknown peer message manifest '{manifest}'"),
    };
}
