using ActorStore;
using ActorStore.Backup;
using ActorStore.Certificates;

return args switch
{
    [CertsCommand.Name, .. var certsArgs] => await CertsCommand.RunAsync(certsArgs, Console.Out, Console.Error, TimeProvider.System),
    [SnapshotCommand.Name, .. var snapshotArgs] => await SnapshotCommand.RunAsync(snapshotArgs, Console.Out, Console.Error),
    _ => await MemberProgram.RunAsync(args),
};
