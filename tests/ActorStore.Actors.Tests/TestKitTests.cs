using ActorStore.Actors;
using ActorStore.TestKit;
using Xunit;
using Xunit.Sdk;

namespace ActorStore.Actors.Tests;

public sealed class TestKitTests : ActorStore.TestKit.TestKit
{
    [Fact]
    public void ExpectMsg_fails_on_timeout_and_on_the_wrong_type()
    {
        var timeout = Assert.ThrowsAny<XunitException>(() => ExpectMsg<string>(TimeSpan.FromMilliseconds(30)));
        Assert.Contains("timeout", timeout.Message);

        TestActor.Tell(1);
        var wrongType = Assert.ThrowsAny<XunitException>(() => ExpectMsg<string>());
        Assert.Contains("Int32", wrongType.Message);
    }

    [Fact]
    public void ExpectMsg_with_value_or_predicate_checks_the_content()
    {
        TestActor.Tell("a");
        TestActor.Tell("b");
        Assert.ThrowsAny<XunitException>(() => ExpectMsg("z"));
        Assert.ThrowsAny<XunitException>(() => ExpectMsg<string>(s => s == "z"));
    }

    [Fact]
    public void ExpectNoMsg_fails_when_something_arrives()
    {
        ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        TestActor.Tell("surprise");
        // Wait until it is queued so the check below does not depend on timing.
        AwaitCondition(() => Probe.Pending > 0);
        var error = Assert.ThrowsAny<XunitException>(() => ExpectNoMsg(TimeSpan.FromMilliseconds(10)));
        Assert.Contains("surprise", error.Message);
    }

    [Fact]
    public async Task FishForMessage_skips_until_a_match()
    {
        TestActor.Tell("noise");
        TestActor.Tell(1);
        TestActor.Tell(2);
        TestActor.Tell("after");
        Assert.Equal(2, FishForMessage<int>(i => i == 2));
        Assert.Equal("after", await ExpectMsgAsync<string>());
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public void Probes_reply_forward_and_send()
    {
        var a = CreateTestProbe("a");
        var b = CreateTestProbe("b");
        a.Send(b.Ref, "ping");
        Assert.Equal("ping", b.ExpectMsg<string>());
        Assert.Same(a.Ref, b.LastSender);
        b.Reply("pong");
        a.ExpectMsg("pong");

        b.Forward(TestActor);
        ExpectMsg("ping");
        Assert.Same(a.Ref, LastSender);
    }

    [Fact]
    public void VirtualTime_is_only_available_when_requested()
    {
        Assert.Throws<InvalidOperationException>(() => VirtualTime);
        Assert.IsType<TimerScheduler>(Sys.Scheduler);
    }
}
