using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;

namespace ActorStore.Discovery;

/// <summary>
/// etcd's DNS SRV bootstrap (--discovery-srv DOMAIN, --discovery-srv-name NAME): the initial cluster is read from
/// _etcd-server-ssl[-NAME]._tcp.DOMAIN (https peers) and _etcd-server[-NAME]._tcp.DOMAIN (http peers). As in etcd,
/// each target is resolved to an address, and the one whose address and port are those of one of this member's
/// advertised peer URLs is this member (named by --name); the others get the names "0", "1", ... (a member's id comes
/// from its peer URLs, so the names do not matter). Unlike etcd 3.4.23, whose plain-HTTP records go unused (a slip in
/// its code, fixed in later releases), both kinds are taken. The name server is the system's, or
/// ACTORSTORE_DNS_SERVER=host:port.
/// </summary>
public sealed class SrvClusterDiscovery
{
    public const string DnsServerVariable = "ACTORSTORE_DNS_SERVER";

    private readonly ILookupClient _dns;
    private readonly bool _ownServer;
    private readonly string _serverLabel;

    private SrvClusterDiscovery(ILookupClient dns, bool ownServer, string serverLabel)
    {
        _dns = dns;
        _ownServer = ownServer;
        _serverLabel = serverLabel;
    }

    /// <summary>A discovery asking the name server of ACTORSTORE_DNS_SERVER (host:port) if set, else the system's.</summary>
    public static SrvClusterDiscovery Create(IReadOnlyDictionary<string, string?> environment)
    {
        if (environment.TryGetValue(DnsServerVariable, out var server) && !string.IsNullOrEmpty(server))
        {
            if (!IPEndPoint.TryParse(server, out var endpoint) || endpoint.Port == 0)
            {
                throw new FormatException($"{DnsServerVariable}={server} is not an address:port");
            }
            var options = new LookupClientOptions(new NameServer(endpoint)) { UseCache = false, Timeout = TimeSpan.FromSeconds(3), Retries = 2 };
            return new SrvClusterDiscovery(new LookupClient(options), ownServer: true, endpoint.ToString());
        }
        var system = new LookupClient(new LookupClientOptions { UseCache = false });
        return new SrvClusterDiscovery(system, ownServer: false, string.Join(",", system.NameServers.Select(ns => ns.ToString())));
    }

    /// <summary>
    /// The initial cluster ("name=url,...") for member <paramref name="name"/>, or etcd's error. Logs what etcd logs.
    /// </summary>
    public async Task<(string? InitialCluster, string? Error)> ResolveAsync(
        string domain, string serviceName, string name, IReadOnlyList<Uri> advertisedPeerUrls, ILogger log, CancellationToken ct)
    {
        var suffix = serviceName.Length > 0 ? "-" + serviceName : "";
        var secure = await GetClusterAsync("https", "etcd-server-ssl" + suffix, name, domain, advertisedPeerUrls, ct);
        log.LogInformation("get cluster for etcd-server-ssl SRV {service-scheme} {service-name} {server-name} {discovery-srv} {advertise-peer-urls} {found-cluster} {error}",
            "https", "etcd-server-ssl" + suffix, name, domain, advertisedPeerUrls.Select(url => url.OriginalString).ToArray(), secure.Members, secure.Error);
        var plain = await GetClusterAsync("http", "etcd-server" + suffix, name, domain, advertisedPeerUrls, ct);
        log.LogInformation("get cluster for etcd-server SRV {service-scheme} {service-name} {server-name} {discovery-srv} {advertise-peer-urls} {found-cluster} {error}",
            "http", "etcd-server" + suffix, name, domain, advertisedPeerUrls.Select(url => url.OriginalString).ToArray(), plain.Members, plain.Error);

        var members = secure.Members.Concat(plain.Members).ToList();
        if (members.Count == 0)
        {
            var error = secure.Error ?? plain.Error ?? $"no SRV records for _etcd-server-ssl{suffix} or _etcd-server{suffix} in {domain}";
            log.LogWarning("failed to resolve during SRV discovery {error}", error);
            return (null, error);
        }
        foreach (var member in members)
        {
            log.LogInformation("got bootstrap from DNS for etcd-server {node}", member);
        }
        if (!members.Any(member => member.StartsWith(name + "=", StringComparison.Ordinal)))
        {
            return (null, $"cannot find local etcd member \"{name}\" in SRV records");
        }
        return (string.Join(",", members), null);
    }

