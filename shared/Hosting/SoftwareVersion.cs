using PvpServerless.Analysis;

namespace PvpServerless.Hosting;

/// <summary>
/// The version every output of this build is stamped with: the core assembly's informational version.
/// </summary>
public static class SoftwareVersion
{
    /// <summary>E.g. <c>0.1.0+3f9a2c61…</c> (the SDK appends the commit); the same for the whole process.</summary>
    public static string Current { get; } = Provenance.SoftwareVersionOf(typeof(SoftwareVersion).Assembly);
}
