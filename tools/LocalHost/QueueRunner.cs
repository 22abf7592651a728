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
        var state = new PollState();
        // Nothing but shutdown ends the loop: a failure anywhere (storage away while receiving, while releasing a
        // message, while moving one to the poison queue) is logged and the polling goes on after a growing pause,
        // as the Functions host's listener does (docs/evidence.md, "Faults").
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(function, queue, poison, state, stoppingToken);
                state.Failures = 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var pause = FailurePause(state.Failures++, options.MaxPollingInterval);
                log.LogWarning(ex, "Polling queue {Queue} failed; trying again in {Pause}", queue.Name, pause);
                await Task.Delay(pause, clock, stoppingToken);
            }
        }
    }

    /// <summary>The pause after <paramref name="failures"/> failures in a row: 0.5 s doubling, at most max.</summary>
    public static TimeSpan FailurePause(int failures, TimeSpan max) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(500).Ticks << Math.Min(failures, 10), max.Ticks));

    private sealed class PollState
    {
        public bool Created { get; set; }

        public int Failures { get; set; }

        public TimeSpan EmptyDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    }

    /// <summary>One receive and the messages it brought; an empty queue is polled less and less often.</summary>
    private async Task PollOnceAsync(
        FunctionDescriptor function,
        QueueClient queue,
        QueueClient poison,
        PollState state,
        CancellationToken stoppingToken
    )
    {
        if (!state.Created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
            state.Created = true;
        }
        var messages = (await queue.ReceiveMessagesAsync(16, options.VisibilityTimeout, stoppingToken)).Value;
        if (messages.Length == 0)
        {
            await Task.Delay(state.EmptyDelay, clock, stoppingToken);
            state.EmptyDelay = TimeSpan.FromTicks(
                Math.Min(state.EmptyDelay.Ticks * 2, options.MaxPollingInterval.Ticks)
            );
            return;
        }
        state.EmptyDelay = TimeSpan.FromMilliseconds(100);
        foreach (var message in messages)
        {
            await HandleAsync(function, queue, poison, message, stoppingToken);
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
