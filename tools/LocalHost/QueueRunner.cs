using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PvpServerless.LocalHost;

/// <summary>
/// Polls the queue of every queue-triggered function as the Functions host does: a message is hidden while it is
/// handled, deleted on success, made visible again on failure, and moved to <c>{queue}-poison</c> after
/// <see cref="LocalHostOptions.MaxDequeueCount"/> failed attempts. Empty queues are polled less and less often.
/// </summary>
public sealed class QueueRunner(
    IReadOnlyList<FunctionDescriptor> functions,
    FunctionInvoker invoker,
    IConfiguration configuration,
    LocalHostOptions options,
    TimeProvider clock,
    ILogger<QueueRunner> log
) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Where(f => f.Trigger is Trigger.Queue).Select(f => PollAsync(f, stoppingToken)));

    public static QueueClient ClientFor(Trigger.Queue trigger, IConfiguration configuration)
    {
        var setting = string.IsNullOrEmpty(trigger.Connection) ? "AzureWebJobsStorage" : trigger.Connection;
        var connection =
            configuration[setting]
            ?? configuration["AzureWebJobs" + setting]
            ?? throw new InvalidOperationException($"Queue connection setting '{setting}' is not defined.");
        // The Functions host expects base64 message bodies by default.
        return new QueueClient(
            connection,
            AppSettings.Resolve(trigger.QueueName, configuration),
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }
        );
    }

    private async Task PollAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        var trigger = (Trigger.Queue)function.Trigger;
        var queue = ClientFor(trigger, configuration);
        var poison = ClientFor(trigger with { QueueName = queue.Name + "-poison" }, configuration);
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(16, options.VisibilityTimeout, stoppingToken)).Value;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Polling queue {Queue} failed; trying again", queue.Name);
                messages = [];
            }
            if (messages.Length == 0)
            {
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxPollingInterval.Ticks));
                continue;
            }
            delay = TimeSpan.FromMilliseconds(100);
            foreach (var message in messages)
            {
                await HandleAsync(function, queue, poison, message, stoppingToken);
            }
        }
    }

    private async Task HandleAsync(
        FunctionDescriptor function,
        QueueClient queue,
        QueueClient poison,
        QueueMessage message,
        CancellationToken stoppingToken
    )
    {
        try
        {
            await invoker.InvokeAsync(function, new TriggerInput(QueueMessage: message.Body.ToString()), stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            log.LogError(
                ex,
                "Queue function {Function} failed on message {Id} (attempt {Count})",
                function.Name,
                message.MessageId,
                message.DequeueCount
            );
            if (message.DequeueCount >= options.MaxDequeueCount)
            {
                await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
            }
            else
            {
                await queue.UpdateMessageAsync(
                    message.MessageId,
                    message.PopReceipt,
                    visibilityTimeout: TimeSpan.Zero,
                    cancellationToken: stoppingToken
                );
            }
        }
    }
}
