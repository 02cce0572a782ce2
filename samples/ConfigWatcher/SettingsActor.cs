using Akka.Actor;
using Akka.Event;

namespace ConfigWatcher;

/// <summary>
/// The service's settings as it uses them: it greets every "interval-seconds" with "greeting", and takes each change
/// as a <see cref="SettingChanged"/> message.
/// </summary>
public sealed class SettingsActor : ReceiveActor, IWithTimers
{
    private readonly Dictionary<string, string> _settings = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public SettingsActor()
    {
        Receive<SettingChanged>(OnChanged);
        Receive<Greet>(_ => _log.Info("{0} (every {1}s)", Setting("greeting", "hello"), Interval.TotalSeconds));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private TimeSpan Interval =>
        TimeSpan.FromSeconds(int.TryParse(Setting("interval-seconds", "10"), out var seconds) && seconds > 0 ? seconds : 10);

    private void OnChanged(SettingChanged change)
    {
        var old = _settings.GetValueOrDefault(change.Name);
        if (old == change.Value)
        {
            return;
        }
        if (change.Value is null)
        {
            _settings.Remove(change.Name);
        }
        else
        {
            _settings[change.Name] = change.Value;
        }
        _log.Info("setting {0}: {1} -> {2} (revision {3})", change.Name, old ?? "(unset)", change.Value ?? "(unset)", change.Revision);
        Timers.StartPeriodicTimer("greet", Greet.Instance, Interval);
    }

    private string Setting(string name, string fallback) => _settings.GetValueOrDefault(name) ?? fallback;

    private sealed record Greet
    {
        public static Greet Instance { get; } = new();
    }
}
