using ActorStore.Protocol.Text;
using System.Globalization;
using ActorStore.Server.Compaction;

namespace ActorStore.Configuration;

/// <summary>
/// Reads --auto-compaction-retention as etcd 3.4 does: a bare non-negative number is hours (periodic mode) or revisions
/// (revision mode), anything else a Go duration; 0 turns auto-compaction off.
/// </summary>
internal static class CompactionRetention
{
    /// <summary>Null when <paramref name="text"/> reads; otherwise etcd's error.</summary>
    public static string? TryParse(AutoCompactionMode mode, string text, out AutoCompactionSettings? settings)
    {
        settings = null;
        var byRevision = mode == AutoCompactionMode.Revision;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number > 0)
            {
                settings = byRevision ? new AutoCompactionSettings(TimeSpan.Zero, number) : new AutoCompactionSettings(TimeSpan.FromHours(number));
            }

            return null;
        }

        if (!GoDuration.TryParse(text, out var period))
        {
            return $"error parsing CompactionRetention: time: invalid duration {GoQuote.Quote(text)}";
        }

        if (period > TimeSpan.Zero)
        {
            // A duration in revision mode counts its nanoseconds as revisions, as etcd reads it.
            settings = byRevision ? new AutoCompactionSettings(TimeSpan.Zero, period.Ticks * 100) : new AutoCompactionSettings(period);
        }

        return null;
    }
}
