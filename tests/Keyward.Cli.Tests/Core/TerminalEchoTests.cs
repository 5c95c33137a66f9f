using Keyward.Core;

namespace Keyward.Cli.Tests.Core;

/// <summary>
/// A secret prompt never reads with echo on: when neither termios nor stty can turn it off (no shell or stty in a
/// minimal image, and not a terminal termios knows), the prompt is refused with a hint to give the secret another way.
/// </summary>
public sealed class TerminalEchoTests
{
    [Fact]
    public void When_echo_cannot_be_turned_off_the_prompt_is_refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var notATerminal = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            var error = Assert.Throws<KeywardException>(() => Terminal.EchoOff(notATerminal, _ => false));
            Assert.Equal("cannot turn off echo on this terminal, so the secret would show as it is typed", error.Message);
            Assert.Contains("--passphrase-file", error.Hint, StringComparison.Ordinal);
            Assert.Contains("standard input", error.Hint, StringComparison.Ordinal);
            Assert.Equal(FailureKind.Usage, error.Kind);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Stty_is_the_fallback_and_turns_echo_back_on()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var notATerminal = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            var calls = new List<string>();
            using (Terminal.EchoOff(notATerminal, setting => { calls.Add(setting); return true; }))
                Assert.Equal(["-echo"], calls);
            Assert.Equal(["-echo", "echo"], calls);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Termios_says_it_cannot_rather_than_fail_on_what_is_not_a_terminal()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            Assert.Null(TerminalEcho.TryOff(file.SafeFileHandle));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
