using Akka.Actor;
using Clientpb;

namespace ActorStore.Client.Sessions;

/// <summary>A request the client has taken and not yet answered: queued (no session) or sent on <see cref="SentOn"/>.</summary>
internal sealed class InFlightRequest(ClientRequest request, IActorRef? caller, DateTimeOffset deadline)
{
    public ClientRequest Request { get; } = request;

    /// <summary>Who gets the answer; null for the client's own requests (the member list).</summary>
    public IActorRef? Caller { get; } = caller;

    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>How often the request was sent to a member.</summary>
    public int Attempts { get; set; }

    /// <summary>The session the request went to and waits on; null while it waits for one.</summary>
    public IActorRef? SentOn { get; set; }

    public bool SafeToRepeat => ClientRequests.IsSafeToRepeat(Request.RequestCase);
}
