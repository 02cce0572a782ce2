using System.Net.Http.Headers;

namespace ActorStore.EndToEnd.V2;

/// <summary>curl-like v2 requests: parameters as a form-encoded body for PUT and POST, in the query otherwise.</summary>
public static class V2Http
{
    public static async Task<V2Answer> SendAsync(HttpClient http, string baseUrl, string method, string pathAndQuery, params (string Name, string Value)[] form)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), baseUrl + pathAndQuery);
        if (form.Length > 0)
        {
            request.Content = new FormUrlEncodedContent(form.Select(field => new KeyValuePair<string, string>(field.Name, field.Value)));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }
        using var response = await http.SendAsync(request);
        return await V2Answer.ReadAsync(response);
    }
}
