using ActorStore.Client.Wire;
using ActorStore.Client.Watches;
using Akka.Actor;
using Akka.Event;
using Clientpb;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Client.Sessions;

/// <summary>
/// The actor a program talks to: keeps one session with a member (preferring the leader's), sends each etcd request
/// on it correlated by id, and on losing the member reconnects to the next one, re-sending only what is safe to repeat.
/// Every caller gets an answer within <see cref="ActorStoreClientOptions.RequestTimeout"/>.
/// </summary>
internal sealed class ClientActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(2);

    private readonly ActorStoreClientOptions _options;
    private readonly Func<string, ActorPath> _entryOf;
    private readonly MemberContacts _contacts;
    private readonly Dictionary<ulong, InFlightRequest> _requests = [];
    private readonly HashSet<IActorRef> _relays = [];
    private readonly ResponseAssembly _largeResponses = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private ulong _nextRequestId;
    private ulong _nextRelayId;
    private int _contactIndex;
    private int _attempt;
    private ActorPath? _entry;
    private bool _challengeAnswered;
    private TimeSpan _backoff = FirstBackoff;
    private IActorRef? _session;
    private string _sessionMember = "";
    private ulong _memberId;
    private ulong _leaderId;

    public ClientActor(ActorStoreClientOptions options, Func<string, ActorPath> entryOf)
    {
        _options = options;
        _entryOf = entryOf;
        _contacts = new MemberContacts(options.Members);
        Connecting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ActorStoreClientOptions options, Func<string, ActorPath> entryOf) =>
        Akka.Actor.Props.Create(() => new ClientActor(options, entryOf));

    protected override void PreStart() => SayHello();

    private void Connecting()
    {
        Receive<SessionChallenge>(OnChallenge);
        Receive<SessionOpened>(OnOpened);
        Receive<SessionRefused>(OnRefused);
        Receive<ConnectTimedOut>(timedOut =>
        {
            if (timedOut.Attempt == _attempt)
            {
                _log.Info("ActorStore member {0} did not open a session in time; trying the next member", _contacts[_contactIndex]);
                NextMemberLater();
            }
        });
        Receive<Reconnect>(_ => SayHello());
        Receive<RetryRequest>(_ => { }); // sent when a session opens
        Receive<ClientResponse>(_ => { }); // of a session given up on
        Common();
    }

    private void Connected()
    {
        Receive<ClientResponse>(OnResponse);
        Receive<ClientResponsePart>(part =>
        {
            if (Sender.Equals(_session) && _largeResponses.Add(part) is { } whole)
            {
                OnResponse(whole);
            }
        });
        Receive<RetryRequest>(retry =>
        {
            if (_requests.TryGetValue(retry.Id, out var request) && request.SentOn is null)
            {
                Send(request);
            }
        });
        // Late answers of an earlier attempt.
        Receive<SessionChallenge>(_ => { });
        Receive<SessionOpened>(_ => Sender.Tell(new CloseSession()));
        Receive<SessionRefused>(_ => { });
        Receive<ConnectTimedOut>(_ => { });
        Receive<Reconnect>(_ => { });
        Common();
    }

    /// <summary>What the client does whether or not a session is open.</summary>
    private void Common()
    {
        Receive<Watch>(OnWatch);
        Receive<SessionWanted>(_ =>
        {
            if (_session is not null)
            {
                Sender.Tell(new SessionAvailable(_session));
            }
        });
        Receive<RequestDeadline>(OnDeadline);
        Receive<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_session))
            {
                LoseSession("the member's session ended (member stopped or unreachable)");
            }
            else
            {
                _relays.Remove(terminated.ActorRef);
            }
        });
        ReceiveAny(OnRequest);
    }

    private void SayHello()
    {
        _attempt++;
        _challengeAnswered = false;
        try
        {
            _entry = _entryOf(_contacts[_contactIndex]);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            // A peer URL from the member list that names no address: skip it.
            _log.Warning("ActorStore member address {0} is not usable: {1}", _contacts[_contactIndex], e.Message);
            NextMemberLater();
            return;
        }
        Context.ActorSelection(_entry).Tell(new SessionHello { ClientName = _options.ClientName }, Self);
        Timers.StartSingleTimer(nameof(ConnectTimedOut), new ConnectTimedOut(_attempt), ConnectTimeout);
    }

    private TimeSpan ConnectTimeout => _options.ConnectTimeout;

    private void OnChallenge(SessionChallenge challenge)
    {
        if (_challengeAnswered || !Sender.Path.Equals(_entry))
        {
            return;
        }
        OpenSession open;
        try
        {
            open = SessionCredentials.Answer(challenge, _options);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            _log.Error(e, "ActorStore client cannot prove its certificate");
            FailQueued(new Protocol.Errors.RpcException(Protocol.Errors.StatusCode.Unauthenticated, e.Message));
            NextMemberLater();
            return;
        }
        _challengeAnswered = true;
        Sender.Tell(open, Self);
    }

    private void OnOpened(SessionOpened opened)
    {
        if (!_challengeAnswered)
        {
            Sender.Tell(new CloseSession());
            return;
        }
        Timers.Cancel(nameof(ConnectTimedOut));
        _session = Sender;
        _sessionMember = _contacts[_contactIndex];
        _memberId = opened.MemberId;
        _leaderId = opened.LeaderId;
        _backoff = FirstBackoff;
        Context.Watch(_session);
        _log.Info("ActorStore session open on member {0:x} ({1}) as user '{2}'", opened.MemberId, _sessionMember, opened.User);
        Become(Connected);
        foreach (var request in _requests.Values.Where(request => request.SentOn is null).OrderBy(request => request.Request.Id).ToList())
        {
            Send(request);
        }
        foreach (var relay in _relays)
        {
            relay.Tell(new SessionAvailable(_session));
        }
        // The member list names the other members (more contacts) and where the leader is.
        Register(new ClientRequest { MemberList = new MemberListRequest() }, caller: null);
    }

    private void OnRefused(SessionRefused refused)
    {
        if (!Sender.Path.Equals(_entry))
        {
            return;
        }
        var error = ClientErrors.From(refused.Error ?? new ClientError { Code = (int)Protocol.Errors.StatusCode.Unavailable, Message = "session refused" });
        _log.Warning("ActorStore member {0} refused a session: {1}", _contacts[_contactIndex], error.Message);
        FailQueued(error);
        NextMemberLater();
    }

    private void OnRequest(object message)
    {
        var request = ClientRequests.Wrap(message);
        if (request is null)
        {
            Sender.Tell(new Status.Failure(ClientErrors.NotARequest(message)));
            return;
        }
        if (_session is null && _requests.Count >= _options.MaxQueuedRequests)
        {
            Sender.Tell(new Status.Failure(ClientErrors.QueueFull()));
            return;
        }
        Register(request, Sender);
    }

    private void Register(ClientRequest request, IActorRef? caller)
    {
        request.Id = ++_nextRequestId;
        var inFlight = new InFlightRequest(request, caller, Context.System.Scheduler.Now + _options.RequestTimeout);
        _requests[request.Id] = inFlight;
        Timers.StartSingleTimer(DeadlineKey(request.Id), new RequestDeadline(request.Id), _options.RequestTimeout);
        if (_session is not null)
        {
            Send(inFlight);
        }
    }

    private void Send(InFlightRequest request)
    {
        var remaining = request.Deadline - Context.System.Scheduler.Now;
        request.Request.TimeoutMs = Math.Max(1, (long)remaining.TotalMilliseconds);
        request.Attempts++;
        request.SentOn = _session;
        _session!.Tell(request.Request, Self);
    }

    private void OnResponse(ClientResponse response)
    {
        if (!_requests.TryGetValue(response.Id, out var request))
        {
            return; // answered already (deadline) or not ours
        }
        if (response.ResponseCase == ClientResponse.ResponseOneofCase.Error)
        {
            if (request.SafeToRepeat && ClientErrors.IsLeaderTrouble(response.Error) && request.Attempts <= _options.MaxRetries)
            {
                // The cluster elects a leader: ask again a little later.
                request.SentOn = null;
                Timers.StartSingleTimer(("retry", response.Id), new RetryRequest(response.Id), Backoff(request.Attempts));
                return;
            }
            Finish(request, new Status.Failure(ClientErrors.From(response.Error)));
            return;
        }
        var answer = ClientRequests.Unwrap(response);
        if (answer is null)
        {
            Finish(request, new Status.Failure(new Protocol.Errors.RpcException(Protocol.Errors.StatusCode.Internal, "actorstore client: empty response")));
            return;
        }
        if (request.Caller is null && answer is MemberListResponse members)
        {
            Finish(request, answer);
            LearnMembers(members);
            return;
        }
        Finish(request, answer);
    }

    private void Finish(InFlightRequest request, object answer)
    {
        _requests.Remove(request.Request.Id);
        Timers.Cancel(DeadlineKey(request.Request.Id));
        request.Caller?.Tell(answer);
    }

    private void OnDeadline(RequestDeadline deadline)
    {
        if (!_requests.TryGetValue(deadline.Id, out var request))
        {
            return;
        }
        Finish(request, new Status.Failure(ClientErrors.DeadlineExceeded()));
        if (request.SentOn is not null && request.SentOn.Equals(_session) && !ClientRequests.MayWaitLong(request.Request.RequestCase))
        {
            // The member took the request and stayed silent: it is stuck or cut off; another member may do better.
            _log.Warning("ActorStore member {0} did not answer request {1} in time; moving to the next member", _sessionMember, deadline.Id);
            _session.Tell(new CloseSession());
            LoseSession("a request timed out");
        }
    }

    private void LoseSession(string reason)
    {
        _log.Info("ActorStore session on member {0} lost: {1}; reconnecting", _sessionMember, reason);
        if (_session is not null)
        {
            Context.Unwatch(_session);
        }
        _session = null;
        _largeResponses.Clear();
        foreach (var request in _requests.Values.Where(request => request.SentOn is not null).ToList())
        {
            request.SentOn = null;
            if (request.Caller is null || !request.SafeToRepeat || request.Attempts > _options.MaxRetries)
            {
                Finish(request, new Status.Failure(ClientErrors.MemberLost()));
            }
        }
        Become(Connecting);
        NextMemberLater();
    }

    private void NextMemberLater()
    {
        _contactIndex++;
        _attempt++; // answers of the attempt given up on are stale now
        _challengeAnswered = false;
        Timers.StartSingleTimer(nameof(Reconnect), Reconnect.Instance, _backoff);
        _backoff = _backoff * 2 > LastBackoff ? LastBackoff : _backoff * 2;
    }

    private void FailQueued(Exception error)
    {
        foreach (var request in _requests.Values.Where(request => request.SentOn is null).ToList())
        {
            Finish(request, new Status.Failure(error));
        }
    }

    /// <summary>Adds the members' peer URLs to the contacts, and moves the session to the leader's member when it is elsewhere.</summary>
    private void LearnMembers(MemberListResponse members)
    {
        foreach (var url in members.Members.Where(member => !member.IsLearner).SelectMany(member => member.PeerURLs))
        {
            if (_contacts.Add(url))
            {
                _log.Info("ActorStore member {0} joins the client's contacts", url);
            }
        }
        if (_leaderId == 0 || _leaderId == _memberId || _session is null)
        {
            return;
        }
        var leaderUrl = members.Members.FirstOrDefault(member => member.ID == _leaderId)?.PeerURLs.FirstOrDefault();
        var leaderIndex = leaderUrl is null ? -1 : _contacts.IndexOf(leaderUrl);
        // Moving is for latency only: never at the price of failing a request in flight.
        if (leaderIndex < 0 || _requests.Values.Any(request => request.SentOn is not null))
        {
            return;
        }
        _log.Info("ActorStore session moves to the leader's member {0}", leaderUrl!);
        _session.Tell(new CloseSession());
        Context.Unwatch(_session);
        _session = null;
        _largeResponses.Clear();
        _contactIndex = leaderIndex;
        Become(Connecting);
        SayHello();
    }

    private void OnWatch(Watch watch)
    {
        if (watch.Credits < 1)
        {
            Sender.Tell(new Status.Failure(new Protocol.Errors.RpcException(Protocol.Errors.StatusCode.InvalidArgument, "actorstore client: a watch needs at least one credit")));
            return;
        }
        var relayId = ++_nextRelayId;
        var relay = Context.ActorOf(WatchRelay.Props(watch, relayId, Self), "watch-" + relayId);
        Context.Watch(relay);
        _relays.Add(relay);
        Sender.Tell(new WatchStarted(relay));
    }

    private static TimeSpan Backoff(int attempts)
    {
        var delay = FirstBackoff * Math.Pow(2, Math.Min(attempts - 1, 5));
        return delay > LastBackoff ? LastBackoff : delay;
    }

    private static (string, ulong) DeadlineKey(ulong id) => ("deadline", id);

    private sealed record ConnectTimedOut(int Attempt);

    private sealed record Reconnect
    {
        public static Reconnect Instance { get; } = new();
    }

    private sealed record RequestDeadline(ulong Id);

    private sealed record RetryRequest(ulong Id);
}
