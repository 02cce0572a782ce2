using System.Collections.Frozen;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// The methods a gRPC server answers, each a handler delegate keyed by its full method path ("/package.Service/Method").
/// Register everything before <see cref="GrpcApplicationBuilderExtensions.UseGrpc"/>: the middleware takes a snapshot.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly Dictionary<string, GrpcMethod> _methods = new(StringComparer.Ordinal);

    /// <summary>The registered full method paths.</summary>
    public IReadOnlyCollection<string> Methods => _methods.Keys;

    public bool Contains(string fullMethod) => _methods.ContainsKey(fullMethod);

    public void AddUnary<TRequest, TResponse>(
        string fullMethod,
        MessageParser<TRequest> parser,
        Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new UnaryMethod<TRequest, TResponse>(fullMethod, parser, handler));
    }

    public void AddClientStreaming<TRequest, TResponse>(
        string fullMethod,
        MessageParser<TRequest> parser,
        Func<IAsyncStreamReader<TRequest>, GrpcCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new ClientStreamingMethod<TRequest, TResponse>(fullMethod, parser, handler));
    }

    public void AddServerStreaming<TRequest, TResponse>(
        string fullMethod,
        MessageParser<TRequest> parser,
        Func<TRequest, IServerStreamWriter<TResponse>, GrpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new ServerStreamingMethod<TRequest, TResponse>(fullMethod, parser, handler));
    }

    public void AddDuplexStreaming<TRequest, TResponse>(
        string fullMethod,
        MessageParser<TRequest> parser,
        Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, GrpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new DuplexStreamingMethod<TRequest, TResponse>(fullMethod, parser, handler));
    }

    /// <summary>Declares a method that is not built yet: calls fail with Unimplemented and this message.</summary>
    public void AddUnimplemented(string fullMethod, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Add(new UnimplementedMethod(fullMethod, message));
    }

    /// <summary>
    /// Declares every method of <paramref name="service"/> that has no handler yet as unimplemented,
    /// with the message <paramref name="messageFor"/> gives for its full method path. Call it after the real handlers.
    /// </summary>
    public void AddServiceDescriptor(ServiceDescriptor service, Func<string, string> messageFor)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(messageFor);
        foreach (var method in service.Methods)
        {
            var fullMethod = FullMethodOf(service.FullName, method.Name);
            if (!_methods.ContainsKey(fullMethod))
            {
                AddUnimplemented(fullMethod, messageFor(fullMethod));
            }
        }
    }

    /// <summary>"/package.Service/Method", the HTTP/2 path of a call.</summary>
    public static string FullMethodOf(string serviceFullName, string methodName) => $"/{serviceFullName}/{methodName}";

    internal GrpcMethodTable Freeze()
    {
        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fullMethod in _methods.Keys)
        {
            services.Add(fullMethod[1..fullMethod.LastIndexOf('/')]);
        }

        return new GrpcMethodTable(
            _methods.ToFrozenDictionary(StringComparer.Ordinal),
            services.ToFrozenSet(StringComparer.Ordinal));
    }

    private void Add(GrpcMethod method)
    {
        var fullMethod = method.FullMethod;
        var slash = fullMethod.LastIndexOf('/');
        if (fullMethod.Length < 4 || fullMethod[0] != '/' || slash <= 1 || slash == fullMethod.Length - 1)
        {
            throw new ArgumentException($"A full method looks like \"/package.Service/Method\", not \"{fullMethod}\".", nameof(method));
        }

        if (!_methods.TryAdd(fullMethod, method))
        {
            throw new InvalidOperationException($"The method {fullMethod} is already registered.");
        }
    }
}
