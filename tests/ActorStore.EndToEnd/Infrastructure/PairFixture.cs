using Xunit;
namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>A single-member ActorStore and a single-member real etcd, started with the same flags.</summary>
public class PairFixture : IAsyncLifetime
{
    public MemberNode ActorStore { get; private set; } = null!;
    public MemberNode Etcd { get; private set; } = null!;

    public async Task InitializeAsync() =>
        (ActorStore, Etcd) = await StartBothAsync(kind => MemberNode.StartAsync(kind, ExtraArgs()));

    /// <summary>Flags both members start with, beyond MemberNode's own.</summary>
    protected virtual string[] ExtraArgs() => [];

    public virtual async Task DisposeAsync()
    {
        await ActorStore.DisposeAsync();
        await Etcd.DisposeAsync();
    }

    /// <summary>Starts an ActorStore node and an etcd node side by side; if either fails, the other is stopped.</summary>
    public static async Task<(TNode ActorStore, TNode Etcd)> StartBothAsync<TNode>(Func<MemberKind, Task<TNode>> start)
        where TNode : IAsyncDisposable
    {
        var starting = new[] { start(MemberKind.ActorStore), start(MemberKind.Etcd) };
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
        return (starting[0].Result, starting[1].Result);
    }
}
