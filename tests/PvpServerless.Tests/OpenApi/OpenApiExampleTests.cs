using System.Globalization;
using System.Text.Json.Nodes;

namespace PvpServerless.Tests.OpenApi;

/// <summary>
/// docs/openapi.yaml against the running local host: every example request is sent, with the key its security
/// names, and is accepted as documented; every error example that says which request provokes it
/// (<c>x-pvp-request</c>) is provoked and answers with its status, fields and shape.
/// </summary>
public sealed class OpenApiExampleTests(OpenApiHostFixture host) : IClassFixture<OpenApiHostFixture>
{
    /// <summary>
    /// The order a coordinator and a researcher would follow: patients exist before their responses, responses are
    /// typed in before the death that would refuse them, the report is run before it is downloaded.
    /// </summary>
    internal static readonly string[] Sequence =
    [
        "EnrolPatient",
        "ListPatients",
        "RecordResponse",
        "GetResponse",
        "CorrectResponse",
        "RecordPatientEvent",
        "GetPatient",
        "CorrectEventDate",
        "ResendInvitation",
        "ChangeWaveWindow",
        "OptPatientOut",
        "OptPatientIn",
        "DashboardAction",
        "AbandonPendingEnrolment",
        "GetPatientTimeline",
        "FollowUpSummary",
        "ListFollowUps",
        "DashboardOverview",
        "DashboardFollowUps",
        "DashboardPatient",
        "ExportCohort",
        "RunFunction",
        "ListReports",
        "GetLatestReportFile",
        "GetReportFile",
        "DashboardReport",
        "DashboardStylesheet",
        "DashboardIcon",
        "DashboardSignInPage",
        "DashboardSignIn",
        "SurveyPage",
        "Survey",
        "OptOutPage",
        "OptOut",
        "SurveyStylesheet",
        "SurveyIcon",
        "ListOutbox",
        "GetOutboxEmail",
        "SendGridEvents",
    ];

    private static readonly ApiDescription Api = ApiDescription.Load();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_example_request_is_accepted_and_every_error_example_is_what_its_request_gets()
    {
        Assert.Equal(Api.Operations.Select(o => o.Id).Order(), Sequence.Order());
        await FollowUpExamples.ArrangeAsync(host, Ct);
        using var client = host.NewClient();
        var calls = new ApiCalls(Api, client, host.SignAsSendGrid);
        var differences = new List<string>();
        foreach (var op in Sequence.Select(Api.Operation))
        {
            var key = OpenApiHostFixture.KeyOf(op.KeyRole);
            var examples = op.RequestExamples.Count > 0 ? op.RequestExamples : [("(no body)", null)];
            foreach (var (name, body) in examples)
            {
                var answer = await calls.SendAsync(op, body, key);
                // x-pvp-example-status: what the example host answers by design (the dashboard's sign-in, which a
                // host without Dashboard:LocalSignIn does not have).
                if (op.Node["x-pvp-example-status"] is { } status)
                    Assert.True(
                        answer.Status.ToString(CultureInfo.InvariantCulture) == status.ToString(),
                        $"{op} example {name}: {answer}, documented {status}"
                    );
                else
                    Assert.True(answer.Status is >= 200 and < 400, $"{op} example {name} was refused: {answer}");
                differences.AddRange(calls.Differences(op, answer));
                if (answer.Status == 302)
                    await AssertDownloadsAsync(op, answer);
                if (op.Method == "GET" && key is not null)
                {
                    var byCode = await calls.SendAsync(op, body, key, inQuery: true);
                    Assert.True(answer.Status == byCode.Status, $"{op} with ?code= answered {byCode}");
                }
            }
            differences.AddRange(await ProvokeErrorExamplesAsync(op, calls, key));
        }
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
        await FollowUpExamples.AssertAppliedAsync(host, Ct);

        await AssertPagingFindsEveryEnrolledPatientAsync(calls);
        await AssertReportFilesAreTheFilesOfTheReportAsync(calls);
    }

    [Fact]
    public async Task Every_route_refuses_a_request_without_its_key()
    {
        using var client = host.NewClient();
        var calls = new ApiCalls(Api, client);
        // Anonymous routes say so (security: [] with x-pvp-anonymous); OpenApiDocumentTests holds them to that.
        foreach (var op in Api.Operations.Where(o => o.KeyRole != "anonymous"))
        {
            var body = op.RequestExamples.Count > 0 ? op.RequestExamples[0].Value : null;
            var none = await calls.SendAsync(op, body, key: null);
            Assert.True(none.Status == 401 && none.Text.Length == 0, $"{op} without a key: {none}");
            // Another role's key: the documented key is the one that opens the route.
            var other = op.KeyRole == "coordinator" ? "researcher" : "coordinator";
            var wrong = await calls.SendAsync(op, body, OpenApiHostFixture.KeyOf(other));
            Assert.True(wrong.Status == 401, $"{op} with the {other} key: {wrong}");
        }
    }

