using System.Globalization;
using Org.BouncyCastle.Math;

namespace Keyward.Sealing.Tests;

/// <summary>
/// kubeseal's own ParseKey vector: the 4096-bit certificate <c>testCert</c> and its pinned modulus and exponent from
/// bitnami-labs/sealed-secrets pkg/kubeseal/kubeseal_test.go (TestParseKey, commit 03abce88cccdf40be6c6aa409eb4e0c2d9cda930,
/// Apache-2.0). Test data only; it has an empty subject, as the controller's generated certificates do.
/// </summary>
public sealed class ControllerCertificateTests
{
    private const string TestCert = """
        -----BEGIN CERTIFICATE-----
        MIIErTCCApWgAwIBAgIQBekz48i8NbrzIpIrLMIULTANBgkqhkiG9w0BAQsFADAA
        MB4XDTE3MDYyMDA0MzI0NVoXDTI3MDYxODA0MzI0NVowADCCAiIwDQYJKoZIhvcN
        AQEBBQADggIPADCCAgoCggIBAL6ISW4MnHAmC6MdmJOwo9C6YYhKYDwPD2tF+j4p
        I2duB3y7DLF+zWNHgbUlBZck8CudacJTuxOJFEqr4umqm0f4EGgRPwZgFvFLHKSZ
        /hxUFnMcGVhY1qsk55peSghPHarOYyBhhHDtCu7qdMu9MqPZB68y16HdPvwWPadI
        dBKSxDLvwYfjDnG/ZHX9rmlDKej7jPGdvqAY5VJteP30w6YHb1Uc4whppNcDSc2l
        gOuKAWtQ5WfZbB0NpMhj4framNeXMYwjZytEdC1c/4O45zm5eK4FNPueCfxOlzFQ
        D3y34OuQlJwlrPE4KmdMHtE1a8x0ihbglInJrtqcXK3vEdUJ2c/BKWgFtPOTz6Du
        jV4j0OMVVGnk5jUmh+yfbgielIkPcpSTWP1cIPwK3eWbrvMziq6sv0x7QoOD3Pzm
        GBE8Y9sa5uy+bJZt5MywbamZ3xWaxoQbSN8RPoxRhTe0DEpx6utCXSWpapT7kWZ3
        R1PTuVx+Ktyz7MRoDUWvxfpMJ2hsJ71Az0AuUZ4N4fmmGdUcM81GPUOiMZ4uqySQ
        A2phgikbJaTzcT85RcNFYSi4eKc5mYFNqr5xVa6uHhZ+OGeGy1yyOEWLgIZV3A/8
        4eZshOyYtRlZjCkaGZTfXNft+8QJi8rEZRcJtVhqLzezBVRsL7pt6P/mQj4+XHsE
        VSBrAgMBAAGjIzAhMA4GA1UdDwEB/wQEAwIAATAPBgNVHRMBAf8EBTADAQH/MA0G
        CSqGSIb3DQEBCwUAA4ICAQCSizqBB3bjHCSGk/8lpqIyHJQR5u4Cf7LRrC9U8mxe
        pvC3Fx3/RlVe87Y4cUb37xZc/TmB6Bq10Y6R7ydS3oe8PCh4UQRnEfBgtJ6m59ha
        t3iPX0NdQVYz/D+yEiHjpI7gpyFNuGkd4/78JE51SO4yGYvWk/ChHoMvbLcxzfdK
        PI2Ymf3MWtGfoF/TQ1jy/Biy+qumDPSz23MynQG39cdUInSK26oemUbTH0koLulN
        fNl4TwSEdSm2DRl0la+vkrzu7SvF9SJ2ES6wMWVjYiJLNpApjGuF9/ZOFw9DvSSH
        m+UYXn+IC7rTgvXKvXTlG//z/14Lx0GFIY+ZjdENwLH//orBQLg37TZatKEpaWO6
        uRzFUxZVw3ic3RxoHfEbRA9vQlQdKnV+BpZe/Pb08RAh82OZyujqqyK7cPPOW5Vi
        T9y+NeMwfKH8H4un7mQWkgWFw3LMIspYY5uHWp6jBwU9u/mjoK4+Y219dkaAhAcx
        D+YIZRXwxc6ehLCavGF2DIepybzDlJbiCe8JxUDsrE/Xkm6x28uq35oZ3UQznubU
        7LfAeRSI99sNvFnq0TqhSlp+CUDs8Z1LvDXzAHX4UeZQl4g+H+w1KudCvjO0mPPp
        R9bIjJLIvp7CQPDkdRzJSjvetrKtI0l97VjsjbRB9v6ZekGY9SFI49KzKUTk8fsF
        /A==
        -----END CERTIFICATE-----
        """;

    private const string TestModulus =
        "777304254876434297689544225447769213262492599515515837291621795936355252933930193245809942636192119684040605554803489669141565417296821660595336672178414512660751886699171738066307588619202437848899334837760648051656982184646490661921128886671800776058692981991859399404705935722225294811424879738586269551402668122524371718537515440568440102201259925611463161144897905846190044735554045001999198442528435295995584980713050916813579912296878368079243909549993116827192901474611239264189340401059113919551426849847211275352102674049634252149163111599977742365280992561904350781270344655927564475032580504276518647106167707150111291732645399166011800154961975117045723373023335778593638216165426988399138193230056486079421256484837299169853958601000282124667227789126483641999102102039577368681983584245367307077546423870452524154641890843463963116237003367269116435430641427113406369059991147359641266708862913786891945896441771663010146473536372286482453315017377528517965715554550898957321536181165129538808789201530141159181590893764287807749414277289452691723903046140558704697831351834538780165261072894792900501671534138992265545905216973214953125367388406669893889742303072755608685449114438926280862339744991872488262084141163";

    [Fact]
    public void Kubeseal_test_certificate_yields_the_pinned_modulus_and_exponent()
    {
        var certificate = SealingCertificate.Parse(TestCert, "\"testCert\"");
        Assert.Equal(new BigInteger(TestModulus), certificate.PublicKey.Modulus);
        Assert.Equal(65537, certificate.PublicKey.Exponent.IntValue);
        Assert.Equal(4096, certificate.KeyBits);
        Assert.Equal(DateTimeOffset.Parse("2027-06-18T04:32:45Z", CultureInfo.InvariantCulture), certificate.NotAfter);
    }

    [Fact]
    public void Kubeseal_test_certificate_expires_on_its_date()
    {
        var certificate = SealingCertificate.Parse(TestCert, "\"testCert\"");
        Assert.Null(certificate.ValidityProblem(new FixedTime(DateTimeOffset.Parse("2027-06-18T04:32:44Z", CultureInfo.InvariantCulture))));
        Assert.Equal("certificate \"testCert\" expired on 2027-06-18 04:32:45Z (0 days ago)",
            certificate.ValidityProblem(new FixedTime(DateTimeOffset.Parse("2027-06-18T04:32:46Z", CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Values_sealed_to_a_4096_bit_controller_key_have_the_512_byte_prefix_and_start_with_Ag()
    {
        var certificate = SealingCertificate.Parse(TestCert, "\"testCert\"");
        var blob = HybridCipher.Encrypt(certificate.PublicKey, "sekret"u8, "myns/mysecret"u8);
        Assert.Equal(512, blob[0] << 8 | blob[1]);
        Assert.Equal(2 + 512 + 6 + 16, blob.Length);
        Assert.StartsWith("Ag", Convert.ToBase64String(blob), StringComparison.Ordinal);
    }
}
