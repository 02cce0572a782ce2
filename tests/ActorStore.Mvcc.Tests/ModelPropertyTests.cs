using ActorStore.Protocol.Errors;
using FsCheck;
using FsCheck.Fluent;
using Mvccpb;

namespace ActorStore.Mvcc.Tests;

/// <summary>Random histories applied to the store and to <see cref="ModelKeyspace"/> must give the same answers.</summary>
public sealed class ModelPropertyTests
{
    private static readonly string[] KeyPool = ["a", "b", "c", "ab", "a\0", "\0", "\u00ff", "b\u00ff", "zz"];

    private static Gen<string> KeyGen => Gen.Elements(KeyPool);

    // "" = single key, "\0" = from key, else an interval (possibly empty or inverted).
    private static Gen<string> EndGen => Gen.Frequency((3, Gen.Constant("")), (1, Gen.Constant("\0")), (2, Gen.Elements(KeyPool)));

    private static Gen<ModelWrite> WriteGen =>
        Gen.Frequency(
            (3, from key in KeyGen from value in Gen.Elements("", "1", "22", "value") from lease in Gen.Elements(0L, 7L, 300L)
                select new ModelWrite(key, value, "", lease)),
            (1, from key in KeyGen from end in EndGen select new ModelWrite(key, null, end, 0)));

    private static Gen<Step> StepGen =>
        Gen.Frequency(
            (6, WriteGen.Select(w => (Step)new WriteStep([w]))),
            (2, Gen.ListOf(WriteGen, 0).Select(ws => (Step)new WriteStep([.. ws]))),
            (4, from key in KeyGen from end in EndGen from revision in Gen.Choose(-1, 30) from limit in Gen.Choose(-1, 3)
                select (Step)new RangeStep(key, end, revision, limit)),
            (1, Gen.Choose(-1, 30).Select(r => (Step)new CompactStep(r))),
            (1, Gen.Choose(-1, 30).Select(r => (Step)new HashStep(r))));

