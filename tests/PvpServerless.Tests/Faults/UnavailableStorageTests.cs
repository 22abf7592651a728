using Azure;
using PvpServerless.Storage;

namespace PvpServerless.Tests.Faults;

/// <summary>
/// What the SDK throws when storage is unreachable (measured against a stopped Azurite: every client, after its own
/// retries) counts as "storage away", so the callers answer 503 or wait instead of failing with 500.
/// </summary>
public sealed class UnavailableStorageTests
{
    [Fact]
    public void The_SDKs_retries_ran_out_on_a_refused_connection_is_storage_away()
    {
        // As Azure.Core's retry policy throws it: every attempt's failure, each status 0 around the socket error.
        var refused = new AggregateException(
            "Retry failed after 4 tries.",
            Enumerable
                .Range(0, 4)
                .Select(_ => new RequestFailedException("Connection refused (127.0.0.1:1)", new HttpRequestException()))
        );
        Assert.True(Contention.IsUnavailable(refused));
    }

    [Fact]
    public void A_bundle_with_any_other_failure_is_not()
    {
        var mixed = new AggregateException(
            new RequestFailedException("Connection refused"),
            new RequestFailedException(404, "The specified resource does not exist.")
        );
        Assert.False(Contention.IsUnavailable(mixed));
        Assert.False(Contention.IsUnavailable(new AggregateException()));
    }
}
