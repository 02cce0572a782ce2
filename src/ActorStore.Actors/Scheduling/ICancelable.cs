namespace ActorStore.Actors;

/// <summary>A scheduled item that can be called off; cancelling twice or after it fired is harmless.</summary>
public interface ICancelable
{
    bool IsCancellationRequested { get; }

    void Cancel();
}
