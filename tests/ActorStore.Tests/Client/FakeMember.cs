using Akka.TestKit;
using Clientpb;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Tests.Client;

/// <summary>A member as the client protocol sees it: its entry actor and the session it opens, both test probes.</summary>
internal sealed class FakeMember(TestKitBase kit, string name, ulong memberId)
{
    public TestProbe Entry { get; } = kit.CreateTestProbe(name + "-entry");

    /// <summary>The session actor of the last session opened (a new probe each time).</summary>
    public TestProbe Session { get; private set; } = kit.CreateTestProbe(name + "-session");

    private int _sessions;

    public ulong MemberId { get; } = memberId;

    /// <summary>Answers the client's hello and OpenSession as an entry does; the session probe sends SessionOpened.</summary>
    public OpenSession AcceptSession(ulong leaderId = 0)
    {
        Entry.ExpectMsg<SessionHello>();
        var client = Entry.LastSender;
        Entry.Reply(new SessionChallenge { Nonce = ByteString.CopyFromUtf8("nonce-" + MemberId), MemberId = MemberId });
        var open = Entry.ExpectMsg<OpenSession>();
        if (_sessions++ > 0)
        {
            Session = kit.CreateTestProbe($"{name}-session-{_sessions}");
        }
        Session.Send(client, new SessionOpened { MemberId = MemberId, LeaderId = leaderId == 0 ? MemberId : leaderId });
        return open;
    }

    /// <summary>The next request the session gets, answering the member-list requests the client makes itself on the way.</summary>
    public ClientRequest NextRequest()
    {
        while (true)
        {
            var request = Session.ExpectMsg<ClientRequest>();
            if (request.RequestCase != ClientRequest.RequestOneofCase.MemberList)
            {
                return request;
            }
            Session.Reply(new ClientResponse { Id = request.Id, MemberList = new MemberListResponse() });
        }
    }

    public void Answer(ClientRequest request, ClientResponse response)
    {
        response.Id = request.Id;
        Session.Reply(response);
    }
}