    // The store files a write in its key's index only after a number of newer writes (1 << 16 in production): the
    // histories here run with writes filed at once, after a few others, and never (within 60 steps).
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1 << 16)]
    public void Store_agrees_with_the_model_on_random_histories(int unsettledWrites)
    {
        var property = Prop.ForAll(Gen.ListOf(StepGen).Resize(60).ToArbitrary(), steps => Run(steps, unsettledWrites));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(250), property);
    }

    private static void Run(IEnumerable<Step> steps, int unsettledWrites)
    {
        var store = new MvccStore(unsettledWrites);
        var model = new ModelKeyspace();
        var log = new List<string>();
        foreach (var step in steps)
        {
            log.Add(step.ToString()!);
            var expected = Outcome(() => step.ApplyTo(model));
            var actual = Outcome(() => step.ApplyTo(store));
            if (expected != actual)
            {
                throw new InvalidOperationException(
                    $"Diverged at step {log.Count}:\n  model: {expected}\n  store: {actual}\nsteps:\n  {string.Join("\n  ", log)}");
            }
        }

        CheckRetainedState(store, model, string.Join("\n  ", log));
    }

    private static void CheckRetainedState(MvccStore store, ModelKeyspace model, string history)
    {
        var retained = model.Retained();
        Assert.True(retained.Count == store.RecordCount, $"retained {store.RecordCount}, model {retained.Count}\n  {history}");
        Assert.Equal(model.HashKV(0), store.HashKV(0).Hash);

        var events = store.ReadEvents(Math.Max(model.Compacted, 1), model.Current);
        Assert.Equal(
            string.Join(" ", retained.Where(r => r.Main >= model.Compacted).Select(r => $"{r.Key}@{r.Main}")),
            string.Join(" ", events.Select(e => $"{ModelKeyspace.Latin1.GetString(e.Kv.Key.Span)}@{e.Kv.ModRevision}")));

        // A snapshot reloads to the same answers at every readable revision.
        using var buffer = new MemoryStream();
        store.WriteSnapshot(buffer);
        buffer.Position = 0;
        var reloaded = MvccStore.ReadSnapshot(buffer);
        Assert.Equal(store.Hash(), reloaded.Hash());
        Assert.Equal(store.HashKV(0), reloaded.HashKV(0));
        for (var revision = Math.Max(model.Compacted, 1); revision <= model.Current; revision++)
        {
            Assert.Equal(
                Describe(store.Range([0], [0], revision).Kvs),
                Describe(reloaded.Range([0], [0], revision).Kvs));
        }
    }

    private static string Outcome(Func<string> action)
    {
        try
        {
            return action();
        }
        catch (RpcException error)
        {
            return "error: " + error.Message;
        }
    }

    private static string Describe(IEnumerable<KeyValue> kvs) =>
        string.Join(" ", kvs.Select(kv =>
            $"{ModelKeyspace.Latin1.GetString(kv.Key.Span)}={ModelKeyspace.Latin1.GetString(kv.Value.Span)}@{kv.CreateRevision}/{kv.ModRevision}/{kv.Version}/L{kv.Lease}"));

    private static byte[] Bytes(string text) => ModelKeyspace.Latin1.GetBytes(text);

    private abstract record Step
    {
        public abstract string ApplyTo(ModelKeyspace model);

        public abstract string ApplyTo(MvccStore store);
    }

    private sealed record WriteStep(ModelWrite[] Writes) : Step
    {
        public override string ApplyTo(ModelKeyspace model)
        {
            model.Write(Writes);
            return $"rev {model.Current}";
        }

        public override string ApplyTo(MvccStore store)
        {
            var txn = store.BeginWrite();
            foreach (var write in Writes)
            {
                if (write.Value is not null)
                {
                    txn.Put(Bytes(write.Key), Bytes(write.Value), write.Lease);
                }
                else
                {
                    txn.DeleteRange(Bytes(write.Key), Bytes(write.RangeEnd));
                }
            }

            txn.End();
            return $"rev {store.CurrentRevision}";
        }

        public override string ToString() =>
            "write " + string.Join("; ", Writes.Select(w => w.Value is null ? $"del [{Show(w.Key)},{Show(w.RangeEnd)})" : $"put {Show(w.Key)}={w.Value} L{w.Lease}"));
    }

    private sealed record RangeStep(string Key, string End, long Revision, long Limit) : Step
    {
        public override string ApplyTo(ModelKeyspace model)
        {
            var (kvs, count, revision) = model.Range(Key, End, Revision, Limit);
            return $"{Describe(kvs.Select(r => r.ToKeyValue()))} count {count} rev {revision}";
        }

        public override string ApplyTo(MvccStore store)
        {
            var result = store.Range(Bytes(Key), Bytes(End), Revision, Limit);
            return $"{Describe(result.Kvs)} count {result.Count} rev {result.Revision}";
        }

        public override string ToString() => $"range [{Show(Key)},{Show(End)}) at {Revision} limit {Limit}";
    }

    private sealed record CompactStep(long Revision) : Step
    {
        public override string ApplyTo(ModelKeyspace model)
        {
            model.Compact(Revision);
            return "compacted";
        }

        public override string ApplyTo(MvccStore store)
        {
            store.Compact(Revision);
            return "compacted";
        }

        public override string ToString() => $"compact {Revision}";
    }

    private sealed record HashStep(long Revision) : Step
    {
        public override string ApplyTo(ModelKeyspace model)
        {
            if (Revision > 0 && Revision <= model.Compacted)
            {
                throw EtcdErrors.Compacted;
            }

            if (Revision > model.Current)
            {
                throw EtcdErrors.FutureRev;
            }

            return Revision < 0 ? "negative" : $"{model.HashKV(Revision)}";
        }

        public override string ApplyTo(MvccStore store)
        {
            var result = store.HashKV(Revision);
            return Revision < 0 ? "negative" : $"{result.Hash}";
        }

        public override string ToString() => $"hashkv {Revision}";
    }

    private static string Show(string text) => text.Replace("\0", "\\0").Replace("\u00ff", "\\xff");
}
