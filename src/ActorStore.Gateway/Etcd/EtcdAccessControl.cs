using ActorStore.Gateway.Health;
using ActorStore.Protocol.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's access controller in front of the client URLs' HTTP answers (the JSON gateway, health, version, metrics;
/// gRPC is not HTTP to a browser): on a connection without TLS the Host must be in --host-whitelist (DNS rebinding,
/// CVE-2018-5702; 421 otherwise); over TLS with --client-cert-auth and auth on, a /v3/ request whose certificate has a
/// common name is refused (the gateway would not use it as the user); then --cors headers, and an OPTIONS request (a
/// browser's preflight) is answered 200 with those headers and nothing else. An empty list, or "*", allows all.
/// </summary>
public static class EtcdAccessControl
{
    private const string CommonNameIgnored = "CommonName of client sending a request against gateway will be ignored and not used as expected";

    public static IApplicationBuilder UseEtcdAccessControl(this IApplicationBuilder app, EtcdAccessRules rules, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(log);
        var allowAllHosts = rules.HostWhitelist.Count == 0 || rules.HostWhitelist.Contains("*");
        var hosts = rules.HostWhitelist.ToHashSet(StringComparer.Ordinal);
        var allowAllOrigins = rules.CorsOrigins.Count == 0 || rules.CorsOrigins.Contains("*");
        var origins = rules.CorsOrigins.ToHashSet(StringComparer.Ordinal);
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!request.IsHttps)
            {
                var host = HostnameOf(request.Host.Value ?? "");
                if (!allowAllHosts && !hosts.Contains(host))
                {
                    log.LogWarning("rejecting HTTP request to prevent DNS rebinding attacks {host}", host);
                    await PlainHttp.ErrorAsync(context, StatusCodes.Status421MisdirectedRequest, DnsRebindingRefusal(host)).ConfigureAwait(false);
                    return;
                }
            }
            else if (rules.RefuseCommonNamesOnGateway() && request.Path.StartsWithSegments("/v3", StringComparison.Ordinal)
                && await context.Connection.GetClientCertificateAsync().ConfigureAwait(false) is { } certificate
                && certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false) is { Length: > 0 })
            {
                await PlainHttp.ErrorAsync(context, StatusCodes.Status400BadRequest, CommonNameIgnored).ConfigureAwait(false);
                return;
            }

            var origin = allowAllOrigins ? "*" : request.Headers.Origin.ToString();
            if (allowAllOrigins || (origin.Length > 0 && origins.Contains(origin)))
            {
                var headers = context.Response.Headers;
                headers.AccessControlAllowMethods = "POST, GET, OPTIONS, PUT, DELETE";
                headers.AccessControlAllowOrigin = origin;
                headers.AccessControlAllowHeaders = "accept, content-type, authorization";
            }
            if (HttpMethods.IsOptions(request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }
            await next(context).ConfigureAwait(false);
        });
    }

    /// <summary>The Host without its port, as Go's net.SplitHostPort gives it; the whole Host when that fails.</summary>
    public static string HostnameOf(string host) => GoNet.TrySplitHostPort(host, out var name, out _) ? name : host;

    /// <summary>etcd's 421 body: what to do about an unknown Host.</summary>
    public static string DnsRebindingRefusal(string host) =>
        "\netcd received your request, but the Host header was unrecognized.\n\n" +
        "To fix this, choose one of the following options:\n" +
        "- Enable TLS, then any HTTPS request will be allowed.\n" +
        "- Add the hostname you want to use to the whitelist in settings.\n" +
        $"  - e.g. etcd --host-whitelist {GoQuote.Quote(host)}\n\n" +
        "This requirement has been added to help prevent \"DNS Rebinding\" attacks (CVE-2018-5702).\n";
}
