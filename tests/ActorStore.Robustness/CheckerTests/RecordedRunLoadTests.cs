using ActorStore.Robustness.History;
using Xunit;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>Reading a history file as notes/history-format.md specifies it, and refusing a malformed one by line.</summary>
public sealed class RecordedRunLoadTests : IDisposable
{
    private const string Sample = """
        {"kind":"op","client":2,"member":"m1","id":17,"type":"put","key":"k3","key2":"","value":"c2-17","expect":"","call":123,"return":456,"ok":true,"error":"","revision":2,"succeeded":false,"prev":null,"kvs":[],"deleted":0}
        {"kind":"op","client":1,"member":"","id":1,"type":"get","key":"k3","key2":"","value":"","expect":"","call":500,"return":600,"ok":true,"error":"","revision":2,"succeeded":false,"prev":null,"kvs":[{"key":"k3","value":"c2-17","create_revision":2,"mod_revision":2,"version":1}],"deleted":0}
        {"kind":"op","client":1,"member":"","id":2,"type":"cas","key":"k3","key2":"","value":"c1-2","expect":"c2-17","call":700,"return":9000000000,"ok":false,"error":"context deadline exceeded","revision":0,"succeeded":false,"prev":null,"kvs":null,"deleted":0}
        {"kind":"op","client":3,"member":"m2","id":4,"type":"txn2","key":"k1","key2":"k2","value":"c3-4","expect":"","call":800,"return":900,"ok":true,"error":"","revision":3,"succeeded":true,"prev":null,"kvs":[],"deleted":0}
        {"kind":"op","client":3,"member":"m2","id":5,"type":"delete","key":"k1","key2":"","value":"","expect":"","call":1000,"return":1100,"ok":true,"error":"","revision":4,"succeeded":false,"prev":{"key":"k1","value":"c3-4","create_revision":3,"mod_revision":3,"version":1},"kvs":[],"deleted":1}

        {"kind":"watch","member":"m1","segment":0,"start":1,"events":[{"type":"PUT","kv":{"key":"k3","value":"c2-17","create_revision":2,"mod_revision":2,"version":1},"prev_kv":null}]}
        {"kind":"watch","member":"m1","segment":0,"start":1,"events":[{"type":"PUT","kv":{"key":"k1","value":"c3-4","create_revision":3,"mod_revision":3,"version":1},"prev_kv":null},{"type":"PUT","kv":{"key":"k2","value":"c3-4","create_revision":3,"mod_revision":3,"version":1},"prev_kv":null}]}
        {"kind":"watch","member":"m1","segment":0,"start":1,"events":[{"type":"DELETE","kv":{"key":"k1","value":"","create_revision":0,"mod_revision":4,"version":0},"prev_kv":{"key":"k1","value":"c3-4","create_revision":3,"mod_revision":3,"version":1}}]}
        {"kind":"watchend","member":"m1","complete":true,"last_revision":4}
        {"kind":"state","revision":1,"kvs":[]}
        {"kind":"state","revision":2,"kvs":[{"key":"k3","value":"c2-17","create_revision":2,"mod_revision":2,"version":1}]}
        {"kind":"state","revision":3,"kvs":[{"key":"k1","value":"c3-4","create_revision":3,"mod_revision":3,"version":1},{"key":"k2","value":"c3-4","create_revision":3,"mod_revision":3,"version":1},{"key":"k3","value":"c2-17","create_revision":2,"mod_revision":2,"version":1}]}
        {"kind":"state","revision":4,"kvs":[{"key":"k2","value":"c3-4","create_revision":3,"mod_revision":3,"version":1},{"key":"k3","value":"c2-17","create_revision":2,"mod_revision":2,"version":1}]}
        {"kind":"final","revision":4,"ops":5}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("history-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_file_in_the_documented_format_loads()
    {
        var run = RecordedRun.Load(Write(Sample));

        Assert.Equal(5, run.Operations.Count);
        var put = run.Operations[0];
        Assert.Equal(new OperationRecord
        {
            Client = 2, Member = "m1", Id = 17, Type = OperationType.Put, Key = "k3", Value = "c2-17", Call = 123, Return = 456, Ok = true,
            Revision = 2, Kvs = put.Kvs,
        }, put);
        Assert.Equal(new KeyValueRecord("k3", "c2-17", 2, 2, 1), Assert.Single(run.Operations[1].Kvs));
        var cas = run.Operations[2];
        Assert.Equal((OperationType.Cas, "c2-17", false, "context deadline exceeded", 9_000_000_000L), (cas.Type, cas.Expect, cas.Ok, cas.Error, cas.Return));
        Assert.Empty(cas.Kvs); // Go's null slice
        Assert.Equal((OperationType.Txn2, "k2", true), (run.Operations[3].Type, run.Operations[3].Key2, run.Operations[3].Succeeded));
        Assert.Equal((1L, new KeyValueRecord("k1", "c3-4", 3, 3, 1)), (run.Operations[4].Deleted, run.Operations[4].Prev));

        Assert.Equal(3, run.WatchResponses.Count);
        Assert.Equal(2, run.WatchResponses[1].Events.Count);
        var delete = Assert.Single(run.WatchResponses[2].Events);
        Assert.Equal(new WatchEventRecord(WatchEventType.Delete, new KeyValueRecord("k1", "", 0, 4, 0), new KeyValueRecord("k1", "c3-4", 3, 3, 1)), delete);
        Assert.Equal(new WatchEndRecord("m1", true, 4), Assert.Single(run.WatchEnds));
        Assert.Equal([1L, 2L, 3L, 4L], run.States.Select(state => state.Revision));
        Assert.Equal(new FinalRecord(4, 5), run.Final);
    }

    [Fact]
    public void The_sample_passes_every_check()
    {
        Assert.Empty(Checking.RunChecks.CheckAll(RecordedRun.Load(Write(Sample))));
    }

    [Theory]
    [InlineData("{\"kind\":\"op\",\"client\":1", "")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{\"kind\":\"gossip\"}", "unknown kind \"gossip\"")]
    [InlineData("{\"kind\":\"final\",\"revision\":4}", "missing \"ops\"")]
    [InlineData("{\"kind\":\"final\",\"revision\":\"4\",\"ops\":1}", "\"revision\" should be Number, is String")]
    [InlineData("{\"kind\":\"watchend\",\"member\":\"m1\",\"complete\":1,\"last_revision\":4}", "\"complete\" should be a boolean")]
    [InlineData("{\"kind\":\"state\",\"revision\":2,\"kvs\":[{\"key\":\"k1\"}]}", "missing \"mod_revision\"")]
    public void A_malformed_line_is_refused_with_its_file_and_number(string badLine, string problem)
    {
        var path = Write(string.Join('\n', Sample.Split('\n').Take(3).Append(badLine)));

        var error = Assert.Throws<HistoryFormatException>(() => RecordedRun.Load(path));

        Assert.Equal(4, error.LineNumber);
        Assert.StartsWith($"{path}:4: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void An_unknown_operation_type_a_mistyped_field_or_a_line_after_final_is_refused()
    {
        Assert.Contains("\"succeeded\" should be a boolean",
            Assert.Throws<HistoryFormatException>(() => RecordedRun.Parse([Sample.Split('\n')[0].Replace("\"succeeded\":false", "\"succeeded\":\"no\"")])).Message);
        Assert.Contains("unknown op type \"lease\"",
            Assert.Throws<HistoryFormatException>(() => RecordedRun.Parse([Sample.Split('\n')[0].Replace("\"put\"", "\"lease\"")])).Message);
        Assert.Contains("after the \"final\" line",
            Assert.Throws<HistoryFormatException>(() => RecordedRun.Parse(["{\"kind\":\"final\",\"revision\":1,\"ops\":0}", "{\"kind\":\"state\",\"revision\":1,\"kvs\":[]}"])).Message);
    }

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "history.jsonl");
        File.WriteAllText(path, text);
        return path;
    }
}
