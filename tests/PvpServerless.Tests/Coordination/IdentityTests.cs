using PvpServerless.Coordination;
using PvpServerless.Patients;
using PvpServerless.Tests.FollowUp;
using PvpServerless.Tests.Infrastructure;
using static PvpServerless.Tests.Coordination.ActionRequests;

namespace PvpServerless.Tests.Coordination;

/// <summary>
/// Who the audit names: the platform's signed-in user, else initials in X-Pvp-User, never an address.
/// </summary>
public sealed class IdentityTests(DeliveryHostFixture host) : IClassFixture<DeliveryHostFixture>
{
    private static IdentityResult Resolve(Dictionary<string, string> headers) =>
        CoordinatorIdentity.Resolve("coordinator", name => headers.GetValueOrDefault(name));

    public static TheoryData<string, string> Principals =>
        new()
        {
            // The display name, when there is one.
            { Principal(("name", "Anna Berg"), (ObjectIdClaim, "5f1c2a0e")), "Anna Berg" },
            // Only an address-shaped name: the part before '@', never the address.
            {
                Principal(("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "hbj@rh.example")),
                "hbj"
            },
            { Principal(("preferred_username", "kls@rh.example")), "kls" },
            // Nothing but the object id.
            {
                Principal((ObjectIdClaim, "5f1c2a0e-1111-2222-3333-444455556666")),
                "5f1c2a0e-1111-2222-3333-444455556666"
            },
        };

    [Theory]
    [MemberData(nameof(Principals))]
    public void The_signed_in_user_is_named_from_the_client_principal(string principal, string person)
    {
        var result = Resolve(new() { ["X-MS-CLIENT-PRINCIPAL"] = principal, ["X-Pvp-User"] = "not initials at all" });
        Assert.Equal(new Actor("coordinator", person), Assert.IsType<IdentityResult.Known>(result).Actor);
    }

    [Fact]
    public void The_name_header_alone_counts_as_a_platform_identity()
    {
        var result = Resolve(new() { ["X-MS-CLIENT-PRINCIPAL-NAME"] = "anna.berg@region.example" });
        Assert.Equal(new Actor("coordinator", "anna.berg"), Assert.IsType<IdentityResult.Known>(result).Actor);
    }

    [Theory]
    [InlineData("AB", "AB")]
    [InlineData("hbj", "hbj")]
    [InlineData("ÆØÅ", "ÆØÅ")]
    [InlineData("ABCDEFGH", "ABCDEFGH")]
    public void Initials_are_taken_without_a_platform_identity(string header, string person) =>
        Assert.Equal(
            new Actor("coordinator", person),
            Assert.IsType<IdentityResult.Known>(Resolve(new() { ["X-Pvp-User"] = header })).Actor
        );

    [Theory]
    [InlineData("ab@example.dk")]
    [InlineData("ABCDEFGHI")]
    [InlineData("A")]
    [InlineData("A B")]
    [InlineData("A1")]
    public void Anything_but_initials_is_refused_naming_the_header(string header)
    {
        var refused = Assert.IsType<IdentityResult.Refused>(Resolve(new() { ["X-Pvp-User"] = header }));
        Assert.Equal("X-Pvp-User", refused.Header);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("bm90IGpzb24=")] // "not json"
    public void A_malformed_principal_is_refused(string principal) =>
        Assert.Equal(
            "X-MS-CLIENT-PRINCIPAL",
            Assert.IsType<IdentityResult.Refused>(Resolve(new() { ["X-MS-CLIENT-PRINCIPAL"] = principal })).Header
        );

    [Fact]
    public void No_header_is_the_key_alone() =>
        Assert.Equal(new Actor("coordinator"), Assert.IsType<IdentityResult.Known>(Resolve([])).Actor);

    [Theory]
    [InlineData("hbj@rh.example.dk")]
    [InlineData("Henrik Bjerre Jensen")]
    public async Task Every_coordinator_route_refuses_a_bad_X_Pvp_User_with_400_and_stores_nothing(string user)
    {
        var body = Patients.Enrolments.Valid();
        var id = (string)body["studyId"]!;
        var enrol = await host.Client.CallAsync(Make(HttpMethod.Post, "/api/patients", body, User(user)));
        Assert.Equal(400, enrol.Status);
        Assert.NotNull(enrol.Json!["errors"]!["X-Pvp-User"]);
        Assert.Equal(404, (await host.Client.CallAsync(Make(HttpMethod.Get, $"/api/patients/{id}"))).Status);

        Assert.Equal(201, (await host.Client.CallAsync(Make(HttpMethod.Post, "/api/patients", body))).Status);
        var calls = new[]
        {
            Make(
                HttpMethod.Post,
                $"/api/patients/{id}/events",
                new { type = "death", date = "2025-08-01" },
                User(user)
            ),
            Make(HttpMethod.Post, $"/api/patients/{id}/opt-out", headers: User(user)),
            Make(HttpMethod.Post, $"/api/patients/{id}/waves/baseline/resend", new { }, User(user)),
        };
        foreach (var call in calls)
        {
            var (status, problem, _) = await host.Client.CallAsync(call);
            Assert.Equal(400, status);
            Assert.Equal(["X-Pvp-User"], problem!["errors"]!.AsObject().Select(e => e.Key));
        }
        Assert.Single(await host.AuditAsync(id)); // the enrolment's
    }
}
