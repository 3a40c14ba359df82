"""Charts as inline SVG, drawn on the server: no JavaScript, no build step, readable by screen readers.

Every chart carries a ``<title>`` and ``<desc>`` and every mark its own ``<title>``, and
the page shows the same figures in a table next to it.
"""

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 640
BAR = 22
GAP = 6
LABEL = 170
PAD = 8


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() or value >= 100 else f"{value:,.2f}"


def bar_chart(title: str, bars: Sequence[tuple[str, float]], *, unit: str = "") -> Markup:
    """Horizontal bars, one per labelled value, scaled to the largest."""
    top = max((v for _, v in bars), default=0) or 1
    span = WIDTH - LABEL - 2 * PAD - 70
    height = PAD * 2 + len(bars) * (BAR + GAP)
    marks = []
    for i, (label, value) in enumerate(bars):
        y = PAD + i * (BAR + GAP)
        length = max(1.0, span * value / top) if value else 0.0
        text = f"{_number(value)}{unit}"
        marks.append(
            f'<g class="bar"><title>{escape(label)}: {escape(text)}</title>'
            f'<text x="{LABEL - 6}" y="{y + BAR * 0.7:.1f}" text-anchor="end">{escape(label[:26])}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{length:.1f}" height="{BAR}" rx="2"></rect>'
            f'<text x="{LABEL + length + 6:.1f}" y="{y + BAR * 0.7:.1f}">{escape(text)}</text></g>'
        )
    return Markup(  # noqa: S704 - every text in it went through escape(); the rest are formatted numbers
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {max(height, 40)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(title)}: {len(bars)}</desc>{''.join(marks)}</svg>"
    )


def line_chart(title: str, points: Sequence[tuple[str, float]]) -> Markup:
    """One line over periods (labels in order), with a dot and a tooltip per point."""
    height, left, bottom = 220, 56, 28
    top_value = max((v for _, v in points), default=0) or 1
    inner_w, inner_h = WIDTH - left - 32, height - bottom - PAD  # room for the last label, centred on its point
    step = inner_w / max(1, len(points) - 1)
    coords = [
        (left + i * step if len(points) > 1 else left + inner_w / 2, PAD + inner_h * (1 - v / top_value))
        for i, (_, v) in enumerate(points)
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(coords))
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(label)}: {_number(v)}</title></circle>'
        for (x, y), (label, v) in zip(coords, points, strict=True)
    )
    every = max(1, len(points) // 8)
    ticks = "".join(
        f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>'
        for i, ((x, _), (label, _)) in enumerate(zip(coords, points, strict=True))
        if i % every == 0
    )
    axis = (
        f'<line class="axis" x1="{left}" y1="{PAD + inner_h}" x2="{WIDTH - PAD}" y2="{PAD + inner_h}"></line>'
        f'<text x="{left - 6}" y="{PAD + 10}" text-anchor="end">{_number(top_value)}</text>'
        f'<text x="{left - 6}" y="{PAD + inner_h}" text-anchor="end">0</text>'
    )
    return Markup(  # noqa: S704 - every text in it went through escape(); the rest are formatted numbers
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(title)}: {len(points)}</desc>{axis}"
        f'<path class="line" d="{path}"></path>{dots}{ticks}</svg>'
    )
