using System.Security.Cryptography;
using ActorStore.Client.Wire;
using ActorStore.Protocol.Errors;
using Akka.Actor;
using Clientpb;
using Etcdserverpb;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Clients;

/// <summary>
/// Where Akka.NET programs open sessions on this member (/user/clients, <see cref="SessionProof.EntryActorName"/>):
/// SessionHello gets a fresh nonce, good once within 30 seconds; OpenSession with that nonce and credentials (none,
/// a password as etcd's Authenticate takes it, or a certificate proof) gets a <see cref="ClientSession"/>, which is
/// the sender of SessionOpened, or SessionRefused with etcd's error. A client's bad input is refused, never thrown.
/// </summary>
public sealed class ClientEntry : ReceiveActor
{
    private const int NonceBytes = 32;
    private const int MaxOutstandingChallenges = 10_000;
    private static readonly TimeSpan ChallengeLifetime = TimeSpan.FromSeconds(30);

    private readonly EtcdMember _member;
    private readonly ClientCertificateProof _certificates;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DateTimeOffset> _challenges = new(StringComparer.Ordinal);

    public ClientEntry(EtcdMember member, ClientCertificateProof certificates, ILogger logger)
    {
        _member = member;
        _certificates = certificates;
        _logger = logger;
        Receive<SessionHello>(OnHello);
        Receive<OpenSession>(OnOpen);
        Receive<Opening>(OnOpening);
        Receive<Refusal>(refusal => Refuse(refusal.ReplyTo, refusal.ClientName, refusal.Code, refusal.Message));
    }

    public static Props Props(EtcdMember member, ClientCertificateProof certificates, ILogger logger) =>
        Akka.Actor.Props.Create(() => new ClientEntry(member, certificates, logger));

    /// <summary>A session that fails stops; the entry and the other sessions go on.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Decider.From(Directive.Stop));

    private void OnHello(SessionHello hello)
    {
        var now = Context.System.Scheduler.Now;
        foreach (var expired in _challenges.Where(challenge => challenge.Value <= now).Select(challenge => challenge.Key).ToList())
        {
            _challenges.Remove(expired);
        }
        if (_challenges.Count >= MaxOutstandingChallenges)
        {
            Refuse(Sender, hello.ClientName, StatusCode.ResourceExhausted, "actorstore: too many session challenges outstanding, try again later");
            return;
        }
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        _challenges[Convert.ToHexString(nonce)] = now + ChallengeLifetime;
        var identity = _member.Identity;
        Sender.Tell(new SessionChallenge { Nonce = Google.Protobuf.ByteString.CopyFrom(nonce), ClusterId = identity.ClusterId, MemberId = identity.MemberId });
    }

    private void OnOpen(OpenSession open)
    {
        var replyTo = Sender;
        try
        {
            if (!TakeChallenge(open.Nonce.ToByteArray()))
            {
                Refuse(replyTo, open.ClientName, StatusCode.Unauthenticated, "actorstore: session nonce unknown, already used or expired");
                return;
            }
            switch (open.CredentialsCase)
            {
                case OpenSession.CredentialsOneofCase.Password:
                    AuthenticateAsync(open.Password, replyTo, open.ClientName).PipeTo(Self);
                    break;
                case OpenSession.CredentialsOneofCase.Certificate:
                    CheckProofAsync(open.Certificate, open.Nonce.ToByteArray(), replyTo, open.ClientName).PipeTo(Self);
                    break;
                default:
                    OnOpening(new Opening(replyTo, open.ClientName, SessionCaller.Nobody(_member.Auth), User: ""));
                    break;
            }
        }
        catch (Exception e)
        {
            Refuse(replyTo, open.ClientName, StatusCode.Unknown, e.Message);
        }
    }

    private bool TakeChallenge(byte[] nonce) =>
        _challenges.Remove(Convert.ToHexString(nonce), out var expires) && Context.System.Scheduler.Now < expires;

    /// <summary>etcd's Authenticate; with auth off the session opens without a user, as etcd's client goes on then.</summary>
    private async Task<object> AuthenticateAsync(PasswordCredentials password, IActorRef replyTo, string clientName)
    {
        try
        {
            var authenticated = await _member.Auth.AuthenticateAsync(new AuthenticateRequest { Name = password.Name, Password = password.Password }, CancellationToken.None)
                .ConfigureAwait(false);
            return new Opening(replyTo, clientName, SessionCaller.WithPassword(_member.Auth, password, authenticated.Token), password.Name);
        }
        catch (RpcException e) when (e.Message == EtcdErrors.AuthNotEnabled.Message)
        {
            return new Opening(replyTo, clientName, SessionCaller.WithPassword(_member.Auth, password, token: null), User: "");
        }
        catch (RpcException e)
        {
            return new Refusal(replyTo, clientName, e.Status, e.Message);
        }
        catch (Exception e)
        {
            return new Refusal(replyTo, clientName, StatusCode.Unknown, e.Message);
        }
    }

    /// <summary>Checks the proof off the entry's thread (chain building may read the CRL file).</summary>
    private async Task<object> CheckProofAsync(CertificateProof proof, byte[] nonce, IActorRef replyTo, string clientName)
    {
        try
        {
            var outcome = await Task.Run(() => _certificates.Check(proof, nonce)).ConfigureAwait(false);
            return outcome.User is { } user
                ? new Opening(replyTo, clientName, SessionCaller.WithCertificate(_member.Auth, user), user)
                : new Refusal(replyTo, clientName, StatusCode.Unauthenticated, outcome.Refusal ?? "certificate proof refused");
        }
        catch (Exception e)
        {
            return new Refusal(replyTo, clientName, StatusCode.Unknown, e.Message);
        }
    }

    private void OnOpening(Opening opening)
    {
        var id = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var session = Context.ActorOf(ClientSession.Props(_member, opening.Caller, opening.ReplyTo, opening.ClientName, _logger), id);
        var identity = _member.Identity;
        opening.ReplyTo.Tell(new SessionOpened
        {
            ClusterId = identity.ClusterId,
            MemberId = identity.MemberId,
            User = opening.User,
            LeaderId = _member.Raft.Leader,
        }, session);
        _logger.LogDebug("client session {session} opened for {client-name} at {client-address} as user {user}",
            id, opening.ClientName, opening.ReplyTo.Path.Address, opening.User);
    }

    private void Refuse(IActorRef replyTo, string clientName, StatusCode code, string message)
    {
        _logger.LogWarning("refused client session of {client-name} at {client-address}: {error}", clientName, replyTo.Path.Address, message);
        replyTo.Tell(new SessionRefused { Error = new ClientError { Code = (int)code, Message = message } });
    }

    /// <summary>Credentials accepted: the session to open.</summary>
    private sealed record Opening(IActorRef ReplyTo, string ClientName, SessionCaller Caller, string User);

    /// <summary>Credentials refused, with etcd's error.</summary>
    private sealed record Refusal(IActorRef ReplyTo, string ClientName, StatusCode Code, string Message);
}
