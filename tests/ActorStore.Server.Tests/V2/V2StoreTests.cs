using ActorStore.Server.V2;
using Xunit;

namespace ActorStore.Server.Tests.V2;

public sealed class V2StoreTests
{
    private const long Second = 1_000_000_000;
    private long _now = 1_700_000_000 * Second;

    private V2Store NewStore() => new(() => _now);

    [Fact]
    public void Set_creates_missing_directories_and_a_second_set_shows_the_previous_node()
    {
        var store = NewStore();
        var first = store.Set("/a/b", false, "1", 0, false);
        Assert.Equal(V2Actions.Set, first.Action);
        Assert.True(first.IsCreated);
        Assert.Equal(("/a/b", "1", 1UL, 1UL), (first.Node.Key, first.Node.Value, first.Node.ModifiedIndex, first.Node.CreatedIndex));

        var second = store.Set("/a/b", false, "2", 0, false);
        Assert.False(second.IsCreated);
        Assert.Equal("1", second.PrevNode!.Value);
        Assert.Equal(2UL, second.Node.CreatedIndex);
        Assert.Equal(2UL, store.CurrentIndex);

        var dir = store.Get("/a", false, false);
        Assert.True(dir.Node.Dir);
        Assert.Equal(1UL, dir.Node.CreatedIndex);
        Assert.Equal(["/a/b"], dir.Node.Nodes!.Select(n => n.Key));
    }

    [Fact]
    public void Errors_carry_etcds_codes_causes_and_the_current_index()
    {
        var store = NewStore();
        store.Set("/k", false, "v", 0, false);
        store.Set("/d/x", false, "v", 0, false);

        AssertError(V2Error.KeyNotFound, "/missing", 2, () => store.Get("/missing", false, false));
        AssertError(V2Error.NotDir, "/k", 2, () => store.Get("/k/below", false, false));
        AssertError(V2Error.NodeExist, "/k", 2, () => store.Create("/k", false, "w", false, 0));
        AssertError(V2Error.NotFile, "/d", 2, () => store.Set("/d", false, "w", 0, false));
        AssertError(V2Error.NotFile, "/d", 2, () => store.Delete("/d", false, false));
        AssertError(V2Error.DirNotEmpty, "/d", 2, () => store.Delete("/d", true, false));
        AssertError(V2Error.RootReadOnly, "/", 2, () => store.Delete("/", true, true));
        AssertError(V2Error.TestFailed, "[x != v]", 2, () => store.CompareAndSwap("/k", "x", 0, "w", 0, false));
        AssertError(V2Error.TestFailed, "[9 != 1]", 2, () => store.CompareAndSwap("/k", "", 9, "w", 0, false));
        AssertError(V2Error.TestFailed, "[x != v] [9 != 1]", 2, () => store.CompareAndDelete("/k", "x", 9));
        Assert.Equal(2UL, store.CurrentIndex);
    }

    [Fact]
    public void Compare_and_swap_and_compare_and_delete_succeed_on_a_match()
    {
        var store = NewStore();
        store.Set("/k", false, "v", 0, false);
        var swapped = store.CompareAndSwap("/k", "v", 1, "w", 0, false);
        Assert.Equal((V2Actions.CompareAndSwap, "w", 2UL, 1UL), (swapped.Action, swapped.Node.Value, swapped.Node.ModifiedIndex, swapped.Node.CreatedIndex));
        Assert.Equal("v", swapped.PrevNode!.Value);

        var deleted = store.CompareAndDelete("/k", "w", 0);
        Assert.Equal(V2Actions.CompareAndDelete, deleted.Action);
        Assert.Null(deleted.Node.Value);
        Assert.Equal(3UL, deleted.Node.ModifiedIndex);
        Assert.Throws<V2Error>(() => store.Get("/k", false, false));
    }

    [Fact]
    public void In_order_keys_are_named_by_their_index_and_list_sorted()
    {
        var store = NewStore();
        store.Set("/other", false, "x", 0, false);
        var first = store.Create("/queue", false, "a", true, 0);
        var second = store.Create("/queue", false, "b", true, 0);
        Assert.Equal("/queue/00000000000000000002", first.Node.Key);
        Assert.Equal("/queue/00000000000000000003", second.Node.Key);

        var listed = store.Get("/queue", true, true);
        Assert.Equal(["a", "b"], listed.Node.Nodes!.Select(n => n.Value));
    }

