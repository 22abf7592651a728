using System.Text;
using PvpServerless.Web;

namespace PvpServerless.Tests.FollowUp;

/// <summary>The small pieces under the patient pages: encoding, the posted form, the Origin check.</summary>
public sealed class PatientPageTests
{
    [Fact]
    public void Encoding_escapes_the_five_characters_that_matter_and_keeps_danish_letters()
    {
        Assert.Equal(
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;Rød &amp; blå&lt;/a&gt;",
            HtmlPage.Encode("<a href=\"x\" onclick='y'>Rød & blå</a>")
        );
        Assert.Equal("", HtmlPage.Encode(null));
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "check=abc%2Bd+e", true, "abc+d e")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8", "check=", true, "")]
    [InlineData("APPLICATION/X-WWW-FORM-URLENCODED", "", true, null)]
    [InlineData("application/json", "check=abc", false, null)]
    [InlineData("multipart/form-data; boundary=x", "check=abc", false, null)]
    [InlineData(null, "check=abc", false, null)]
    [InlineData("application/x-www-form-urlencoded", "check=a&check=b", false, null)]
    [InlineData("application/x-www-form-urlencoded", "check=a&other=b", false, null)]
    [InlineData("application/x-www-form-urlencoded", "check=%zz", true, "%zz")]
    public void A_form_has_only_the_fields_we_send_once_each(string? type, string body, bool ok, string? check)
    {
        var parsed = UrlEncodedForm.TryParse(Encoding.UTF8.GetBytes(body), type, ["check"], out var fields);

        Assert.Equal(ok, parsed);
        if (ok)
            Assert.Equal(check, fields.GetValueOrDefault("check"));
    }

    [Fact]
    public void A_form_that_is_not_utf8_is_refused()
    {
        Assert.False(UrlEncodedForm.TryParse([0x63, 0x3D, 0xFF, 0xFE], UrlEncodedForm.MediaType, ["c"], out _));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("http://127.0.0.1:7071", true)]
    [InlineData("https://pvp.example.dk", true)]
    [InlineData("HTTPS://PVP.EXAMPLE.DK:443", true)]
    [InlineData("http://127.0.0.1:7072", false)]
    [InlineData("http://pvp.example.dk", false)]
    [InlineData("https://pvp.example.dk.evil.example", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("null", false)]
    [InlineData("https://pvp.example.dk/path", false)]
    public void Only_our_own_origins_may_post(string? origin, bool own)
    {
        var request = new Uri("http://127.0.0.1:7071/api/survey/x/opt-out");
        var publicBase = new Uri("https://pvp.example.dk");

        Assert.Equal(own, Origins.IsOwn(origin, fetchSite: null, request, publicBase));
    }
}
