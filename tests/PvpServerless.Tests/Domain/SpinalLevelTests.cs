using PvpServerless.Domain;

namespace PvpServerless.Tests.Domain;

public class SpinalLevelTests
{
    [Theory]
    [InlineData("C1", SpineRegion.Cervical, 0)]
    [InlineData("C7", SpineRegion.Cervical, 6)]
    [InlineData("T1", SpineRegion.Thoracic, 7)]
    [InlineData("T12", SpineRegion.Thoracic, 18)]
    [InlineData("L5", SpineRegion.Lumbar, 23)]
    [InlineData("S1", SpineRegion.Sacral, 24)]
    public void Parses_every_region(string code, SpineRegion region, int ordinal)
    {
        var level = SpinalLevel.Parse(code);
        Assert.Equal(region, level.Region);
        Assert.Equal(ordinal, level.Ordinal);
        Assert.Equal(code, level.ToString());
    }

    [Theory]
    [InlineData("C0")]
    [InlineData("C8")]
    [InlineData("T13")]
    [InlineData("L6")]
    [InlineData("S2")]
    [InlineData("t12")]
    [InlineData("T012")]
    [InlineData("X1")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_what_is_not_a_level(string? code) => Assert.False(SpinalLevel.TryParse(code, out _));
}
