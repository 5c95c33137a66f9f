using System.Runtime.Intrinsics;

namespace Keyward.Manifests.Yaml;

internal static partial class FastManifestReader
{
    /// <summary>
    /// Characters that make the text need the full reader: control characters YAML rejects, the YAML 1.1 line breaks
    /// NEL/LS/PS, a byte order mark and non-characters. CR is handled before (a lone one is refused here); tabs are
    /// allowed only as whitespace inside flow collections (tab-indented JSON), any other line with a tab gives up.
    /// </summary>
    internal const string CharactersNeedingFullReader =
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000D\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"
        + "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F"
        + "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F"
        + "\u2028\u2029\uFEFF\uFFFE\uFFFF";

    /// <summary>Whether <paramref name="c"/> is one of <see cref="CharactersNeedingFullReader"/>.</summary>
    internal static bool NeedsFullReader(char c) =>
        c < ' ' ? c is not ('\t' or '\n') : c is (>= '\u007F' and <= '\u009F') or '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF';

    /// <summary>
    /// Whether the text holds one of <see cref="CharactersNeedingFullReader"/>. Eight characters at a time, passing
    /// over blocks of printable ASCII, tabs and newlines (nearly all of a manifest). Written out rather than with
    /// <c>SearchValues</c>, whose search for this set no ReadyToRun image holds: the runtime compiled it in every run.
    /// </summary>
    internal static bool ContainsCharacterNeedingFullReader(ReadOnlySpan<char> text)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var printableStart = Vector128.Create((ushort)' ');
            var printableSpan = Vector128.Create((ushort)('~' - ' '));
            var tab = Vector128.Create((ushort)'\t');
            var newline = Vector128.Create((ushort)'\n');
            var chars = System.Runtime.InteropServices.MemoryMarshal.Cast<char, ushort>(text);
            for (; i + Vector128<ushort>.Count <= chars.Length; i += Vector128<ushort>.Count)
            {
                var v = Vector128.Create(chars.Slice(i, Vector128<ushort>.Count));
                // Outside ' '..'~' (unsigned: below ' ' wraps around), and neither a tab nor a newline.
                var other = Vector128.GreaterThan(v - printableStart, printableSpan) & ~(Vector128.Equals(v, tab) | Vector128.Equals(v, newline));
                if (other == Vector128<ushort>.Zero)
                    continue;
                for (int j = i; j < i + Vector128<ushort>.Count; j++)
                {
                    if (NeedsFullReader(text[j]))
                        return true;
                }
            }
        }
        for (; i < text.Length; i++)
        {
            if (NeedsFullReader(text[i]))
                return true;
        }
        return false;
    }
}
