namespace ActorStore.Actors;

public static class PipeToExtensions
{
    /// <summary>
    /// When <paramref name="task"/> finishes, tells its result (or <paramref name="success"/>'s mapping) to
    /// <paramref name="recipient"/>; a failure becomes <see cref="Status.Failure"/> unless <paramref name="failure"/> maps it.
    /// A null result is sent as <c>Status.Success(null)</c>.
    /// </summary>
    public static async Task PipeTo<T>(this Task<T> task, IActorRef recipient, IActorRef? sender = null,
        Func<T, object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        object message;
        try
        {
            var result = await task.ConfigureAwait(false);
            message = success is not null ? success(result) : (object?)result ?? new Status.Success(null);
        }
        catch (Exception ex)
        {
            message = failure is not null ? failure(ex) : new Status.Failure(ex);
        }
        recipient.Tell(message, sender);
    }

    /// <summary>Like the generic overload; success sends <paramref name="success"/>'s message or <c>Status.Success(null)</c>.</summary>
    public static async Task PipeTo(this Task task, IActorRef recipient, IActorRef? sender = null,
        Func<object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        object message;
        try
        {
            await task.ConfigureAwait(false);
            message = success is not null ? success() : new Status.Success(null);
        }
        catch (Exception ex)
        {
            message = failure is not null ? failure(ex) : new Status.Failure(ex);
        }
        recipient.Tell(message, sender);
    }
}
