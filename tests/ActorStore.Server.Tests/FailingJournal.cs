using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Google.Protobuf;
using Persistpb;

namespace ActorStore.Server.Tests;

/// <summary>
/// An in-memory journal whose write fails when a Raft log event carries an entry containing <see cref="Marker"/>:
/// a disk that breaks under one particular write.
/// </summary>
public sealed class FailingJournal : MemoryJournal
{
    public const string Marker = "fail-this-write";

    public const string Hocon = """
        akka.persistence.journal.plugin = "failing-journal"
        failing-journal {
          class = "ActorStore.Server.Tests.FailingJournal, ActorStore.Server.Tests"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    private static readonly ByteString MarkerBytes = ByteString.CopyFromUtf8(Marker);

    protected override Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        foreach (var write in writes)
        {
            foreach (var persistent in (IEnumerable<IPersistentRepresentation>)write.Payload)
            {
                if (persistent.Payload is RaftWalRecord record && record.Entries.Any(entry => Contains(entry.Data, MarkerBytes)))
                {
                    throw new IOException("injected journal failure");
                }
            }
        }
        return base.WriteMessagesAsync(writes, cancellationToken);
    }

    private static bool Contains(ByteString data, ByteString part) => data.Span.IndexOf(part.Span) >= 0;
}
