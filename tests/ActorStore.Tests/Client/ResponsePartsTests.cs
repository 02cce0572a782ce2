using ActorStore.Client.Wire;
using Akka.Actor;
using Clientpb;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.Tests.Client;

/// <summary>Large answers travel in parts no larger than a part's size and are joined back to the same response.</summary>
public sealed class ResponsePartsTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void A_response_within_one_part_goes_whole()
    {
        var client = CreateTestProbe();
        var response = new ClientResponse { Id = 1, Put = new PutResponse { Header = new ResponseHeader { Revision = 2 } } };

        ResponseParts.Send(response, client.Ref, TestActor);

        Assert.Equal(response, client.ExpectMsg<ClientResponse>());
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_larger_response_goes_in_parts_that_join_to_the_same_response()
    {
        var client = CreateTestProbe();
        var range = new RangeResponse { Count = 40 };
        for (var i = 0; i < 40; i++)
        {
            range.Kvs.Add(new Mvccpb.KeyValue { Key = ByteString.CopyFromUtf8($"k{i}"), Value = ByteString.CopyFrom(new byte[1000]), ModRevision = i + 1 });
        }
        var response = new ClientResponse { Id = 9, Range = range };
        const int partBytes = 4096;

        ResponseParts.Send(response, client.Ref, TestActor, partBytes);

        var assembly = new ResponseAssembly();
        ClientResponse? whole = null;
        var parts = 0;
        while (whole is null)
        {
            var part = client.ExpectMsg<ClientResponsePart>();
            Assert.Equal(9UL, part.Id);
            Assert.True(part.Data.Length <= partBytes);
            Assert.Equal(TestActor, client.LastSender);
            parts++;
            whole = assembly.Add(part);
        }
        Assert.Equal(response, whole);
        Assert.Equal((response.CalculateSize() + partBytes - 1) / partBytes, parts);
        client.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
