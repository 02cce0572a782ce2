using System.Text;
using Google.Protobuf;

namespace ActorStore.Mvcc.Tests;

internal static class Bytes
{
    public static byte[] Of(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ByteString bytes) => bytes.ToStringUtf8();

    public static readonly byte[] FromKey = [0];
}
