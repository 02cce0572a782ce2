using System.Net;

namespace ActorStore.EndToEnd.Http;

/// <summary>What an HTTP endpoint answered: status, content type and body.</summary>
public sealed record HttpAnswer(HttpStatusCode Status, string? ContentType, string Body)
{
    public override string ToString() => $"{(int)Status} {ContentType}: {Body}";
}
