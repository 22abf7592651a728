using System.Collections.Concurrent;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PvpServerless.Domain;
using PvpServerless.Hosting;
using PvpServerless.Survey;

namespace PvpServerless.Benchmarks;

/// <summary>
/// Which storage requests one answer costs: the core's <see cref="SurveyService"/> (what the function calls) over the
/// host's tables and key, with every request its clients send counted, for one page and one post.
/// </summary>
internal static class SubmissionProfile
{
    /// <returns>
    /// The page's requests, the post's, and its status-index sync's (the sweep: no drain runs over the core services
    /// alone), each as "METHOD table ×n" in order of first use; the sweep's scan is a query of the patients table.
    /// </returns>
    public static async Task<(string Page, string Post, string Sync)> RunAsync(
        IReadOnlyDictionary<string, string?> settings,
        Invitee invitee,
        CancellationToken cancellationToken
    )
    {
        var counter = new RequestCounter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddPvpCore(configuration);
        services.AddAzureClients(c => c.ConfigureDefaults(o => o.AddPolicy(counter, HttpPipelinePosition.PerRetry)));
        await using var provider = services.BuildServiceProvider();
        var survey = provider.GetRequiredService<SurveyService>();
        var token = invitee.Link.Segments[^1];

        var shown = await survey.ShowAsync(token, Language.Da, cancellationToken);
        var page = counter.Take();
        if (shown is not SurveyOutcome.Form { Page: var form })
            throw new InvalidOperationException($"the profiled link showed {shown.GetType().Name}.");
        var fields = new List<KeyValuePair<string, string>> { new("check", form.Check) };
        fields.AddRange(
            form.Eq5d.Items.Select(i => KeyValuePair.Create(form.Eq5d.FieldKey(i), i.IsScale ? "50" : "1"))
        );
        fields.AddRange(form.Odi.Items.Select(i => KeyValuePair.Create(form.Odi.FieldKey(i), "1")));
        var body = await new FormUrlEncodedContent(fields).ReadAsByteArrayAsync(cancellationToken);
        var post = new SurveyPost(
            token,
            Language.Da,
            invitee.Link,
            null,
            null,
            "application/x-www-form-urlencoded",
            body
        );
        var outcome = await survey.SubmitAsync(post, cancellationToken);
        if (outcome is not SurveyOutcome.Received)
            throw new InvalidOperationException($"the profiled post got {outcome.GetType().Name}.");
        var posted = counter.Take();
        await provider.GetRequiredService<FollowUp.StatusIndexBacklog>().SweepAsync(cancellationToken);
        return (page, posted, counter.Take());
    }

    /// <summary>Counts the requests the SDK clients send, retries included, by method and table.</summary>
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentQueue<string> _requests = new();

        public override void OnSendingRequest(HttpMessage message)
        {
            // /devstoreaccount1/{prefix}{Table}(PartitionKey=…) or /devstoreaccount1/$batch
            var path = message.Request.Uri.ToUri().AbsolutePath.Split('/')[2].Split('(')[0];
            _requests.Enqueue($"{message.Request.Method} {path}");
        }

        public string Take()
        {
            var all = new List<string>();
            while (_requests.TryDequeue(out var r))
                all.Add(r);
            var text = new StringBuilder();
            foreach (var group in all.GroupBy(r => r))
                text.Append(text.Length == 0 ? "" : ", ").Append(group.Key).Append(" ×").Append(group.Count());
            return text.ToString();
        }
    }
}
