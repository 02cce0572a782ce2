using Microsoft.Extensions.Logging;

namespace ActorStore.Persistence.Tests.Conformance;

public sealed record LogRecord(string Category, LogLevel Level, string Message);
