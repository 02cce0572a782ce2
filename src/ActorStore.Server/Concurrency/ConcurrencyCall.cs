namespace ActorStore.Server.Concurrency;

/// <summary>
/// One unary call of the lock or election service, as a message to the member's <see cref="LockServer"/> or
/// <see cref="ElectionServer"/>: the request, the caller's token (a call it cancels while it waits withdraws its key)
/// and where its answer goes, as the member's other actors answer through a completion source.
/// </summary>
internal sealed record ConcurrencyCall<TRequest, TResponse>(
    TRequest Request, CancellationToken Cancellation, TaskCompletionSource<TResponse> Completion)
{
    public void Answer(TResponse response) => Completion.TrySetResult(response);

    public void Fail(Exception error) => Completion.TrySetException(error);

    /// <summary>Answers with the outcome of <paramref name="work"/> once it ends (for calls that take one step).</summary>
    public void AnswerWhenDone(Task<TResponse> work) =>
        work.ContinueWith(
            done =>
            {
                if (done.IsCompletedSuccessfully)
                {
                    Answer(done.Result);
                }
                else
                {
                    // The exception itself, not the task's AggregateException, is what the caller would have seen.
                    Fail(done.Exception?.InnerException ?? new OperationCanceledException(Cancellation));
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
