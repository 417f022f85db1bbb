"""Small server-rendered SVG charts: readable on a phone, no JavaScript, no CDN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

PALETTE = ("#0b7a75", "#e07a1f", "#3d5a98", "#b8336a", "#6a8d2f")


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str, width: int = 420, unit: str = "") -> str:
    """Horizontal bars (long Indonesian labels stay readable), largest value sets the scale."""
    row, label_w, pad = 26, 150, 8
    height = pad * 2 + row * max(len(values), 1) + 24
    top = max(values, default=0) or 1
    parts = [_open(width, height, title)]
    parts.append(f'<text x="{pad}" y="16" class="t">{escape(title)}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 24 + pad + i * row
        w = (width - label_w - 70) * (value / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(_short(label, 22))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{_num(value)}{escape(unit)}</text>')
    if not values:
        parts.append(f'<text x="{pad}" y="{24 + pad + 15}">–</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str,
    empty: str = "–",
    width: int = 420,
    height: int = 220,
) -> str:
    """Lines over days, one per series (e.g. per channel), with a legend.

    Every label is a point (days without messages are zeros, not gaps); each point is also a dot,
    so a single day of data is visible, and a chart without any series says `empty`.
    """
    left, right, top_pad, bottom = 40, 10, 28, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max((v for values in series.values() for v in values), default=0) or 1
    n = max(len(labels), 1)
    parts = [_open(width, height, title), f'<text x="4" y="16" class="t">{escape(title)}</text>']
    parts.append(
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" y2="{top_pad + plot_h}" stroke="#999"/>'
    )
    parts.append(f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end">{_num(top)}</text>')
    parts.append(f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end">0</text>')

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top_pad + plot_h - plot_h * v / top

    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        parts.extend(
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="{3 if v else 1.5}" fill="{colour}"/>'
            for i, v in enumerate(values)
        )
        parts.append(f'<rect x="{left + k * 110}" y="{height - 14}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{left + k * 110 + 14}" y="{height - 5}">{escape(_short(name, 14))}</text>')
    if not series:
        parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top_pad + plot_h / 2:.1f}" text-anchor="middle">')
        parts.append(f"{escape(empty)}</text>")
    if labels:
        parts.append(f'<text x="{left}" y="{top_pad + plot_h + 14}">{escape(labels[0])}</text>')
        if len(labels) > 1:
            parts.append(
                f'<text x="{width - right}" y="{top_pad + plot_h + 14}" text-anchor="end">{escape(labels[-1])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" font-size="12" font-family="sans-serif">'
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:.1f}"
