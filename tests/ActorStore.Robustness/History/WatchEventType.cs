namespace ActorStore.Robustness.History;

public enum WatchEventType
{
    Put,
    Delete,
}
