namespace PvpServerless.Tests.Browser;

/// <summary>A screen to test on: size in CSS pixels, pixel density, whether it is a touch phone or tablet.</summary>
public sealed record Viewport(string Name, int Width, int Height, float DeviceScaleFactor, bool IsMobile, bool HasTouch)
{
    /// <summary>A laptop or desktop browser window.</summary>
    public static readonly Viewport Desktop = new("desktop", 1280, 800, 1, IsMobile: false, HasTouch: false);

    /// <summary>A current phone held upright (390 CSS pixels wide), by touch, at twice the pixel density.</summary>
    public static readonly Viewport Phone = new("phone", 390, 844, 2, IsMobile: true, HasTouch: true);

    /// <summary>A tablet held upright, by touch.</summary>
    public static readonly Viewport Tablet = new("tablet", 820, 1180, 2, IsMobile: true, HasTouch: true);
}
