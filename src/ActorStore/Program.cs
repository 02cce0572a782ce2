using ActorStore;
using ActorStore.Certificates;

return args is [CertsCommand.Name, .. var certsArgs]
    ? await CertsCommand.RunAsync(certsArgs, Console.Out, Console.Error, TimeProvider.System)
    : await MemberProgram.RunAsync(args);
