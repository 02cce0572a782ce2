using System.Security.Cryptography;

namespace ActorStore.Certificates;

/// <summary>
/// `actorstore certs`: makes a CA, member certificates and client certificates for an etcd cluster's TLS (see
/// <see cref="CertsUsageText"/>). Exits 0 when made, 1 when the request cannot be carried out (nothing is written
/// then), 2 for flags it cannot read, as Go's flag package exits for etcd and etcdctl.
/// </summary>
public static class CertsCommand
{
    public const string Name = "certs";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, TimeProvider clock, CancellationToken cancellation = default)
    {
        var (request, helpRequested, error, syntaxError) = CertsCommandLine.Parse(args);
        if (helpRequested)
        {
            await stdout.WriteAsync(CertsUsageText.Full());
            return 0;
        }
        if (syntaxError)
        {
            await stderr.WriteLineAsync(error);
            await stderr.WriteAsync(CertsUsageText.Usage);
            return 2;
        }
        if (request is null)
        {
            await stderr.WriteLineAsync($"actorstore certs: {error}");
            await stderr.WriteLineAsync("Run 'actorstore certs --help' for the flags and an example.");
            return 1;
        }
        try
        {
            var report = await MakeAsync(request, clock, cancellation);
            foreach (var line in report)
            {
                await stdout.WriteLineAsync(line);
            }
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or CryptographicException)
        {
            await stderr.WriteLineAsync($"actorstore certs: {e.Message}");
            return 1;
        }
    }

    /// <summary>Makes what the request asks for and returns a line for each certificate made.</summary>
    private static async Task<IReadOnlyList<string>> MakeAsync(CertsRequest request, TimeProvider clock, CancellationToken cancellation)
    {
        var caCertFile = Path.Combine(request.Directory, "ca.pem");
        var caKeyFile = Path.Combine(request.Directory, "ca-key.pem");
        var batch = new PemFileBatch();
        var report = new List<string>();
        CertificateAuthority? authority = null;
        try
        {
            if (request.MakeCa)
            {
                authority = CertificateAuthority.Create(clock);
                batch.Add(caKeyFile, authority.PrivateKeyPem(), privateKey: true);
                batch.Add(caCertFile, authority.CertificatePem(), privateKey: false);
                report.Add($"CA: {caCertFile}, key {caKeyFile} (valid until {Day(authority.Certificate.NotAfter)})");
            }
            else
            {
                authority = LoadCa(request.Directory, caCertFile, caKeyFile, clock);
            }

            if (request.Leaf is { } leaf)
            {
                var certFile = Path.Combine(request.Directory, leaf.Name + ".pem");
                var keyFile = Path.Combine(request.Directory, leaf.Name + "-key.pem");
                var issued = authority.Issue(leaf.Name, leaf.Hosts, serverAuth: leaf.IsMember, clientAuth: true, clock);
                batch.Add(keyFile, issued.PrivateKeyPem, privateKey: true);
                batch.Add(certFile, issued.CertificatePem, privateKey: false);
                report.Add(leaf.IsMember
                    ? $"member {leaf.Name}: {certFile}, key {keyFile} (server and client use, hosts {string.Join(',', leaf.Hosts)}; valid until {Day(issued.NotAfter.UtcDateTime)})"
                    : $"client {leaf.Name}: {certFile}, key {keyFile} (client use, common name {leaf.Name}; valid until {Day(issued.NotAfter.UtcDateTime)})");
            }
        }
        finally
        {
            authority?.Dispose();
        }

        var existing = batch.Existing();
        if (existing.Count > 0)
        {
            throw new IOException($"refusing to overwrite {string.Join(", ", existing)}: nothing was written (move the old files away, or choose another name or --dir)");
        }
        Directory.CreateDirectory(request.Directory);
        await batch.WriteAsync(cancellation);
        return report;
    }

    private static CertificateAuthority LoadCa(string directory, string caCertFile, string caKeyFile, TimeProvider clock)
    {
        var hasCert = File.Exists(caCertFile);
        var hasKey = File.Exists(caKeyFile);
        if (!hasCert && !hasKey)
        {
            throw new InvalidDataException($"no CA in {directory} (ca.pem and ca-key.pem): make one first with --ca, or point --dir at the directory that holds it");
        }
        if (!hasCert || !hasKey)
        {
            throw new InvalidDataException($"{(hasCert ? caKeyFile : caCertFile)} is missing: the CA needs both ca.pem and ca-key.pem");
        }
        try
        {
            return CertificateAuthority.Load(caCertFile, caKeyFile, clock);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"cannot sign with the CA in {directory}: {e.Message}", e);
        }
    }

    private static string Day(DateTime instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
