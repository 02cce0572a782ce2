using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ActorStore.Gateway.Grpc;

/// <summary>A server built by <see cref="GrpcHost.Prepare"/> that does not listen yet; disposing it unstarted releases it.</summary>
public sealed class PreparedGrpcHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcHostOptions _options;
    private int _state; // 0 prepared, 1 started (the GrpcHost owns the app), 2 disposed

    internal PreparedGrpcHost(WebApplication app, GrpcHostOptions options)
    {
        _app = app;
        _options = options;
    }

    /// <summary>Adds the plain HTTP middleware and starts listening; the returned host owns the server from then on.</summary>
    public async Task<GrpcHost> StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The host has been started or disposed already.");
        }

        try
        {
            _options.ConfigureApplication?.Invoke(_app);
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (_options.SelfCallSocketPath is { } selfSocket && !OperatingSystem.IsWindows())
        {
            // Only this process's user may call through the member's own socket.
            File.SetUnixFileMode(selfSocket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var bound = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new GrpcHost(_app, bound
            .Where(address => !address.StartsWith("http://unix:", StringComparison.Ordinal))
            .Select(address => new Uri(address))
            .ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
