using System.Net;
using System.Text;

namespace ActorStore.EndToEnd.Http;

/// <summary>A streaming JSON gateway answer (/v3/watch), read a line at a time while the request stays open.</summary>
public sealed class JsonLineStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private JsonLineStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Status => _response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.ToString();

    public static async Task<JsonLineStream> OpenAsync(HttpClient http, string url, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        return new JsonLineStream(response, reader);
    }

    /// <summary>The next line, or null at the end of the answer.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct) => await _reader.ReadLineAsync(ct);

    public ValueTask DisposeAsync()
    {
        // Closing the answer ends the request, as a curl that is stopped does.
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
