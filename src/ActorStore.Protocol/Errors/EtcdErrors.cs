namespace ActorStore.Protocol.Errors;

/// <summary>The errors etcd's v3 API answers with: clients match on code and message, so both are etcd's exactly.</summary>
public static class EtcdErrors
{
    public static RpcException EmptyKey => new(StatusCode.InvalidArgument, "etcdserver: key is not provided");
    public static RpcException KeyNotFound => new(StatusCode.InvalidArgument, "etcdserver: key not found");
    public static RpcException ValueProvided => new(StatusCode.InvalidArgument, "etcdserver: value is provided");
    public static RpcException LeaseProvided => new(StatusCode.InvalidArgument, "etcdserver: lease is provided");
    public static RpcException TooManyOps => new(StatusCode.InvalidArgument, "etcdserver: too many operations in txn request");
    public static RpcException DuplicateKey => new(StatusCode.InvalidArgument, "etcdserver: duplicate key given in txn request");
    public static RpcException Compacted => new(StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted");
    public static RpcException FutureRev => new(StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision");
    public static RpcException NoSpace => new(StatusCode.ResourceExhausted, "etcdserver: mvcc: database space exceeded");
    public static RpcException LeaseNotFound => new(StatusCode.NotFound, "etcdserver: requested lease not found");
    public static RpcException LeaseExist => new(StatusCode.FailedPrecondition, "etcdserver: lease already exists");
    public static RpcException LeaseTTLTooLarge => new(StatusCode.OutOfRange, "etcdserver: too large lease TTL");
    public static RpcException WatchCanceled => new(StatusCode.Cancelled, "etcdserver: watch canceled");
    public static RpcException MemberExist => new(StatusCode.FailedPrecondition, "etcdserver: member ID already exist");
    public static RpcException PeerURLExist => new(StatusCode.FailedPrecondition, "etcdserver: Peer URLs already exists");
    public static RpcException MemberNotEnoughStarted => new(StatusCode.FailedPrecondition, "etcdserver: re-configuration failed due to not enough started members");
    public static RpcException MemberBadURLs => new(StatusCode.InvalidArgument, "etcdserver: given member URLs are invalid");
    public static RpcException MemberNotFound => new(StatusCode.NotFound, "etcdserver: member not found");
    public static RpcException MemberNotLearner => new(StatusCode.FailedPrecondition, "etcdserver: can only promote a learner member");
    public static RpcException LearnerNotReady => new(StatusCode.FailedPrecondition, "etcdserver: can only promote a learner member which is in sync with leader");
    public static RpcException TooManyLearners => new(StatusCode.FailedPrecondition, "etcdserver: too many learner members in cluster");
    public static RpcException RequestTooLarge => new(StatusCode.InvalidArgument, "etcdserver: request is too large");
    public static RpcException RequestTooManyRequests => new(StatusCode.ResourceExhausted, "etcdserver: too many requests");
    public static RpcException RootUserNotExist => new(StatusCode.FailedPrecondition, "etcdserver: root user does not exist");
    public static RpcException RootRoleNotExist => new(StatusCode.FailedPrecondition, "etcdserver: root user does not have root role");
    public static RpcException UserAlreadyExist => new(StatusCode.FailedPrecondition, "etcdserver: user name already exists");
    public static RpcException UserEmpty => new(StatusCode.InvalidArgument, "etcdserver: user name is empty");
    public static RpcException UserNotFound => new(StatusCode.FailedPrecondition, "etcdserver: user name not found");
    public static RpcException RoleAlreadyExist => new(StatusCode.FailedPrecondition, "etcdserver: role name already exists");
    public static RpcException RoleNotFound => new(StatusCode.FailedPrecondition, "etcdserver: role name not found");
    public static RpcException RoleEmpty => new(StatusCode.InvalidArgument, "etcdserver: role name is empty");
    // etcd has no gRPC error for this one: it answers Unknown with the auth package's own message.
    public static RpcException NoPasswordUser => new(StatusCode.Unknown, "auth: authentication failed, password was given for no password user");
    public static RpcException AuthFailed => new(StatusCode.InvalidArgument, "etcdserver: authentication failed, invalid user ID or password");
    public static RpcException PermissionDenied => new(StatusCode.PermissionDenied, "etcdserver: permission denied");
    public static RpcException RoleNotGranted => new(StatusCode.FailedPrecondition, "etcdserver: role is not granted to the user");
    public static RpcException PermissionNotGranted => new(StatusCode.FailedPrecondition, "etcdserver: permission is not granted to the role");
    public static RpcException AuthNotEnabled => new(StatusCode.FailedPrecondition, "etcdserver: authentication is not enabled");
    public static RpcException InvalidAuthToken => new(StatusCode.Unauthenticated, "etcdserver: invalid auth token");
    public static RpcException InvalidAuthMgmt => new(StatusCode.InvalidArgument, "etcdserver: invalid auth management");
    public static RpcException AuthOldRevision => new(StatusCode.InvalidArgument, "etcdserver: revision of auth store is old");
    public static RpcException NoLeader => new(StatusCode.Unavailable, "etcdserver: no leader");
    public static RpcException NotLeader => new(StatusCode.FailedPrecondition, "etcdserver: not leader");
    public static RpcException LeaderChanged => new(StatusCode.Unavailable, "etcdserver: leader changed");
    public static RpcException NotCapable => new(StatusCode.Unavailable, "etcdserver: not capable");
    public static RpcException Stopped => new(StatusCode.Unavailable, "etcdserver: server stopped");
    public static RpcException Timeout => new(StatusCode.Unavailable, "etcdserver: request timed out");
    public static RpcException TimeoutDueToLeaderFail => new(StatusCode.Unavailable, "etcdserver: request timed out, possibly due to previous leader failure");
    public static RpcException TimeoutDueToConnectionLost => new(StatusCode.Unavailable, "etcdserver: request timed out, possibly due to connection lost");
    public static RpcException TimeoutWaitAppliedIndex => new(StatusCode.Unavailable, "etcdserver: request timed out, waiting for the applied index took too long");
    public static RpcException Unhealthy => new(StatusCode.Unavailable, "etcdserver: unhealthy cluster");
    public static RpcException Corrupt => new(StatusCode.DataLoss, "etcdserver: corrupt cluster");
    public static RpcException BadLeaderTransferee => new(StatusCode.FailedPrecondition, "etcdserver: bad leader transferee");

    public static RpcException NotSupportedForLearner => new(StatusCode.Unavailable, "etcdserver: rpc not supported for learner");

    /// <summary>For a declared method that a later issue builds.</summary>
    public static RpcException NotYetImplemented(string method) =>
        new(StatusCode.Unimplemented, $"actorstore: {method} is not implemented yet");
}
