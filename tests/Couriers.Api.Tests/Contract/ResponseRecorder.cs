using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Couriers.Api.Tests.Contract;

/// <summary>
/// Records what the service answers on each documented operation during a test, on every API test
/// host: status, content type and body. When the host is disposed, every answer is checked against the
/// served OpenAPI document: its status must be documented for the operation, with that content type,
/// and its body must validate against the schema documented for that status.
/// </summary>
public sealed class ResponseRecorder
{
    // A few answers per operation, status and type are enough; soaks and big /assign runs send thousands.
    private const int KeptPerKind = 5;
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly ConcurrentDictionary<string, int> _kinds = new(StringComparer.Ordinal);

    public sealed record Answer(string Method, string Route, int Status, string? ContentType, byte[] Body);

    public IReadOnlyCollection<Answer> Answers => _answers;

    public IStartupFilter StartupFilter() => new Filter(this);

    public async Task<List<string>> CheckAsync()
    {
        if (_answers.IsEmpty) return [];
        var contract = await ApiContract.ServedAsync();
        var failures = new List<string>();
        foreach (var answer in _answers)
        {
            if (contract.Operation(answer.Method, answer.Route) is not { } operation) continue; // not documented (health, docs)
            var at = $"{answer.Method} {answer.Route} → {answer.Status}";
            if (operation["responses"]?[answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] is not { } documented)
            {
                failures.Add($"{at}: the status is not documented");
                continue;
            }
            var content = documented["content"]?.AsObject();
            if (answer.Body.Length == 0)
            {
                if (content is { Count: > 0 } && answer.Status != StatusCodes.Status304NotModified) failures.Add($"{at}: documented with a body, answered none");
                continue;
            }
            var type = answer.ContentType?.Split(';')[0].Trim();
            if (content?[type ?? ""]?["schema"] is not { } schema)
            {
                failures.Add($"{at}: content type {type} is not documented ({string.Join(", ", content?.Select(c => c.Key) ?? [])})");
                continue;
            }
            using var body = JsonDocument.Parse(answer.Body);
            failures.AddRange(contract.Check(schema, body.RootElement).Select(e => $"{at}: {e} in {Shown(answer.Body)}"));
        }
        return failures;
    }

    private static string Shown(byte[] body) => System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 400));

    private void Record(HttpContext context, MemoryStream copy, bool truncated)
    {
        // A request its client gave up on (the server writes 499) has no answer anyone reads.
        if (truncated || context.RequestAborted.IsCancellationRequested || context.GetEndpoint() is not RouteEndpoint endpoint) return;
        var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
        var kind = $"{context.Request.Method} {route} {context.Response.StatusCode} {context.Response.ContentType}";
        if (_kinds.AddOrUpdate(kind, 1, (_, n) => n + 1) > KeptPerKind) return;
        _answers.Enqueue(new Answer(context.Request.Method, route, context.Response.StatusCode, context.Response.ContentType, copy.ToArray()));
    }

    private sealed class Filter(ResponseRecorder recorder) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, call) =>
            {
                var original = context.Response.Body;
                var tee = new TeeStream(original, MaxBodyBytes);
                context.Response.Body = tee;
                try
                {
                    await call(context);
                }
                finally
                {
                    context.Response.Body = original;
                }
                recorder.Record(context, tee.Copy, tee.Truncated);
            });
            next(app);
        };
    }

    /// <summary>Passes every write on and keeps a copy of up to so many bytes.</summary>
    private sealed class TeeStream(Stream inner, int keep) : Stream
    {
        public MemoryStream Copy { get; } = new();

        public bool Truncated { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, ct);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (Copy.Length + bytes.Length > keep) Truncated = true;
            else Copy.Write(bytes);
        }
    }
}
