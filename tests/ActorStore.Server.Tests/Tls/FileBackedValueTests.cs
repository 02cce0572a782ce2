using ActorStore.Server.Tls;
using Xunit;

namespace ActorStore.Server.Tests.Tls;

public sealed class FileBackedValueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("file-backed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Unchanged_files_are_read_once_and_a_changed_one_is_read_again()
    {
        var first = Write("a.txt", "one", DateTime.UtcNow.AddMinutes(-2));
        var second = Write("b.txt", "two", DateTime.UtcNow.AddMinutes(-2));
        var reads = 0;
        var value = new FileBackedValue<string>([first, second], () =>
        {
            reads++;
            return File.ReadAllText(first) + File.ReadAllText(second);
        });

        Assert.Equal("onetwo", value.Current);
        Assert.Equal("onetwo", value.Current);
        Assert.Equal(1, reads);

        Write("b.txt", "three", DateTime.UtcNow.AddMinutes(-1));

        Assert.Equal("onethree", value.Current);
        Assert.Equal(2, reads);
    }

    [Fact]
    public void A_failed_read_is_tried_again_at_the_next_ask()
    {
        var path = Write("c.txt", "bad", DateTime.UtcNow.AddMinutes(-2));
        var value = new FileBackedValue<string>([path], () =>
        {
            var text = File.ReadAllText(path);
            return text == "bad" ? throw new InvalidDataException("unreadable") : text;
        });

        Assert.Throws<InvalidDataException>(() => value.Current);
        Write("c.txt", "good", DateTime.UtcNow.AddMinutes(-1));

        Assert.Equal("good", value.Current);
    }

    [Fact]
    public void A_removed_file_fails_the_read()
    {
        var path = Write("d.txt", "here", DateTime.UtcNow.AddMinutes(-2));
        var value = new FileBackedValue<string>([path], () => File.ReadAllText(path));
        Assert.Equal("here", value.Current);

        File.Delete(path);

        Assert.Throws<FileNotFoundException>(() => value.Current);
    }

    private string Write(string name, string text, DateTime writtenUtc)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        // An explicit write time: two writes within the file system's time resolution must still differ.
        File.SetLastWriteTimeUtc(path, writtenUtc);
        return path;
    }
}
