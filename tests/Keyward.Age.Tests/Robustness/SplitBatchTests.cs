using Keyward.Age.Recipients;
using Keyward.Age.Streaming;
using Keyward.Age.Tests.Conformance;

namespace Keyward.Age.Tests.Robustness;

/// <summary>
/// On two cores the chunks of a batch are sealed on one thread; on larger machines they are split across cores.
/// These force the split so that path is tested here too: same bytes, same released prefix, same errors.
/// </summary>
public class SplitBatchTests
{
    [Fact]
    public void Split_sealing_gives_the_same_file_and_split_opening_the_same_outcomes()
    {
        var identity = X25519Identity.Generate();
        var plaintext = new byte[40 * 65536 + 123];
        new Random(9).NextBytes(plaintext);
        byte counter = 0;
        RandomSource fixedRandom = span => { foreach (ref var b in span) b = counter++; };
        try
        {
            Payload.WorkersOverride = 1;
            counter = 0;
            var single = AgeEncryptor.Encrypt(plaintext, [identity.Recipient], new AgeEncryptOptions { Random = fixedRandom });
            Payload.WorkersOverride = 3;
            counter = 0;
            var split = AgeEncryptor.Encrypt(plaintext, [identity.Recipient], new AgeEncryptOptions { Random = fixedRandom });
            Assert.Equal(single, split);
            Assert.Equal(plaintext, AgeDecryptor.Decrypt(split, [identity]));

            foreach (var name in new[] { "stream_bad_tag_second_chunk", "stream_two_final_chunks", "stream_trailing_garbage_long", "stream_257_chunks", "stream_no_final_two_chunks_full" })
            {
                var v = CctvVector.Load(name);
                using var released = new HashingStream();
                var error = Record.Exception(() => AgeDecryptor.Decrypt(new MemoryStream(v.Contents), released, CctvVectorTests.Identities(v)));
                CctvVectorTests.AssertOutcome(v, error);
                Assert.Equal(v.PayloadSha256, released.HexDigest());
            }
        }
        finally
        {
            Payload.WorkersOverride = 0;
        }
    }
}
