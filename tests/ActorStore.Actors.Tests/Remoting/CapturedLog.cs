using Microsoft.Extensions.Logging;

namespace ActorStore.Actors.Tests.Remoting;

internal sealed record CapturedLog(LogLevel Level, string Category, string Text);
