"""Tables as plain HTML: every cell is text (a name can never turn into a link or an image),
the first column can head its row, and a wide table scrolls in a region the keyboard can reach."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import streamlit as st


def table(
    columns: Mapping[str, Sequence[str]],
    caption: str,
    *,
    row_headers: bool = True,
    limit: int | None = None,
) -> None:
    """Show `columns` (heading -> cells) as a table named by `caption`.

    With `row_headers`, the first column's cells head their rows. With `limit`, only the first
    rows are shown and the caption says how many there are.
    """
    names = list(columns)
    rows = list(zip(*(columns[n] for n in names), strict=True)) if names else []
    shown = rows if limit is None else rows[:limit]
    more = f" (first {len(shown)} of {len(rows)})" if len(shown) < len(rows) else ""
    head = "".join(f'<th scope="col">{html.escape(n)}</th>' for n in names)
    body = []
    for row in shown:
        cells = []
        for index, cell in enumerate(row):
            text = html.escape(str(cell))
            if index == 0 and row_headers:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    label = html.escape(caption + more)
    st.html(
        f'<div class="sns-table" role="region" aria-label="{label}" tabindex="0">'
        f"<table><caption>{label}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
