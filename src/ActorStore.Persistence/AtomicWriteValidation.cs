namespace ActorStore.Persistence;

/// <summary>
/// Checks a batch before any of it is stored, so an invalid batch fails without side effects in every plugin.
/// </summary>
internal static class AtomicWriteValidation
{
    public static void Validate(IReadOnlyList<AtomicWrite> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var w = 0; w < batch.Count; w++)
        {
            var write = batch[w] ?? throw new ArgumentException($"write {w} of the batch is null", nameof(batch));
            if (string.IsNullOrEmpty(write.PersistenceId))
            {
                throw new ArgumentException($"write {w} of the batch has no persistence id", nameof(batch));
            }

            var entries = write.Entries
                ?? throw new ArgumentException($"write {w} of the batch has a null entry list", nameof(batch));
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i]
                    ?? throw new ArgumentException($"write {w}, entry {i} is null", nameof(batch));
                if (entry.PersistenceId != write.PersistenceId)
                {
                    throw new ArgumentException(
                        $"write {w}, entry {i} belongs to persistence id '{entry.PersistenceId}', "
                        + $"not the write's '{write.PersistenceId}'",
                        nameof(batch));
                }

                if (i == 0 && entry.SequenceNr < 1)
                {
                    throw new ArgumentException(
                        $"write {w} starts at sequence number {entry.SequenceNr}; sequence numbers start at 1",
                        nameof(batch));
                }

                if (i > 0 && entry.SequenceNr != entries[i - 1].SequenceNr + 1)
                {
                    throw new ArgumentException(
                        $"write {w} for '{write.PersistenceId}' is not contiguous: sequence number "
                        + $"{entry.SequenceNr} follows {entries[i - 1].SequenceNr}",
                        nameof(batch));
                }
            }

            if (write.State is { } state)
            {
                foreach (var (key, value) in state)
                {
                    if (string.IsNullOrEmpty(key) || value is null)
                    {
                        throw new ArgumentException(
                            $"write {w} for '{write.PersistenceId}' has a state record with an empty key or null value",
                            nameof(batch));
                    }
                }
            }
        }
    }
}
