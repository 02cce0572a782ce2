using System.Globalization;
using System.Security.Cryptography;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Backup;

/// <summary>
/// etcd's Maintenance.Snapshot: the backend database as a bbolt file, sent in 32 KiB chunks that count down the bytes
/// remaining, then its sha256 in a last chunk (what `etcdctl snapshot restore` checks). The file is written to a
/// scratch file in the data dir first, as bbolt's meta pages name the roots that are only known at the end; so a large
/// snapshot is never held in memory, and writes go on meanwhile.
/// </summary>
public static class SnapshotStreamer
{
    public const int ChunkSize = 32 * 1024;

    public static async Task StreamAsync(
        EtcdBackendImage image, string scratchDirectory, Func<SnapshotResponse, Task> send, ILogger logger, CancellationToken ct)
    {
        Directory.CreateDirectory(scratchDirectory);
        var path = Path.Combine(scratchDirectory, $"snapshot-{Guid.NewGuid():N}.db.part");
        await using var file = new FileStream(
            path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: ChunkSize, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

        // Building the pages is CPU work proportional to the keyspace: off the caller's thread.
        await Task.Run(() => EtcdBackendFormat.Write(image, file), ct).ConfigureAwait(false);
        var total = file.Length;
        file.Position = 0;
        logger.LogInformation("sending database snapshot to client {total-bytes} {size}", total, HumanBytes(total));

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        long sent = 0;
        while (sent < total)
        {
            var read = await file.ReadAtLeastAsync(buffer, (int)Math.Min(buffer.Length, total - sent), throwOnEndOfStream: true, ct).ConfigureAwait(false);
            sent += read;
            sha.AppendData(buffer, 0, read);
            await send(new SnapshotResponse
            {
                RemainingBytes = (ulong)(total - sent),
                Blob = ByteString.CopyFrom(buffer, 0, read),
            }).ConfigureAwait(false);
        }

        var digest = sha.GetHashAndReset();
        logger.LogInformation("sending database sha256 checksum to client {total-bytes} {checksum-size}", total, digest.Length);
        await send(new SnapshotResponse { RemainingBytes = 0, Blob = ByteString.CopyFrom(digest) }).ConfigureAwait(false);
        logger.LogInformation("successfully sent database snapshot to client {total-bytes} {size}", total, HumanBytes(total));
    }

    /// <summary>Sizes as etcd logs and prints them (go-humanize's SI bytes: "20 kB", "1.2 MB").</summary>
    public static string HumanBytes(long bytes)
    {
        if (bytes < 10)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }

        string[] units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
        var exponent = (int)Math.Floor(Math.Log(bytes) / Math.Log(1000));
        var value = Math.Floor((bytes / Math.Pow(1000, exponent) * 10) + 0.5) / 10;
        // Go's %.0f and %.1f round exact halves to even.
        var shown = Math.Round(value, value < 10 ? 1 : 0, MidpointRounding.ToEven);
        return string.Format(CultureInfo.InvariantCulture, value < 10 ? "{0:0.0} {1}" : "{0:0} {1}", shown, units[exponent]);
    }
}
