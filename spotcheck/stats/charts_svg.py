"""A bar chart drawn as SVG on the server, for the PDF (WeasyPrint runs no JavaScript)."""

from django.utils.html import escape

WIDTH, HEIGHT, LABEL_WIDTH, BAR = 480, 28, 120, 18


def bar_chart_svg(labels: list[str], values: list[int]) -> str:
    """Horizontal bars, one per label, each with its number; the longest bar fills the width."""
    top = max(values, default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    rows = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = i * HEIGHT
        length = round(span * value / top)
        rows.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length}" height="{BAR}" fill="#3b6ea5"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 15}">{value}</text>'
        )
    height = HEIGHT * len(labels)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-size="12" role="img">{"".join(rows)}</svg>'
    )