    [Fact]
    public async Task Every_body_over_its_limit_gets_the_documented_413()
    {
        using var client = host.NewClient();
        var calls = new ApiCalls(Api, client);
        var documented = Api.Operations.Where(o => o.Responses.ContainsKey(413)).ToList();
        Assert.NotEmpty(documented);
        foreach (var op in documented)
        {
            var padding = new JsonObject { ["padding"] = new string('x', op.MaxBodyBytes) }.ToJsonString();
            var answer = await calls.SendAsync(op, null, OpenApiHostFixture.KeyOf(op.KeyRole), rawBody: padding);
            Assert.True(answer.Status == 413, $"{op} with a body over {op.MaxBodyBytes} bytes: {answer}");
            Assert.Empty(calls.Differences(op, answer));
        }
    }

    /// <summary>Sends the request each error example names (if any) and compares the answer with it.</summary>
    private static async Task<List<string>> ProvokeErrorExamplesAsync(ApiOperation op, ApiCalls calls, string? key)
    {
        var differences = new List<string>();
        foreach (var (status, response) in op.Responses.Where(r => r.Key >= 400))
        {
            foreach (var (_, media) in response["content"]?.AsObject() ?? [])
            {
                foreach (var (name, node) in media!["examples"]?.AsObject() ?? [])
                {
                    var example = Api.Resolve(node!);
                    if (example["x-pvp-request"] is not JsonObject request)
                        continue;
                    var overrides = (request["parameters"]?.AsObject() ?? []).ToDictionary(
                        p => p.Key,
                        p => p.Value!.ToString()
                    );
                    var body = request["body"] ?? op.RequestExamples.FirstOrDefault().Value;
                    var answer = await calls.SendAsync(op, body, key, overrides);
                    var where = $"{op} {status} example {name}";
                    if (answer.Status != status)
                    {
                        differences.Add($"{where}: its request got {answer}");
                        continue;
                    }
                    differences.AddRange(calls.Differences(op, answer));
                    differences.AddRange(Compare(where, example["value"]!.AsObject(), answer.Json!.AsObject()));
                }
            }
        }
        return differences;
    }

    // The parts of a problem a client acts on: which fields (errors' keys, field) and the title; not the wording.
    private static IEnumerable<string> Compare(string where, JsonObject documented, JsonObject actual)
    {
        if (documented["title"]?.ToString() != actual["title"]?.ToString())
            yield return $"{where}: title '{actual["title"]}', documented '{documented["title"]}'";
        if (documented["field"]?.ToString() != actual["field"]?.ToString())
            yield return $"{where}: field '{actual["field"]}', documented '{documented["field"]}'";
        var documentedErrors = (documented["errors"]?.AsObject() ?? []).Select(e => e.Key).Order();
        var actualErrors = (actual["errors"]?.AsObject() ?? []).Select(e => e.Key).Order();
        if (!documentedErrors.SequenceEqual(actualErrors))
        {
            yield return $"{where}: errors for [{string.Join(", ", actualErrors)}], "
                + $"documented [{string.Join(", ", documentedErrors)}]";
        }
    }

    /// <summary>A redirect's link is a download that works without a key.</summary>
    private static async Task AssertDownloadsAsync(ApiOperation op, ApiAnswer answer)
    {
        Assert.NotNull(answer.Location);
        using var plain = new HttpClient();
        using var file = await plain.GetAsync(answer.Location, Ct);
        Assert.True(file.IsSuccessStatusCode, $"{op}: the link {answer.Location} answered {file.StatusCode}");
    }

    /// <summary>As the document says: read pages while continuationToken is not null, sending it back.</summary>
    private static async Task AssertPagingFindsEveryEnrolledPatientAsync(ApiCalls calls)
    {
        var list = Api.Operation("ListPatients");
        var enrolled = Api.Operation("EnrolPatient").RequestExamples.Select(e => e.Value!["studyId"]!.ToString());
        var found = new List<string>();
        string? token = null;
        do
        {
            var page = new Dictionary<string, string> { ["pageSize"] = "1" };
            if (token is not null)
                page["continuationToken"] = token;
            var answer = await calls.SendAsync(list, null, OpenApiHostFixture.KeyOf(list.KeyRole), page);
            Assert.True(answer.Status == 200, $"{list} page: {answer}");
            found.AddRange(answer.Json!["items"]!.AsArray().Select(p => p!["studyId"]!.ToString()));
            token = answer.Json!["continuationToken"]?.ToString();
        } while (token is not null && found.Count < 100);
        Assert.Equal(enrolled.Order(), found.Order());
    }

    /// <summary>The documented file names are the files of a report: its manifest's and manifest.json.</summary>
    private static async Task AssertReportFilesAreTheFilesOfTheReportAsync(ApiCalls calls)
    {
        var list = Api.Operation("ListReports");
        var answer = await calls.SendAsync(list, null, OpenApiHostFixture.KeyOf(list.KeyRole));
        var day = answer.Json!["days"]!.AsArray().Single()!;
        Assert.Equal(OpenApiHostFixture.ReportDay, day["day"]!.ToString());
        var files = day["manifest"]!["files"]!.AsArray().Select(f => f!["name"]!.ToString()).Append("manifest.json");
        var documented = Api.Operation("GetReportFile").Parameters.Single(p => p["name"]!.ToString() == "file")[
            "schema"
        ]!["enum"]!
            .AsArray()
            .Select(f => f!.ToString());
        Assert.Equal(files.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }
}
