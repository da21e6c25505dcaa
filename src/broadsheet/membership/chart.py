"""The publisher report's chart: reads per publisher as horizontal bars in an inline SVG, drawn on
the server from numbers and escaped names (the CSP allows no inline script or style; the bars take
their colour from the stylesheet's ``.bar`` and ``.axis`` classes)."""

from __future__ import annotations

from html import escape

from broadsheet.storage.membership import PublisherReport

__all__ = ["publisher_chart_svg"]

WIDTH, ROW, LABEL, PAD = 640, 22, 220, 6


def publisher_chart_svg(report: PublisherReport, *, limit: int = 20) -> str:
    """One bar per publisher (the ``limit`` most read), labelled with its reads and share."""
    rows = report.rows[:limit]
    if not rows:
        return ""
    most = max(r.reads for r in rows)
    span = WIDTH - LABEL - 110
    height = len(rows) * ROW + PAD
    parts = []
    for index, row in enumerate(rows):
        y, w = PAD + index * ROW, span * row.reads / most
        name, share = escape(row.publisher[:40]), f"{row.share:.1%}"
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 14}" class="axis" text-anchor="end">{name}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{max(w, 1):.1f}" height="{ROW - 6}" class="bar">'
            f"<title>{name}: {row.reads} reads, {share}</title></rect>"
            f'<text x="{LABEL + w + 6:.1f}" y="{y + 14}" class="axis">{row.reads} · {share}</text>'
        )
    label = escape(f"Reads by publisher in {report.month}: {report.reads} reads in all")
    return (
        f'<svg class="timeline publisher-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{label}">' + "".join(parts) + "</svg>"
    )
