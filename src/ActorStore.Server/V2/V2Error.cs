namespace ActorStore.Server.V2;

/// <summary>
/// An error of etcd's v2 API: its code, message and HTTP status are etcd's (v2error); the cause names what failed and
/// the index is the store's index when it failed.
/// </summary>
public sealed class V2Error : Exception
{
    public const int KeyNotFound = 100;
    public const int TestFailed = 101;
    public const int NotFile = 102;
    public const int NotDir = 104;
    public const int NodeExist = 105;
    public const int RootReadOnly = 107;
    public const int DirNotEmpty = 108;
    public const int Unauthorized = 110;
    public const int PrevValueRequired = 201;
    public const int TtlNotANumber = 202;
    public const int IndexNotANumber = 203;
    public const int InvalidField = 209;
    public const int InvalidForm = 210;
    public const int RefreshValue = 211;
    public const int RefreshTtlRequired = 212;
    public const int RaftInternal = 300;
    public const int LeaderElect = 301;
    public const int EventIndexCleared = 401;

    public V2Error(int errorCode, string cause, ulong index)
        : base(MessageOf(errorCode))
    {
        ErrorCode = errorCode;
        Cause = cause;
        Index = index;
    }

    public int ErrorCode { get; }

    public string Cause { get; }

    public ulong Index { get; }

    /// <summary>The status etcd answers with: a few codes have their own, every other one is a bad request.</summary>
    public int HttpStatus => ErrorCode switch
    {
        KeyNotFound => 404,
        NotFile or DirNotEmpty => 403,
        Unauthorized => 401,
        TestFailed or NodeExist => 412,
        RaftInternal or LeaderElect => 500,
        _ => 400,
    };

    public static string MessageOf(int errorCode) => errorCode switch
    {
        KeyNotFound => "Key not found",
        TestFailed => "Compare failed",
        NotFile => "Not a file",
        NotDir => "Not a directory",
        NodeExist => "Key already exists",
        RootReadOnly => "Root is read only",
        DirNotEmpty => "Directory not empty",
        Unauthorized => "The request requires user authentication",
        PrevValueRequired => "PrevValue is Required in POST form",
        TtlNotANumber => "The given TTL in POST form is not a number",
        IndexNotANumber => "The given index in POST form is not a number",
        InvalidField => "Invalid field",
        InvalidForm => "Invalid POST form",
        RefreshValue => "Value provided on refresh",
        RefreshTtlRequired => "A TTL must be provided on refresh",
        RaftInternal => "Raft Internal Error",
        LeaderElect => "During Leader Election",
        EventIndexCleared => "The event in requested index is outdated and cleared",
        _ => "",
    };
}