    [Fact]
    public void Recursive_get_lists_the_tree_and_hides_names_starting_with_an_underscore()
    {
        var store = NewStore();
        store.Set("/d/e/f", false, "1", 0, false);
        store.Set("/d/_hidden", false, "2", 0, false);
        store.Set("/d/g", false, "3", 0, false);

        var flat = store.Get("/d", false, true);
        Assert.Equal(["/d/e", "/d/g"], flat.Node.Nodes!.Select(n => n.Key));
        Assert.Null(flat.Node.Nodes![0].Nodes);

        var deep = store.Get("/d", true, true);
        Assert.Equal(["/d/e/f"], deep.Node.Nodes![0].Nodes!.Select(n => n.Key));
        Assert.Equal("2", store.Get("/d/_hidden", false, false).Node.Value);
    }

    [Fact]
    public void Ttls_count_down_by_the_clock_and_expire_only_when_a_sync_says_so()
    {
        var store = NewStore();
        var set = store.Set("/t", false, "v", _now + 10 * Second, false);
        Assert.Equal(10, set.Node.Ttl);
        Assert.True(store.HasTtlKeys);

        _now += 3 * Second + 1;
        Assert.Equal(7, store.Get("/t", false, false).Node.Ttl);

        _now += 20 * Second;
        Assert.Equal("v", store.Get("/t", false, false).Node.Value);
        store.DeleteExpiredKeys(_now - 20 * Second);
        Assert.Equal("v", store.Get("/t", false, false).Node.Value);

        store.DeleteExpiredKeys(_now);
        Assert.Throws<V2Error>(() => store.Get("/t", false, false));
        Assert.False(store.HasTtlKeys);
        Assert.Equal(2UL, store.CurrentIndex);
    }

    [Fact]
    public void A_ttl_directory_takes_its_children_with_it_and_an_update_makes_it_permanent_again()
    {
        var store = NewStore();
        store.Set("/dir", true, "", _now + 5 * Second, false);
        store.Set("/dir/k", false, "v", 0, false);
        var updated = store.Update("/dir", "", _now + 50 * Second, false);
        Assert.True(updated.Node.Dir);
        Assert.Equal(50, updated.Node.Ttl);

        store.DeleteExpiredKeys(_now + 60 * Second);
        Assert.Throws<V2Error>(() => store.Get("/dir/k", false, false));

        store.Set("/p", false, "v", _now + 5 * Second, false);
        store.Update("/p", "w", 0, false);
        Assert.False(store.HasTtlKeys);
        Assert.Equal(0, store.Get("/p", false, false).Node.ExpirationNanos);
    }

    [Fact]
    public void A_refresh_keeps_the_value_and_a_refresh_of_a_missing_key_fails()
    {
        var store = NewStore();
        store.Set("/r", false, "v", _now + 5 * Second, false);
        var refreshed = store.Set("/r", false, "", _now + 30 * Second, true);
        Assert.Equal("v", refreshed.Node.Value);
        Assert.Equal(30, refreshed.Node.Ttl);
        Assert.True(refreshed.Refresh);
        AssertError(V2Error.KeyNotFound, "/none", 2, () => store.Set("/none", false, "", _now + Second, true));
    }

    [Fact]
    public void Delete_of_a_directory_needs_dir_or_recursive()
    {
        var store = NewStore();
        store.Set("/empty", true, "", 0, false);
        var removed = store.Delete("/empty", true, false);
        Assert.True(removed.Node.Dir);
        Assert.True(removed.PrevNode!.Dir);

        store.Set("/full/a", false, "1", 0, false);
        var all = store.Delete("/full", false, true);
        Assert.Equal(V2Actions.Delete, all.Action);
        Assert.Throws<V2Error>(() => store.Get("/full/a", false, false));
    }

    private static void AssertError(int code, string cause, ulong index, Action action)
    {
        var error = Assert.Throws<V2Error>(action);
        Assert.Equal((code, cause, index), (error.ErrorCode, error.Cause, error.Index));
    }
}
