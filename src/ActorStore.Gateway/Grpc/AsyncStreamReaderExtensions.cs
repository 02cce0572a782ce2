using System.Runtime.CompilerServices;

namespace ActorStore.Gateway.Grpc;

public static class AsyncStreamReaderExtensions
{
    /// <summary>Lets a handler write <c>await foreach (var request in requests.ReadAllAsync(ct))</c>.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
