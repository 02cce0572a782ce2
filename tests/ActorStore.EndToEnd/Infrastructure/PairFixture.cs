using Xunit;
namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>A single-member ActorStore and a single-member real etcd, started with the same flags.</summary>
public class PairFixture : IAsyncLifetime
{
    public MemberNode ActorStore { get; private set; } = null!;
    public MemberNode Etcd { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var starting = new[] { MemberNode.StartAsync(MemberKind.ActorStore), MemberNode.StartAsync(MemberKind.Etcd) };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await node.Result.DisposeAsync();
            }
            throw;
        }
        ActorStore = starting[0].Result;
        Etcd = starting[1].Result;
    }

    public async Task DisposeAsync()
    {
        await ActorStore.DisposeAsync();
        await Etcd.DisposeAsync();
    }
}
