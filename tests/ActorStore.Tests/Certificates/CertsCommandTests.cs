using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Configuration;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Tests.Configuration;
using Xunit;

namespace ActorStore.Tests.Certificates;

/// <summary>`actorstore certs`: the files it writes, what the certificates say, and what it refuses.</summary>
public sealed class CertsCommandTests
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Makes_a_ca_a_member_and_a_client_with_owner_only_keys()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var dir = new TempDirectory();
        await CertsRun.RunOkAsync("--dir", dir.Path, "--ca");
        await CertsRun.RunOkAsync("--dir", dir.Path, "--member", "infra0", "--hosts", "10.0.1.10,infra0.example.com,localhost,127.0.0.1,::1");
        await CertsRun.RunOkAsync("--dir", dir.Path, "--client", "root");

        Assert.Equal(
            ["ca-key.pem", "ca.pem", "infra0-key.pem", "infra0.pem", "root-key.pem", "root.pem"],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var key in (string[])["ca-key.pem", "infra0-key.pem", "root-key.pem"])
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(dir.Path, key)));
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(Path.Combine(dir.Path, key)));
        }
        foreach (var certificate in (string[])["ca.pem", "infra0.pem", "root.pem"])
        {
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(dir.Path, certificate)) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        }
    }

    [Fact]
    public async Task The_ca_is_a_ten_year_p256_ca()
    {
        using var dir = new TempDirectory();
        await CertsRun.RunAtAsync(Now, "--dir", dir.Path, "--ca");

        using var ca = CertsRun.Read(dir.Path, "ca.pem");
        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        Assert.True(Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Equal(ca.SubjectName.Name, ca.IssuerName.Name);
        AssertP256(ca);
        Assert.Equal(Now.AddDays(3652).UtcDateTime, ca.NotAfter.ToUniversalTime());
        Assert.True(ca.NotBefore.ToUniversalTime() <= Now.UtcDateTime);
    }

    [Fact]
    public async Task A_member_certificate_serves_and_dials_for_its_hosts_for_five_years()
    {
        using var dir = new TempDirectory();
        await CertsRun.RunAtAsync(Now, "--dir", dir.Path, "--ca");
        var made = await CertsRun.RunAtAsync(Now, "--dir", dir.Path, "--member", "infra1", "--hosts", "10.0.1.11, infra1.example.com,localhost,127.0.0.1,[::1]");
        Assert.Equal(0, made.ExitCode);
        Assert.Contains("infra1.pem", made.StdOut);

        using var member = CertsRun.Read(dir.Path, "infra1.pem");
        using var ca = CertsRun.Read(dir.Path, "ca.pem");
        Assert.Equal("infra1", member.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal(ca.SubjectName.Name, member.IssuerName.Name);
        Assert.Equal([ServerAuth, ClientAuth], Usages(member));
        Assert.False(Assert.Single(member.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        var names = Assert.Single(member.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["infra1.example.com", "localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("10.0.1.11"), IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        AssertP256(member);
        Assert.Equal(Now.AddDays(1826).UtcDateTime, member.NotAfter.ToUniversalTime());
        Assert.True(member.NotBefore.ToUniversalTime() <= Now.UtcDateTime);
        Assert.True(member.MatchesHostname("infra1.example.com"));
    }

    [Fact]
    public async Task A_client_certificate_names_the_user_and_only_dials()
    {
        using var dir = new TempDirectory();
        await CertsRun.RunAtAsync(Now, "--dir", dir.Path, "--ca");
        await CertsRun.RunAtAsync(Now, "--dir", dir.Path, "--client", "alice");

        using var client = CertsRun.Read(dir.Path, "alice.pem");
        Assert.Equal("alice", client.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal([ClientAuth], Usages(client));
        Assert.Empty(client.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        AssertP256(client);
        Assert.Equal(Now.AddDays(1826).UtcDateTime, client.NotAfter.ToUniversalTime());
        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(dir.Path, "alice-key.pem")));
        Assert.Equal(client.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task Openssl_verifies_the_chains_for_their_purposes()
    {
        using var dir = new TempDirectory();
        await CertsRun.RunOkAsync("--dir", dir.Path, "--ca", "--member", "m1", "--hosts", "127.0.0.1,localhost");
        await CertsRun.RunOkAsync("--dir", dir.Path, "--client", "root");
        var ca = Path.Combine(dir.Path, "ca.pem");

        foreach (var (file, purpose) in ((string, string)[])[("m1.pem", "sslserver"), ("m1.pem", "sslclient"), ("root.pem", "sslclient")])
        {
            var verified = await OpensslAsync("verify", "-CAfile", ca, "-purpose", purpose, Path.Combine(dir.Path, file));
            Assert.True(verified.ExitCode == 0, verified.ToString());
            Assert.Contains(": OK", verified.StdOut);
        }
        var clientAsServer = await OpensslAsync("verify", "-CAfile", ca, "-purpose", "sslserver", Path.Combine(dir.Path, "root.pem"));
        Assert.NotEqual(0, clientAsServer.ExitCode);
    }

    [Fact]
    public async Task Later_calls_sign_with_the_ca_already_there_and_leave_it_as_it_was()
    {
        using var dir = new TempDirectory();
        await CertsRun.RunOkAsync("--dir", dir.Path, "--ca");
        var caFiles = CertsRun.Snapshot(dir.Path);
        await CertsRun.RunOkAsync("--dir", dir.Path, "--member", "m1", "--hosts", "10.0.0.1");
        await CertsRun.RunOkAsync("--dir", dir.Path, "--member", "m2", "--hosts", "10.0.0.2");

        using var ca = CertsRun.Read(dir.Path, "ca.pem");
        var caKeyId = Assert.Single(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>()).SubjectKeyIdentifierBytes.ToArray();
        foreach (var member in (string[])["m1.pem", "m2.pem"])
        {
            using var certificate = CertsRun.Read(dir.Path, member);
            Assert.Equal(caKeyId, Assert.Single(certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>()).KeyIdentifier!.Value.ToArray());
            using var chain = TrustingOnly(ca);
            Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(static s => s.StatusInformation)));
        }
        var after = CertsRun.Snapshot(dir.Path);
        Assert.All(caFiles, file => Assert.Equal(file.Value, after[file.Key]));
        using var m1 = CertsRun.Read(dir.Path, "m1.pem");
        using var m2 = CertsRun.Read(dir.Path, "m2.pem");
        Assert.NotEqual(m1.SerialNumber, m2.SerialNumber);
    }

    [Fact]
    public async Task A_ca_made_by_openssl_with_an_rsa_key_signs_too()
    {
        using var dir = new TempDirectory();
        var made = await OpensslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=seed CA", "-days", "30",
            "-keyout", Path.Combine(dir.Path, "ca-key.pem"), "-out", Path.Combine(dir.Path, "ca.pem"),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Assert.True(made.ExitCode == 0, made.ToString());

        var signed = await CertsRun.RunAsync("--dir", dir.Path, "--member", "m1", "--hosts", "127.0.0.1");
        Assert.True(signed.ExitCode == 0, signed.ToString());
        var verified = await OpensslAsync("verify", "-CAfile", Path.Combine(dir.Path, "ca.pem"), Path.Combine(dir.Path, "m1.pem"));
        Assert.True(verified.ExitCode == 0, verified.ToString());
        // A certificate cannot outlive the CA that signed it.
        using var ca = CertsRun.Read(dir.Path, "ca.pem");
        using var member = CertsRun.Read(dir.Path, "m1.pem");
        Assert.Equal(ca.NotAfter, member.NotAfter);
    }

    [Fact]
    public async Task A_certificate_signed_late_in_the_cas_life_ends_with_the_ca()
    {
        using var dir = new TempDirectory();
        await CertsRun.RunAtAsync(Now, "--dir", dir.Path, "--ca");
        await CertsRun.RunAtAsync(Now.AddYears(8), "--dir", dir.Path, "--client", "late");

        using var ca = CertsRun.Read(dir.Path, "ca.pem");
        using var client = CertsRun.Read(dir.Path, "late.pem");
        Assert.Equal(ca.NotAfter, client.NotAfter);

        var expired = await CertsRun.RunAtAsync(Now.AddYears(11), "--dir", dir.Path, "--client", "too-late");
        Assert.Equal(1, expired.ExitCode);
        Assert.Contains("expired", expired.StdErr);
        Assert.False(File.Exists(Path.Combine(dir.Path, "too-late.pem")));
    }

    [Theory]
    [InlineData("ca.pem", "--ca")]
    [InlineData("ca-key.pem", "--ca", "--client", "root")]
    [InlineData("root.pem", "--client", "root")]
    [InlineData("root-key.pem", "--client", "root")]
    [InlineData("m1.pem", "--ca", "--member", "m1", "--hosts", "127.0.0.1")]
    public async Task Refuses_to_overwrite_and_writes_nothing(string existingFile, params string[] args)
    {
        using var dir = new TempDirectory();
        if (!args.Contains("--ca"))
        {
            await CertsRun.RunOkAsync("--dir", dir.Path, "--ca");
        }
        await File.WriteAllTextAsync(Path.Combine(dir.Path, existingFile), "keep me");
        var before = CertsRun.Snapshot(dir.Path);

        var refused = await CertsRun.RunAsync(["--dir", dir.Path, .. args]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refusing to overwrite", refused.StdErr);
        Assert.Contains(existingFile, refused.StdErr);
        Assert.Equal("", refused.StdOut);
        var after = CertsRun.Snapshot(dir.Path);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
    }

    [Theory]
    [InlineData("nothing to make", new string[0])]
    [InlineData("needs --hosts", new[] { "--member", "m1" })]
    [InlineData("--hosts goes with --member", new[] { "--client", "root", "--hosts", "10.0.0.1" })]
    [InlineData("--hosts goes with --member", new[] { "--ca", "--hosts", "10.0.0.1" })]
    [InlineData("one certificate per call", new[] { "--member", "m1", "--hosts", "10.0.0.1", "--client", "root" })]
    [InlineData("one certificate per call", new[] { "--client", "a", "--client", "b" })]
    [InlineData("has an empty entry", new[] { "--member", "m1", "--hosts", "10.0.0.1,,localhost" })]
    [InlineData("\"10.0.0.300\" is not a valid IPv4 address", new[] { "--member", "m1", "--hosts", "10.0.0.300" })]
    [InlineData("\"10.1\" is not a valid IPv4 address", new[] { "--member", "m1", "--hosts", "10.1" })]
    [InlineData("\"fe80::zz\" is not a valid IPv6 address", new[] { "--member", "m1", "--hosts", "fe80::zz" })]
    [InlineData("\"bad_host\" is neither an IP address nor a DNS name", new[] { "--member", "m1", "--hosts", "bad_host" })]
    [InlineData("\"-x.example.com\" is neither", new[] { "--member", "m1", "--hosts", "-x.example.com" })]
    [InlineData("cannot be a file name", new[] { "--client", "../root" })]
    [InlineData("cannot be a file name", new[] { "--member", "a b", "--hosts", "10.0.0.1" })]
    [InlineData("--client is empty", new[] { "--client", "" })]
    [InlineData("would clash with the CA's files", new[] { "--client", "ca" })]
    [InlineData("would clash with another certificate's key file", new[] { "--client", "root-key" })]
    [InlineData("is too long", new[] { "--client", "a123456789012345678901234567890123456789012345678901234567890123456789" })]
    [InlineData("'extra' is not a valid flag", new[] { "--ca", "extra" })]
    [InlineData("--dir is empty", new[] { "--dir", "", "--ca" })]
    [InlineData("no CA in", new[] { "--client", "root" })]
    public async Task Bad_requests_are_refused_with_a_clear_error_and_nothing_written(string error, string[] args)
    {
        using var dir = new TempDirectory();
        var inDir = args.Contains("--dir") ? args : ["--dir", dir.Path, .. args];

        var refused = await CertsRun.RunAsync(inDir);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(error, refused.StdErr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("flag provided but not defined: -name", "--name", "x")]
    [InlineData("flag needs an argument: -member", "--member")]
    [InlineData("invalid boolean value \"maybe\" for -ca", "--ca=maybe")]
    public async Task Unreadable_flags_exit_2_with_the_usage(string error, params string[] args)
    {
        using var dir = new TempDirectory();
        var refused = await CertsRun.RunAsync(["--dir", dir.Path, .. args]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains(error, refused.StdErr);
        Assert.Contains("actorstore certs [flags]", refused.StdErr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task A_half_ca_is_not_used()
    {
        using var dir = new TempDirectory();
        await CertsRun.RunOkAsync("--dir", dir.Path, "--ca");
        File.Delete(Path.Combine(dir.Path, "ca-key.pem"));

        var refused = await CertsRun.RunAsync("--dir", dir.Path, "--client", "root");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("ca-key.pem is missing", refused.StdErr);
        Assert.Equal(["ca.pem"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_directory_is_made_when_missing()
    {
        using var dir = new TempDirectory();
        var nested = Path.Combine(dir.Path, "pki", "cluster-a");

        await CertsRun.RunOkAsync("--dir", nested, "--ca", "--client", "root");

        Assert.True(File.Exists(Path.Combine(nested, "root.pem")));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--ca", "-help")]
    public async Task Help_shows_the_flags_and_the_three_member_example(params string[] args)
    {
        var help = await CertsRun.RunAsync(args);

        Assert.Equal(0, help.ExitCode);
        Assert.Equal("", help.StdErr);
        foreach (var flag in (string[])["--dir '.'", "--ca", "--member NAME", "--hosts HOSTS", "--client NAME"])
        {
            Assert.Contains("  " + flag, help.StdOut);
        }
        Assert.Contains("actorstore certs --dir certs --ca\n", help.StdOut);
        Assert.Contains("--member infra0 --hosts 10.0.1.10,", help.StdOut);
        Assert.Contains("--member infra1 --hosts 10.0.1.11,", help.StdOut);
        Assert.Contains("--member infra2 --hosts 10.0.1.12,", help.StdOut);
        Assert.Contains("actorstore certs --dir certs --client root\n", help.StdOut);
        Assert.Contains("--cacert certs/ca.pem --cert certs/root.pem --key certs/root-key.pem", help.StdOut);
    }

    [Fact]
    public void The_members_help_mentions_the_certs_command()
    {
        var help = Assert.IsType<HelpRequested>(ConfigTestKit.Load("--help"));

        Assert.Contains("actorstore certs [flags]", help.Usage);
        Assert.StartsWith("Usage:\n\n  actorstore [flags]\n", help.Usage);
    }

    private static string[] Usages(X509Certificate2 certificate) =>
        Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages
            .Cast<Oid>().Select(static oid => oid.Value!).ToArray();

    private static void AssertP256(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
        Assert.Equal("1.2.840.10045.4.3.2", certificate.SignatureAlgorithm.Value); // ecdsa-with-SHA256
    }

    private static X509Chain TrustingOnly(X509Certificate2 ca)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain;
    }

    private static Task<CommandResult> OpensslAsync(params string[] args) => ProcessRunner.RunAsync("openssl", args);
}
