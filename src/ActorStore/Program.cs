using ActorStore;

return await MemberProgram.RunAsync(args);
