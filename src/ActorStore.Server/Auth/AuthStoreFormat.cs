using System.Buffers.Binary;
using Authpb;
using Google.Protobuf;

namespace ActorStore.Server.Auth;

/// <summary>The auth store as bytes, the auth part of a state machine snapshot: flag, revision, users, roles.</summary>
public static class AuthStoreFormat
{
    private const uint FormatVersion = 1;

    public static byte[] ToBytes(AuthStore store)
    {
        using var buffer = new MemoryStream();
        Span<byte> word = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(word, FormatVersion);
        buffer.Write(word[..4]);
        buffer.WriteByte(store.Enabled ? (byte)1 : (byte)0);
        BinaryPrimitives.WriteUInt64BigEndian(word, store.Revision);
        buffer.Write(word);
        WriteAll(buffer, store.Users.Select(user => user.ToByteArray()).ToList());
        WriteAll(buffer, store.Roles.Select(role => role.ToByteArray()).ToList());
        return buffer.ToArray();
    }

    public static AuthStore FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 13 || BinaryPrimitives.ReadUInt32BigEndian(bytes) != FormatVersion)
        {
            throw new InvalidDataException("auth store snapshot has an unknown format");
        }
        var enabled = bytes[4] == 1;
        var revision = BinaryPrimitives.ReadUInt64BigEndian(bytes[5..]);
        var offset = 13;
        var users = ReadAll(bytes, ref offset).Select(User.Parser.ParseFrom).ToList();
        var roles = ReadAll(bytes, ref offset).Select(Role.Parser.ParseFrom).ToList();
        return new AuthStore(enabled, revision, users, roles);
    }

    private static void WriteAll(MemoryStream buffer, IReadOnlyList<byte[]> records)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, records.Count);
        buffer.Write(length);
        foreach (var record in records)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, record.Length);
            buffer.Write(length);
            buffer.Write(record);
        }
    }

    private static List<byte[]> ReadAll(ReadOnlySpan<byte> bytes, ref int offset)
    {
        var count = ReadLength(bytes, ref offset);
        var records = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var length = ReadLength(bytes, ref offset);
            records.Add(bytes.Slice(offset, length).ToArray());
            offset += length;
        }
        return records;
    }

    private static int ReadLength(ReadOnlySpan<byte> bytes, ref int offset)
    {
        if (bytes.Length - offset < 4)
        {
            throw new InvalidDataException("auth store snapshot is truncated");
        }
        var length = BinaryPrimitives.ReadInt32BigEndian(bytes[offset..]);
        offset += 4;
        if (length < 0 || length > bytes.Length - offset)
        {
            throw new InvalidDataException("auth store snapshot is truncated");
        }
        return length;
    }
}
