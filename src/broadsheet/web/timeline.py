"""A story's coverage timeline as a small inline SVG bar chart, rendered on the server.

No chart library: the page must work without JavaScript under a strict CSP, and a dozen bars are
simpler drawn than configured.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape

__all__ = ["timeline_svg"]

WIDTH, HEIGHT, PAD = 600, 120, 18


def _bucket(span: timedelta) -> timedelta:
    for size in (timedelta(hours=1), timedelta(hours=3), timedelta(hours=12), timedelta(days=1)):
        if span / size <= 24:
            return size
    return timedelta(days=7)


def timeline_svg(times: Sequence[datetime]) -> str:
    """Articles per time bucket from the first to the last; empty string for no articles."""
    if not times:
        return ""
    start, end = min(times), max(times)
    size = _bucket(end - start)
    counts = Counter(int((t - start) / size) for t in times)
    buckets = max(counts) + 1
    tallest = max(counts.values())
    slot = (WIDTH - 2 * PAD) / buckets
    bar = min(slot, 48.0)  # a few buckets should not become a wall of colour
    bars = []
    for index in range(buckets):
        count = counts.get(index, 0)
        h = (HEIGHT - 2 * PAD) * count / tallest
        x, y = PAD + index * slot + (slot - bar) / 2, HEIGHT - PAD - h
        label = f"{(start + index * size):%d %b %H:%M}: {count} article{'s' if count != 1 else ''}"
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 2, 1):.1f}" height="{h:.1f}" '
            f'class="bar"><title>{escape(label)}</title></rect>'
        )
    first, last = f"{start:%d %b %H:%M}", f"{end:%d %b %H:%M}"
    return (
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="Coverage over time: {len(times)} articles from {first} to {last} UTC">'
        + "".join(bars)
        + f'<text x="{PAD}" y="{HEIGHT - 3}" class="axis">{first}</text>'
        + f'<text x="{WIDTH - PAD}" y="{HEIGHT - 3}" class="axis" text-anchor="end">{last}</text>'
        + "</svg>"
    )
