using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PvpServerless.Tests.AzureDeployment;

/// <summary>
/// A throw-away certificate for 127.0.0.1, so that Azurite can speak HTTPS: bearer tokens and user delegation SAS need
/// it, as on Azure. Only a client built with <see cref="Handler"/> trusts it.
/// </summary>
public sealed class SelfSignedCertificate : IDisposable
{
    private readonly X509Certificate2 _certificate;

    public SelfSignedCertificate(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        _certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        CertificateFile = Path.Combine(folder, "azurite-cert.pem");
        KeyFile = Path.Combine(folder, "azurite-key.pem");
        File.WriteAllText(CertificateFile, _certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public string CertificateFile { get; }

    public string KeyFile { get; }

    /// <summary>An HTTP handler that trusts this certificate and nothing else self-signed.</summary>
    public HttpClientHandler Handler() =>
        new()
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || certificate?.Thumbprint == _certificate.Thumbprint,
        };

    public void Dispose() => _certificate.Dispose();
}
