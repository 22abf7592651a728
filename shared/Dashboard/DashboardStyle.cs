namespace PvpServerless.Dashboard;

/// <summary>
/// The dashboard's stylesheet: a laptop (1366 px) and a tablet (768 px) without sideways scrolling (wide tables
/// scroll inside their own focusable region, which is positioned so that the visually hidden texts inside it stay
/// inside it too, and shows a shadow at an edge with more beyond it: a touch screen shows no scroll bar), contrast of
/// at least 4.5:1, a yellow-and-black focus ring on everything that takes focus, targets at least 44 px high.
/// </summary>
public static class DashboardStyle
{
    public const string Css = """
        body { margin: 0; background: #ffffff; color: #0b0c0c; font-family: system-ui, -apple-system, "Segoe UI",
            Roboto, Arial, sans-serif; line-height: 1.45; font-size: 1rem; }
        main { max-width: 80rem; margin: 0 auto; padding: 0.75rem 1rem 3rem; }
        h1 { font-size: 1.6rem; margin: 0.75rem 0 1rem; }
        h2 { font-size: 1.25rem; margin: 1.75rem 0 0.75rem; }
        a { color: #0b4f9c; }
        a:focus, button:focus, input:focus, summary:focus, .scroll:focus { outline: 3px solid #ffdd00;
            outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
        a:focus { background: #ffdd00; color: #0b0c0c; }
        .top { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center;
            border-bottom: 1px solid #b1b4b6; padding-bottom: 0.5rem; }
        .top p { margin: 0; }
        .brand { font-weight: 700; font-size: 1.15rem; margin-right: auto !important; }
        .who { color: #505a5f; }
        .languages a { display: inline-block; padding: 0.6rem 0.25rem; }
        .notice { border-left: 5px solid #00703c; background: #f3f2f1; padding: 0.75rem 1rem; font-weight: 600; }
        .problem { border-left: 5px solid #d4351c; background: #f3f2f1; padding: 0.75rem 1rem; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: 0.6rem;
            list-style: none; margin: 0; padding: 0; }
        .tile { display: block; border: 1px solid #b1b4b6; border-radius: 0.4rem; padding: 0.6rem 0.75rem;
            text-decoration: none; color: #0b0c0c; min-height: 2.75rem; }
        .tiles li { display: flex; }
        .tiles .tile { flex: 1; margin: 0; }
        a.tile:hover { border-color: #0b4f9c; }
        .tile .count { display: block; font-size: 1.6rem; font-weight: 700; color: #0b4f9c; }
        .tile .label { display: block; font-size: 0.95rem; }
        .tile.rate { background: #f3f2f1; }
        .tile .note { display: block; color: #505a5f; font-size: 0.85rem; }
        .chart { width: 100%; max-width: 52rem; height: auto; display: block; }
        .legend { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; margin: 0.5rem 0; }
        .key { display: inline-block; width: 1rem; height: 0.3rem; vertical-align: middle; margin-right: 0.35rem; }
        .key-baseline { background: #0b4f9c; } .key-3m { background: #b3261e; } .key-1y { background: #00703c; }
        .scroll { overflow-x: auto; max-width: 100%; position: relative; background:
            linear-gradient(to right, #ffffff 30%, rgba(255, 255, 255, 0)) left / 2rem 100% no-repeat local,
            linear-gradient(to left, #ffffff 30%, rgba(255, 255, 255, 0)) right / 2rem 100% no-repeat local,
            radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, 0.3), transparent) left / 0.8rem 100% no-repeat,
            radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.3), transparent) right / 0.8rem 100% no-repeat; }
        table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
        th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid #b1b4b6; }
        th { background: #f3f2f1; }
        td.num, th.num { text-align: right; }
        th[scope=row], .date { white-space: nowrap; }
        details { margin: 0.25rem 0; }
        summary { cursor: pointer; color: #0b4f9c; padding: 0.5rem 0; min-height: 1.75rem; }
        form.action { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.4rem; margin: 0.3rem 0; }
        form.action > p.muted { flex-basis: 100%; margin: 0; }
        form.action > .break { flex-basis: 100%; height: 0; }
        .field { display: inline-flex; flex-direction: column; font-size: 0.9rem; }
        input { font: inherit; border: 2px solid #0b0c0c; padding: 0.35rem 0.4rem; min-height: 2.2rem;
            box-sizing: border-box; }
        input[type=number] { width: 5.5rem; }
        button { font: inherit; font-weight: 600; color: #ffffff; background: #0b4f9c; border: 0;
            border-radius: 0.3rem; padding: 0.55rem 0.9rem; min-height: 2.75rem; cursor: pointer; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
        .facts dt { font-weight: 600; } .facts dd { margin: 0; }
        .muted { color: #505a5f; }
        .pager { margin: 1rem 0; }
        .pager a { display: inline-block; padding: 0.6rem 0; }
        .visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important;
            margin: 0 !important; padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important;
            white-space: nowrap !important; border: 0 !important; }
        """;
}
