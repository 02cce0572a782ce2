using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace ActorStore.Gateway.Http2;

/// <summary>
/// Puts an <see cref="AuthorityRepairingPipeReader"/> between the transport and Kestrel for the connection's
/// lifetime; the output side is untouched.
/// </summary>
internal sealed class Http2AuthorityRepairMiddleware(ConnectionDelegate next)
{
    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var transport = connection.Transport;
        var input = new AuthorityRepairingPipeReader(transport.Input);
        connection.Transport = new FilteredTransport(input, transport.Output);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = transport;
            input.ReleaseBuffers();
        }
    }

    private sealed class FilteredTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
