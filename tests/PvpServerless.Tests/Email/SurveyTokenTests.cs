using PvpServerless.Email;

namespace PvpServerless.Tests.Email;

public sealed class SurveyTokenTests
{
    [Fact]
    public void A_new_token_is_43_url_safe_characters_and_never_repeats()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => SurveyToken.New()).ToList();

        Assert.All(tokens, t => Assert.Matches("^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$", t.Value));
        Assert.Equal(1000, tokens.Select(t => t.Value).Distinct().Count());
        // Each of the 43 positions but the last takes many values: the bits are random, not a pattern.
        Assert.All(Enumerable.Range(0, 42), i => Assert.True(tokens.Select(t => t.Value[i]).Distinct().Count() > 40));
    }

    [Fact]
    public void The_hash_is_the_lower_case_hex_sha256_of_the_token_text()
    {
        // echo -n AAAA…A (43 times) | sha256sum
        Assert.True(SurveyToken.TryParse(new string('A', 43), out var token));
        Assert.Equal("0f007385b6f9d4b7eeb2748605afe1a984a0a3bfa3f014d09e2a784ce9e5cd1a", token.Hash);
    }

    [Fact]
    public void A_parsed_token_round_trips()
    {
        var token = SurveyToken.New();

        Assert.True(SurveyToken.TryParse(token.Value, out var parsed));
        Assert.Equal((token.Value, token.Hash), (parsed.Value, parsed.Hash));
    }

    [Fact]
    public void Its_text_stays_out_of_ToString()
    {
        var token = SurveyToken.New();

        Assert.DoesNotContain(token.Value, token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token.Value, $"{token}", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 42 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 44 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // padding
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+A")] // standard base64, not URL-safe
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAÅA")] // not ASCII
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // B sets a bit past the 256: never issued
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_")]
    public void Anything_but_a_canonical_43_character_token_is_refused(string? text) =>
        Assert.False(SurveyToken.TryParse(text, out _));

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzw")]
    [InlineData("-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_8")]
    public void A_canonical_token_is_accepted(string text) => Assert.True(SurveyToken.TryParse(text, out _));
}
