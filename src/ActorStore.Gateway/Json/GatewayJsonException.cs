namespace ActorStore.Gateway.Json;

/// <summary>A request body that is not the JSON of the request message; the message is what the client is told.</summary>
internal sealed class GatewayJsonException(string message) : Exception(message);
