"""The smallest parts of every report page: text escaped for HTML, and a table that scrolls
on its own on a narrow screen (:mod:`sim.outputs.report` builds the pages from them)."""

from __future__ import annotations

import html


def esc(text) -> str:
    return html.escape("" if text is None else str(text))


def table_html(header: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(
        f"<td class=\"num\">{esc(c)}</td>" if i in numeric else f"<td>{c}</td>"
        for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (f"<div class=\"wide\"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            "</table></div>")  # a table wider than a phone scrolls on its own
