using System.Net.Sockets;
using System.Text;
using ActorStore.Logging;
using Xunit;

namespace ActorStore.Tests.Logging;

public sealed class LogOutputsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("log-outputs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_file_output_gets_every_line_appended()
    {
        var first = Path.Combine(_dir, "a.log");
        var second = Path.Combine(_dir, "b.log");
        File.WriteAllText(first, "earlier\n");

        using (var output = LogOutputs.Open([first, second]))
        {
            output.WriteLine("{\"level\":\"info\",\"msg\":\"one\"}");
            output.WriteLine("{\"level\":\"warn\",\"msg\":\"two\"}");
        }

        Assert.Equal(["earlier", "{\"level\":\"info\",\"msg\":\"one\"}", "{\"level\":\"warn\",\"msg\":\"two\"}"], File.ReadAllLines(first));
        Assert.Equal(2, File.ReadAllLines(second).Length);
    }

    [Fact]
    public void The_journal_gets_each_line_as_an_entry_with_its_priority_and_package()
    {
        var path = Path.Combine(_dir, "journal");
        using var journal = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        journal.Bind(new UnixDomainSocketEndPoint(path));

        using (var output = LogOutputs.Open([LogOutputs.Journal], path))
        {
            output.WriteLine("{\"level\":\"warn\",\"caller\":\"etcdserver\",\"msg\":\"careful\"}");
        }

        var buffer = new byte[1024];
        var entry = Encoding.UTF8.GetString(buffer, 0, journal.Receive(buffer)).Split('\n');
        Assert.Contains("MESSAGE={\"level\":\"warn\",\"caller\":\"etcdserver\",\"msg\":\"careful\"}", entry);
        Assert.Contains("PRIORITY=4", entry);
        Assert.Contains("PACKAGE=etcdserver", entry);
    }

    [Fact]
    public void Without_a_journal_the_member_cannot_log_there()
    {
        var missing = Path.Combine(_dir, "no-journal");

        var refused = Assert.Throws<IOException>(() => LogOutputs.Open([LogOutputs.Journal], missing));

        Assert.Equal($"can't find journal (dial unixgram {missing}: connect: no such file or directory)", refused.Message);
    }

    [Theory]
    [InlineData("multi logoutput for \"default\" is not supported yet", "default", "stderr")]
    [InlineData("running with systemd/journal but other '--log-outputs' values ([stderr systemd/journal]) are configured with 'default'; override 'default' value with something else", "stderr", "systemd/journal")]
    public void Combinations_etcd_refuses(string message, params string[] outputs)
    {
        Assert.Equal(message, LogOutputs.Validate(outputs));
    }
}
