namespace ActorStore.Server.Membership;

/// <summary>The member's identity, replaced once when a joining member learns its ids; read by anyone.</summary>
public sealed class MemberIdentityBoard
{
    private MemberIdentity _current;

    public MemberIdentityBoard(MemberIdentity initial)
    {
        _current = initial;
    }

    public MemberIdentity Current => Volatile.Read(ref _current);

    public void Publish(MemberIdentity identity) => Volatile.Write(ref _current, identity);
}
