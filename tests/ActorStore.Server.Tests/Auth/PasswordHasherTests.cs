using ActorStore.Server.Auth;
using Xunit;

namespace ActorStore.Server.Tests.Auth;

/// <summary>bcrypt as etcd uses it: hashes at the configured cost (etcd's default outside 4..31), checks passwords against them.</summary>
public sealed class PasswordHasherTests
{
    [Fact]
    public async Task A_hash_checks_its_password_and_no_other()
    {
        using var hasher = new PasswordHasher(4);
        var hash = await hasher.HashAsync("alice", "s3cret", CancellationToken.None);
        Assert.StartsWith("$2", hash);
        Assert.DoesNotContain("s3cret", hash);
        Assert.Contains("$04$", hash);
        Assert.True(await hasher.VerifyAsync("alice", "s3cret", hash, CancellationToken.None));
        Assert.False(await hasher.VerifyAsync("alice", "guess", hash, CancellationToken.None));
        Assert.False(await hasher.VerifyAsync("alice", "s3cret", "not a hash", CancellationToken.None));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(32)]
    public void A_cost_outside_bcrypts_bounds_falls_back_to_etcds_default(int cost)
    {
        using var hasher = new PasswordHasher(cost);
        Assert.Equal(10, hasher.Cost);
    }

    [Fact]
    public async Task Many_guesses_at_once_for_one_user_are_checked_one_after_another_and_all_answered()
    {
        using var hasher = new PasswordHasher(4);
        var hash = await hasher.HashAsync("bob", "right", CancellationToken.None);
        var guesses = Enumerable.Range(0, 8).Select(i => hasher.VerifyAsync("bob", i == 5 ? "right" : "wrong" + i, hash, CancellationToken.None));
        var answers = await Task.WhenAll(guesses);
        Assert.Equal(1, answers.Count(ok => ok));
    }
}
