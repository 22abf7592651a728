using MathNet.Numerics.Distributions;

namespace PvpServerless.Analysis.Statistics;

/// <summary>One step of a Kaplan–Meier curve: the day of one or more events and the estimate just after it.</summary>
/// <param name="StdErr">Greenwood standard error of log S (R's <c>fit$std.err</c>); infinite once S = 0.</param>
public sealed record KaplanMeierPoint(
    double Time,
    int AtRisk,
    int Events,
    double Survival,
    double StdErr,
    double? Lower,
    double? Upper
);

/// <summary>A Kaplan–Meier fit: the event steps and the last observed time.</summary>
public sealed record KaplanMeierFit(int N, int Events, IReadOnlyList<KaplanMeierPoint> Steps, double LastTime)
{
    /// <summary>
    /// The estimate at time t: that of the last step at or before t (S = 1 before the first event); null past the last
    /// observed time. Reference: <c>summary(fit, times = t)</c>.
    /// </summary>
    public KaplanMeierPoint? At(double t)
    {
        if (N == 0 || t > LastTime)
            return null;
        KaplanMeierPoint? last = null;
        foreach (var step in Steps)
        {
            if (step.Time > t)
                break;
            last = step;
        }
        return last ?? new KaplanMeierPoint(t, N, 0, 1, 0, 1, 1);
    }

    /// <summary>
    /// The median as <c>print(fit)</c> gives it (survival's <c>minmin</c>): the first time where S &lt; 0.5 + √ε; when
    /// S there equals 0.5 within √ε and drops later, the midpoint between that time and the time it first drops below.
    /// Null when not reached.
    /// </summary>
    public double? Median()
    {
        var tolerance = RConstants.SqrtDoubleEps;
        var first = -1;
        for (var i = 0; i < Steps.Count && first < 0; i++)
        {
            if (Steps[i].Survival < 0.5 + tolerance)
                first = i;
        }
        if (first < 0)
            return null;
        var s = Steps[first];
        if (Math.Abs(s.Survival - 0.5) < tolerance)
        {
            for (var j = first + 1; j < Steps.Count; j++)
            {
                if (Steps[j].Survival < s.Survival)
                    return (s.Time + Steps[j].Time) / 2;
            }
        }
        return s.Time;
    }
}

/// <summary>Kaplan–Meier product-limit estimator with Greenwood variance and a log-scale confidence interval.</summary>
public static class KaplanMeierEstimator
{
    /// <summary>
    /// S(t) = Π over event times tᵢ ≤ t of (1 − dᵢ/nᵢ) with nᵢ at risk (time ≥ tᵢ) and dᵢ events; Greenwood
    /// se(log S) = √Σ dᵢ/(nᵢ(nᵢ − dᵢ)); CI = exp(log S ± z·se) with the upper bound capped at 1, none when S = 0.
    /// Reference: <c>survfit(Surv(time, event) ~ 1)</c> (conf.type = "log", conf.int = 0.95).
    /// </summary>
    public static KaplanMeierFit Fit(IReadOnlyList<(double Time, bool Event)> observations, double confidence = 0.95)
    {
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        var sorted = observations.OrderBy(o => o.Time).ToArray();
        var steps = new List<KaplanMeierPoint>();
        double survival = 1,
            varLog = 0;
        var atRisk = sorted.Length;
        for (var i = 0; i < sorted.Length;)
        {
            var time = sorted[i].Time;
            int events = 0,
                leaving = 0;
            for (; i < sorted.Length && sorted[i].Time == time; i++, leaving++)
            {
                if (sorted[i].Event)
                    events++;
            }
            if (events > 0)
            {
                survival *= (double)(atRisk - events) / atRisk;
                varLog += (double)events / ((double)atRisk * (atRisk - events));
                var se = Math.Sqrt(varLog);
                double? lower = null,
                    upper = null;
                if (survival > 0)
                {
                    lower = Math.Exp(Math.Log(survival) - z * se);
                    upper = Math.Min(Math.Exp(Math.Log(survival) + z * se), 1);
                }
                steps.Add(new KaplanMeierPoint(time, atRisk, events, survival, se, lower, upper));
            }
            atRisk -= leaving;
        }
        return new KaplanMeierFit(
            sorted.Length,
            sorted.Count(o => o.Event),
            steps,
            sorted.Length == 0 ? double.NaN : sorted[^1].Time
        );
    }
}
