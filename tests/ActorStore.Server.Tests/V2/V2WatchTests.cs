using ActorStore.Server.V2;
using Xunit;

namespace ActorStore.Server.Tests.V2;

public sealed class V2WatchTests
{
    private static V2Store NewStore(int history = 1000) => new(() => 0, history);

    [Fact]
    public void A_waiting_watcher_gets_the_next_change_of_its_key_and_is_done()
    {
        var store = NewStore();
        var watcher = store.Watch("/k", false, false, 0);
        store.Set("/other", false, "x", 0, false);
        Assert.False(watcher.Events.TryRead(out _));

        store.Set("/k", false, "v", 0, false);
        Assert.True(watcher.Events.TryRead(out var e));
        Assert.Equal(("/k", "v"), (e!.Node.Key, e.Node.Value));
        Assert.True(watcher.Events.Completion.IsCompleted);
        Assert.Equal(0, store.Watchers.Count);
    }

    [Fact]
    public void A_recursive_watcher_sees_changes_below_but_not_under_hidden_names()
    {
        var store = NewStore();
        var watcher = store.Watch("/dir", true, true, 0);
        store.Set("/dir/_hidden", false, "h", 0, false);
        store.Set("/dir/a/b", false, "v", 0, false);
        Assert.True(watcher.Events.TryRead(out var e));
        Assert.Equal("/dir/a/b", e!.Node.Key);
        Assert.False(watcher.Events.TryRead(out _));
        watcher.Remove();
        Assert.Equal(0, store.Watchers.Count);
    }

    [Fact]
    public void A_past_wait_index_is_answered_from_the_history()
    {
        var store = NewStore();
        store.Set("/k", false, "1", 0, false);
        store.Set("/k", false, "2", 0, false);
        store.Set("/j", false, "3", 0, false);
        var watcher = store.Watch("/k", false, false, 2);
        Assert.True(watcher.Events.TryRead(out var e));
        Assert.Equal(("2", 3UL), (e!.Node.Value, e.EtcdIndex));
    }

    [Fact]
    public void A_wait_index_older_than_the_history_is_event_index_cleared()
    {
        var store = NewStore(history: 3);
        for (var i = 0; i < 5; i++)
        {
            store.Set("/k", false, i.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, false);
        }
        var error = Assert.Throws<V2Error>(() => store.Watch("/k", false, false, 1));
        Assert.Equal(V2Error.EventIndexCleared, error.ErrorCode);
        Assert.Equal("the requested history has been cleared [3/1]", error.Cause);
        Assert.Equal(5UL, error.Index);
        Assert.Equal(400, error.HttpStatus);
    }

    [Fact]
    public void Deleting_a_directory_wakes_the_watchers_of_keys_inside_it()
    {
        var store = NewStore();
        store.Set("/d/k", false, "v", 0, false);
        var watcher = store.Watch("/d/k", false, false, 0);
        store.Delete("/d", true, true);
        Assert.True(watcher.Events.TryRead(out var e));
        Assert.Equal((V2Actions.Delete, "/d"), (e!.Action, e.Node.Key));
    }

    [Fact]
    public void A_refresh_wakes_no_watcher()
    {
        var store = NewStore();
        store.Set("/k", false, "v", 2_000_000_000_000_000_000, false);
        var watcher = store.Watch("/k", false, false, 0);
        store.Set("/k", false, "", 2_000_000_000_000_000_001, true);
        Assert.False(watcher.Events.TryRead(out _));
        store.Set("/k", false, "w", 0, false);
        Assert.True(watcher.Events.TryRead(out _));
    }
}
