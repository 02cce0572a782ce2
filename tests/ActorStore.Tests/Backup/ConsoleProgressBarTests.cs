using ActorStore.Backup;
using ActorStore.Server.Backup;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ActorStore.Tests.Backup;

public sealed class ConsoleProgressBarTests
{
    [Fact]
    public void The_bar_is_redrawn_at_most_ten_times_a_second_and_at_the_end_then_cleared()
    {
        var terminal = new StringWriter();
        var time = new FakeTimeProvider();
        using (var bar = new ConsoleProgressBar(terminal, time))
        {
            bar.Report(new SnapshotProgress("saving snapshot", 1 << 20, 4 << 20));
            bar.Report(new SnapshotProgress("saving snapshot", 2 << 20, 4 << 20));
            time.Advance(TimeSpan.FromMilliseconds(150));
            bar.Report(new SnapshotProgress("saving snapshot", 3 << 20, 4 << 20));
            bar.Report(new SnapshotProgress("saving snapshot", 4 << 20, 4 << 20));
            bar.Report(new SnapshotProgress("writing member data", 0, 0));
        }

        var frames = terminal.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries).Select(frame => frame.TrimEnd()).ToArray();
        Assert.Equal(
        [
            "saving snapshot [#######.......................]  25% 1.0 MB / 4.2 MB",
            "saving snapshot [######################........]  75% 3.1 MB / 4.2 MB",
            "saving snapshot [##############################] 100% 4.2 MB / 4.2 MB",
            "writing member data...",
            "",
        ], frames);
    }
}
