using System.Text;
using ActorStore.Server.V2;
using Xunit;

namespace ActorStore.Server.Tests.V2;

public sealed class V2JsonTests
{
    [Fact]
    public void Nodes_leave_out_empty_fields_as_gos_omitempty_and_keep_an_empty_value()
    {
        var node = new V2NodeView("/k", "", false, 0, 0, null, 3, 2);
        var text = Encoding.UTF8.GetString(V2Json.Event(new V2Event(V2Actions.Set, node, null, 3)));
        Assert.Equal("{\"action\":\"set\",\"node\":{\"key\":\"/k\",\"value\":\"\",\"modifiedIndex\":3,\"createdIndex\":2}}\n", text);

        var root = new V2NodeView("", null, true, 0, 0, [], 0, 0);
        Assert.Equal("{\"action\":\"get\",\"node\":{\"dir\":true}}\n", Encoding.UTF8.GetString(V2Json.Event(new V2Event(V2Actions.Get, root, null, 0))));
    }

    [Fact]
    public void Expirations_are_rfc3339_with_nanoseconds_and_no_trailing_zeros()
    {
        Assert.Equal("2023-11-14T22:13:20Z", V2Json.Rfc3339Nano(1_700_000_000_000_000_000));
        Assert.Equal("2023-11-14T22:13:20.1234Z", V2Json.Rfc3339Nano(1_700_000_000_123_400_000));
        Assert.Equal("2023-11-14T22:13:20.000000001Z", V2Json.Rfc3339Nano(1_700_000_000_000_000_001));
    }

    [Fact]
    public void Errors_have_etcds_fields_and_leave_out_an_empty_cause()
    {
        Assert.Equal(
            "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/k\",\"index\":7}\n",
            Encoding.UTF8.GetString(V2Json.Error(new V2Error(V2Error.KeyNotFound, "/k", 7))));
        Assert.Equal(
            "{\"errorCode\":105,\"message\":\"Key already exists\",\"index\":1}\n",
            Encoding.UTF8.GetString(V2Json.Error(new V2Error(V2Error.NodeExist, "", 1))));
        Assert.Equal((404, 412, 403, 400, 400), (
            new V2Error(V2Error.KeyNotFound, "", 0).HttpStatus, new V2Error(V2Error.TestFailed, "", 0).HttpStatus,
            new V2Error(V2Error.DirNotEmpty, "", 0).HttpStatus, new V2Error(V2Error.NotDir, "", 0).HttpStatus,
            new V2Error(V2Error.EventIndexCleared, "", 0).HttpStatus));
    }
}