    private async Task<SrvLookup> GetClusterAsync(
        string scheme, string service, string name, string domain, IReadOnlyList<Uri> advertisedPeerUrls, CancellationToken ct)
    {
        var ownEndpoints = new Dictionary<IPEndPoint, Uri>();
        foreach (var url in advertisedPeerUrls)
        {
            var resolved = await ResolveAsync(url.Host, url.Port, ct);
            if (resolved.Address is null)
            {
                return new SrvLookup([], resolved.Error);
            }
            ownEndpoints[resolved.Address] = url;
        }

        var query = $"_{service}._tcp.{domain}";
        IDnsQueryResponse response;
        try
        {
            response = await _dns.QueryAsync(query, QueryType.SRV, QueryClass.IN, ct);
        }
        catch (DnsResponseException e)
        {
            return new SrvLookup([], $"error querying DNS SRV records for _{service} lookup {query} on {_serverLabel}: {e.Message}");
        }
        var records = response.Answers.SrvRecords().OrderBy(record => record.Priority).ThenByDescending(record => record.Weight).ToList();
        if (response.HasError || records.Count == 0)
        {
            var why = response.HasError ? "no such host" : "no SRV records";
            return new SrvLookup([], $"error querying DNS SRV records for _{service} lookup {query} on {_serverLabel}: {why}");
        }

        var members = new List<string>();
        string? lastError = null;
        var temporaryName = 0;
        foreach (var record in records)
        {
            var target = record.Target.Value.TrimEnd('.');
            var resolved = await ResolveAsync(target, record.Port, ct);
            if (resolved.Address is null)
            {
                lastError = resolved.Error;
                continue;
            }
            var host = target.Contains(':', StringComparison.Ordinal) ? $"[{target}]:{record.Port}" : $"{target}:{record.Port}";
            var isLocal = ownEndpoints.TryGetValue(resolved.Address, out var ownUrl);
            if (isLocal && ownUrl!.Scheme != scheme)
            {
                lastError = $"bootstrap at {scheme}://{host} from DNS for {service} has scheme mismatch with expected peer {ownUrl.OriginalString}";
                continue;
            }
            var memberName = isLocal ? name : (temporaryName++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            members.Add($"{memberName}={scheme}://{host}");
        }
        return members.Count > 0
            ? new SrvLookup(members, null)
            : new SrvLookup([], $"error querying DNS SRV records for _{service} {lastError}");
    }

    /// <summary>A host and port as an address, IPv4 first, as Go's ResolveTCPAddr picks it.</summary>
    private async Task<(IPEndPoint? Address, string? Error)> ResolveAsync(string host, int port, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return (new IPEndPoint(literal, port), null);
        }
        var addresses = new List<IPAddress>();
        if (_ownServer)
        {
            // The test's (or operator's) name server first; names it does not hold (localhost) from the system.
            try
            {
                var answer = await _dns.QueryAsync(host, QueryType.A, QueryClass.IN, ct);
                addresses.AddRange(answer.Answers.ARecords().Select(record => record.Address));
            }
            catch (DnsResponseException)
            {
            }
        }
        if (addresses.Count == 0)
        {
            try
            {
                addresses.AddRange(await Dns.GetHostAddressesAsync(host, ct));
            }
            catch (SocketException e)
            {
                return (null, $"lookup {host}: {e.Message}");
            }
        }
        var chosen = addresses.FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        return chosen is null ? (null, $"lookup {host}: no such host") : (new IPEndPoint(chosen, port), null);
    }
}
