using System.Security.Cryptography.X509Certificates;
using ActorStore.Client;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.SeedsTls;
using Grpc.Net.Client;
using Xunit;

namespace ActorStore.EndToEnd.AkkaClient;

/// <summary>
/// Three ActorStore members as the seeds deploy them (client and peer mutual TLS, --client-cert-auth, certificates from
/// `actorstore certs`), for Akka.NET programs reaching them over the peer transport with the client certificate.
/// </summary>
public sealed class AkkaClientCluster : IAsyncLifetime
{
    private SeedsPki? _pki;

    public SeedsTlsCluster Cluster { get; private set; } = null!;

    public SeedsPki Pki => _pki!;

    public ClusterNodes Nodes => Cluster.Nodes;

    public async Task InitializeAsync()
    {
        _pki = await SeedsPki.CreateAsync(SeedsTlsCluster.MemberNames);
        try
        {
            Cluster = await SeedsTlsCluster.StartAsync(MemberKind.ActorStore, _pki);
        }
        catch
        {
            _pki.Dispose();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
        _pki?.Dispose();
    }

    /// <summary>Client options naming every member's peer URL, with the seeds' client certificate (CN root) and CA.</summary>
    public ActorStoreClientOptions Options()
    {
        var options = new ActorStoreClientOptions
        {
            Certificate = X509Certificate2.CreateFromPemFile(Pki.ClientCertFile, Pki.ClientKeyFile),
            ClientName = "e2e",
        };
        options.TrustedCertificates.Add(X509CertificateLoader.LoadCertificateFromFile(Pki.CaFile));
        foreach (var member in Nodes.Members)
        {
            options.Members.Add(member.PeerUrl);
        }
        return options;
    }

    /// <summary>A gRPC channel to member <paramref name="index"/>'s plain client URL.</summary>
    // No limit on what is received, as etcd's clientv3 sets it (Grpc.Net.Client would stop at 4 MB).
    public GrpcChannel Grpc(int index = 0) => GrpcChannel.ForAddress(Nodes[index].ClientUrl, new GrpcChannelOptions { MaxReceiveMessageSize = null });

    /// <summary>Restarts every member a test killed, and waits for one leader.</summary>
    public async Task HealAsync()
    {
        for (var i = 0; i < Nodes.Members.Count; i++)
        {
            if (!Nodes[i].IsRunning)
            {
                await Nodes.RestartAsync(i);
            }
        }
        await Nodes.LeaderAsync();
    }
}
