using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using PvpServerless.Email;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;

namespace PvpServerless.Tests.Survey;

/// <summary>One page as a browser got it: status, HTML and the headers (response and content alike).</summary>
public sealed record SurveyAnswer(HttpStatusCode Status, string Html, IReadOnlyDictionary<string, string> Headers)
{
    public string Header(string name) => Headers.GetValueOrDefault(name) ?? "";
}

/// <summary>
/// What a patient's browser does with a survey link, over plain HTTP against the local host: open the page, read its
/// hidden check, post the form (as <c>application/x-www-form-urlencoded</c>, optionally with an Origin and
/// <c>Sec-Fetch-Site</c>), and what a test then reads from storage.
/// </summary>
public sealed partial class SurveyClient(DeliveryHostFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"check\" value=\"([A-Za-z0-9_-]{43})\"")]
    private static partial Regex CheckField();

    public static string PathOf(string token, string? lang = null) =>
        $"/api/survey/{token}" + (lang is null ? "" : "?lang=" + lang);

    /// <summary>
    /// A complete EQ-5D-3L and ODI answer: state 12221, VAS 65; ODI 2,1,2,1,1,2,1,(section 8 skipped),1,1.
    /// </summary>
    public static Dictionary<string, string> Complete() =>
        new()
        {
            ["eq5d.mobility"] = "1",
            ["eq5d.selfCare"] = "2",
            ["eq5d.usualActivities"] = "2",
            ["eq5d.pain"] = "2",
            ["eq5d.anxiety"] = "1",
            ["eq5d.vas"] = "65",
            ["odi.section1"] = "2",
            ["odi.section2"] = "1",
            ["odi.section3"] = "2",
            ["odi.section4"] = "1",
            ["odi.section5"] = "1",
            ["odi.section6"] = "2",
            ["odi.section7"] = "1",
            ["odi.section9"] = "1",
            ["odi.section10"] = "1",
        };

    /// <summary>Enrols a patient with an open baseline, has the invitation sent; the token of its link.</summary>
    public async Task<string> InvitedAsync(string studyId, string language = "da") =>
        DeliveryHostFixture.TokenOf(await host.EnrolAndInviteAsync(studyId, language));

    public async Task<SurveyAnswer> GetAsync(string path)
    {
        using var response = await host.Anonymous.GetAsync(path, Ct);
        return await ReadAsync(response);
    }

    public static string CheckOf(string html) => CheckField().Match(html).Groups[1].Value;

    /// <summary>
    /// The check a page of ours carries for <paramref name="token"/>, made here as docs/survey.md describes it:
    /// HMAC-SHA256 under the host's FollowUp:TokenKey of "survey|" and the token's SHA-256 (hex), URL-safe base64.
    /// </summary>
    public static string CheckFor(SurveyToken token)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token.Value)));
        var mac = HMACSHA256.HashData(
            Convert.FromBase64String(HostFixture.TokenKey),
            Encoding.ASCII.GetBytes("survey|" + hash)
        );
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Posts <paramref name="fields"/> with the page's check first (as the browser sends the form).</summary>
    public async Task<SurveyAnswer> PostAsync(
        string path,
        string? check,
        IEnumerable<KeyValuePair<string, string>> fields,
        string? origin = null,
        string? fetchSite = null
    )
    {
        IEnumerable<KeyValuePair<string, string>> form = check is null ? fields : [new("check", check), .. fields];
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        if (fetchSite is not null)
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        using var response = await host.Anonymous.SendAsync(request, Ct);
        return await ReadAsync(response);
    }

    /// <summary>Opens the page, then posts <paramref name="fields"/> with its check.</summary>
    public async Task<SurveyAnswer> AnswerAsync(string token, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await GetAsync(PathOf(token));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await PostAsync(PathOf(token), CheckOf(page.Html), fields);
    }

    public async Task<List<TableEntity>> RowsAsync(string studyId, string prefix) =>
        await host
            .Storage.Patients.QueryAsync<TableEntity>(
                $"PartitionKey eq '{studyId.ToUpperInvariant()}' and RowKey ge '{prefix}' and RowKey lt '{prefix}~'",
                cancellationToken: Ct
            )
            .ToListAsync(Ct);

    private static async Task<SurveyAnswer> ReadAsync(HttpResponseMessage response) =>
        new(
            response.StatusCode,
            await response.Content.ReadAsStringAsync(Ct),
            response
                .Headers.Concat(response.Content.Headers)
                .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase)
        );
}
