using System.Collections.Concurrent;
using System.Net;
using ActorStore.Gateway.Grpc;
using ActorStore.Protocol.Errors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace ActorStore.Gateway.Tests.Grpc;

/// <summary>One loopback host (port 0) with test services, shared by the end-to-end tests of a class.</summary>
public sealed class GrpcTestServer : IAsyncLifetime
{
    public const int MaxReceiveMessageSize = 64 * 1024;

    private GrpcHost? _host;

    /// <summary>Per-call outcome of /test.Echo/Hang, keyed by the request value: did the handler see its token fire?</summary>
    public ConcurrentDictionary<string, TaskCompletionSource<bool>> Hangs { get; } = new();

    public ConcurrentDictionary<string, TaskCompletionSource> HangStarted { get; } = new();

    public int Port => _host!.Ports[0];

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public async Task InitializeAsync()
    {
        var registry = new GrpcServiceRegistry();
        registry.AddUnary("/test.Echo/Unary", StringValue.Parser, (StringValue request, GrpcCallContext call) => Unary(request, call));
        registry.AddUnary("/test.Echo/Hang", StringValue.Parser, (StringValue request, GrpcCallContext call) => Hang(request, call));
        registry.AddUnary("/test.Echo/HangThenLinger", StringValue.Parser, (StringValue request, GrpcCallContext call) => HangThenLinger(request, call));
        registry.AddServerStreaming("/test.Echo/Count", Int32Value.Parser, (Int32Value request, IServerStreamWriter<Int32Value> responses, GrpcCallContext _) => Count(request, responses));
        registry.AddClientStreaming("/test.Echo/Sum", Int32Value.Parser, (IAsyncStreamReader<Int32Value> requests, GrpcCallContext call) => Sum(requests, call));
        registry.AddDuplexStreaming("/test.Echo/Chat", StringValue.Parser, (IAsyncStreamReader<StringValue> requests, IServerStreamWriter<StringValue> responses, GrpcCallContext call) => Chat(requests, responses, call));
        registry.AddUnimplemented("/test.Echo/Later", "actorstore: /test.Echo/Later is not implemented yet");
        registry.AddUnary("/test.Declared/Built", Empty.Parser, (Empty _, GrpcCallContext _) => Task.FromResult(new Empty()));
        registry.AddServiceDescriptor(DeclaredService(), fullMethod => $"actorstore: {fullMethod} is not implemented yet");

        _host = await GrpcHost.StartAsync(new GrpcHostOptions
        {
            Urls = ["http://127.0.0.1:0"],
            Registry = registry,
            Server = new GrpcServerOptions { MaxReceiveMessageSize = MaxReceiveMessageSize },
            ConfigureApplication = app => app.Run(context =>
                context.Response.WriteAsync($"plain {context.Request.Protocol} {context.Request.Method} {context.Request.Path}")),
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>A plain HTTP/2 (h2c) client for requests the gRPC client would not send.</summary>
    public HttpClient CreateRawHttp2Client() => new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = Address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A service declared in a descriptor built at run time: Built has a handler, Pending does not.</summary>
    public static ServiceDescriptor DeclaredService()
    {
        var file = new FileDescriptorProto
        {
            Name = "test/declared.proto",
            Package = "test",
            Syntax = "proto3",
            Dependency = { "google/protobuf/empty.proto" },
            Service =
            {
                new ServiceDescriptorProto
                {
                    Name = "Declared",
                    Method =
                    {
                        new MethodDescriptorProto { Name = "Built", InputType = ".google.protobuf.Empty", OutputType = ".google.protobuf.Empty" },
                        new MethodDescriptorProto { Name = "Pending", InputType = ".google.protobuf.Empty", OutputType = ".google.protobuf.Empty" },
                    },
                },
            },
        };
        var files = FileDescriptor.BuildFromByteStrings([EmptyReflection.Descriptor.SerializedData, file.ToByteString()]);
        return files[1].Services[0];
    }

    private static Task<StringValue> Unary(StringValue request, GrpcCallContext call)
    {
        return request.Value switch
        {
            "fail" => throw EtcdErrors.LeaseNotFound,
            "unicode" => throw new RpcException(StatusCode.FailedPrecondition, "caf\u00e9 100% r\u00e9ussi\nligne 2"),
            "boom" => throw new InvalidOperationException("kaboom"),
            "token" => Task.FromResult(new StringValue { Value = call.GetHeader("token") ?? "<none>" }),
            "metadata" => WithMetadata(call),
            "peer" => Task.FromResult(new StringValue { Value = call.Peer }),
            "deadline" => Task.FromResult(new StringValue { Value = call.Deadline?.ToString("O") ?? "<none>" }),
            _ => Task.FromResult(new StringValue { Value = "echo:" + request.Value }),
        };
    }

    private static Task<StringValue> WithMetadata(GrpcCallContext call)
    {
        call.AddResponseHeader("x-header", "h");
        call.AddResponseTrailer("x-trailer", "t");
        return Task.FromResult(new StringValue { Value = "with metadata" });
    }

    private async Task<StringValue> Hang(StringValue request, GrpcCallContext call)
    {
        var observed = Hangs.GetOrAdd(request.Value, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        HangStarted.GetOrAdd(request.Value, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, call.CancellationToken);
            observed.TrySetResult(false);
            return request;
        }
        catch (OperationCanceledException)
        {
            observed.TrySetResult(true);
            throw;
        }
    }

    /// <summary>Like Hang, but answers only a while after its token fired, so that a client's own deadline decides first.</summary>
    private async Task<StringValue> HangThenLinger(StringValue request, GrpcCallContext call)
    {
        try
        {
            return await Hang(request, call);
        }
        catch (OperationCanceledException)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            throw;
        }
    }

    private static async Task Count(Int32Value request, IServerStreamWriter<Int32Value> responses)
    {
        for (var i = 0; i < request.Value; i++)
        {
            await responses.WriteAsync(new Int32Value { Value = i });
        }
    }

    private static async Task<Int32Value> Sum(IAsyncStreamReader<Int32Value> requests, GrpcCallContext call)
    {
        var sum = 0;
        await foreach (var request in requests.ReadAllAsync(call.CancellationToken))
        {
            sum += request.Value;
        }

        return new Int32Value { Value = sum };
    }

    private static async Task Chat(IAsyncStreamReader<StringValue> requests, IServerStreamWriter<StringValue> responses, GrpcCallContext call)
    {
        await foreach (var request in requests.ReadAllAsync(call.CancellationToken))
        {
            if (request.Value == "stop")
            {
                throw new RpcException(StatusCode.Aborted, "stopped on request");
            }

            await responses.WriteAsync(new StringValue { Value = "re:" + request.Value });
        }
    }
}
