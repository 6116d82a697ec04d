"""Charts drawn on the server as SVG (no script, no CDN): the pillars' radar, a rank trend, rank bars."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# A chart keeps to the width of a phone's screen, its proportions kept.
FIT = "max-width: 100%; height: auto"
COLOURS = ("#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1")


def radar(labels: list[str], series: list[tuple[str, list[float | None]]], size: int = 360, title: str = ""):
    """Pillar scores (0–100) on spokes; one polygon per series (a unit, the median…)."""
    n = len(labels)
    cx = cy = size / 2
    r = size / 2 - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'role="img" aria-label="{escape(title or _("Pillar scores"))}" style="{FIT}" '
        f'data-testid="radar" class="radar-chart">'
    ]

    def point(i, value):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + r * value / 100 * math.cos(angle), cy + r * value / 100 * math.sin(angle)

    for ring in (25, 50, 75, 100):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ccc" stroke-width="1"/>')
    for i, label in enumerate(labels):
        x, y = point(i, 100)
        lx, ly = point(i, 118)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="10" text-anchor="{anchor}">{escape(_short(label))}</text>'
        )
    for s, (name, values) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0) for i, v in enumerate(values)))
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(name)}</title></polygon>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # nosec B308 B703 # numbers we format and texts escaped above


def _short(label: str, length: int = 28) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def rank_trend(points: list[tuple[str, int, int]], width: int = 420, height: int = 200, title: str = ""):
    """(label, rank, out of) per year; rank 1 at the top."""
    if not points:
        return ""
    worst = max(of for _, _, of in points) or 1
    left, right, top, bottom = 40, 20, 20, 40
    w, h = width - left - right, height - top - bottom
    step = w / max(len(points) - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title or _("Rank over the years"))}" style="{FIT}" '
        f'data-testid="rank-trend">'
    ]
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + h}" stroke="#999"/>')
    parts.append(f'<text x="{left - 5}" y="{top + 4}" font-size="10" text-anchor="end">1</text>')
    parts.append(f'<text x="{left - 5}" y="{top + h}" font-size="10" text-anchor="end">{worst}</text>')
    coords = []
    for i, (label, rank, _of) in enumerate(points):
        x = left + (step * i if len(points) > 1 else w / 2)
        y = top + h * (rank - 1) / max(worst - 1, 1)
        coords.append((x, y))
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#0d6efd"><title>{escape(label)}: {rank}</title></circle>'
        )
        parts.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" font-size="10" text-anchor="middle">{rank}</text>')
        parts.append(
            f'<text x="{x:.1f}" y="{top + h + 16}" font-size="9" text-anchor="middle">{escape(_short(label, 22))}</text>'
        )
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0d6efd" stroke-width="1.5"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # nosec B308 B703 # numbers we format and texts escaped above


def bars(rows: list[tuple[str, float]], width: int = 420, bar: int = 16, title: str = ""):
    """Horizontal bars (0–100), e.g. a unit's pillar scores or each unit's overall score."""
    height = bar * len(rows) + 10
    label_w = 170
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title or _("Overall scores"))}" style="{FIT}" '
        f'data-testid="bars">'
    ]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * bar
        length = (width - label_w - 40) * max(value or 0, 0) / 100
        parts.append(
            f'<text x="{label_w - 4}" y="{y + bar - 5}" font-size="10" text-anchor="end">{escape(_short(label))}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{length:.1f}" height="{bar - 4}" fill="#0d6efd"/>'
        )
        parts.append(
            f'<text x="{label_w + length + 3:.1f}" y="{y + bar - 5}" font-size="10">{value:.2f}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # nosec B308 B703 # numbers we format and texts escaped above
