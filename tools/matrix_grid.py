"""The case x implementation grid: one row per case, one coloured cell per implementation.

The topic view counts; the grid shows which case behaves differently where. Rows are
grouped by topic, each group headed by its per-implementation counts (styled like the topic
view: bad, mostly skipped, good); every cell's title gives what was observed. Like the rest
of the matrix the grid depends only on the results; the header (with the run date) is
passed in and kept above it. The clients' runs (the client rows) get a table of their own
below the servers'.
"""

from __future__ import annotations

from html import escape

from tools.matrix_header import Header
from tools.matrix_results import (
    CLIENT,
    MOSTLY_SKIPPED,
    RAN,
    RESULTS,
    SERVER,
    TOTAL,
    CaseResult,
    Run,
    by_role,
    mostly_skipped,
    verdict_class,
)

NOT_RUN = "not-run"
GRADES = (*RESULTS, NOT_RUN)
LABELS = {"strict": "S", "conceptual": "C", "failed": "F", "skipped": "-",
          "known-deviation": "D", NOT_RUN: "."}
NAMES = {"strict": "strict", "conceptual": "conceptual", "failed": "failed",
         "skipped": "skipped", "known-deviation": "known deviation", NOT_RUN: "not run"}

LEGEND_TEXT = "strict / conceptual / failed / skipped / known deviation"

Grid = dict[str, dict[str, dict[str, str]]]  # topic -> case -> implementation -> grade


def grid(runs: list[Run]) -> Grid:
    """Every case any implementation ran, with each implementation's grade (or not-run)."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for run in runs:
        for case in run.cases:
            found.setdefault((case.topic, case.case), {})[run.implementation] = case.result
    table: Grid = {}
    for topic, case in sorted(found):
        table.setdefault(topic, {})[case] = {
            run.implementation: found[(topic, case)].get(run.implementation, NOT_RUN)
            for run in runs}
    return table


def tooltip(implementation: str, case: CaseResult | None, run: Run) -> str:
    """What the cell stands for, in words: the grade, what was observed, what was expected."""
    if case is None:
        why = (run.detail or run.status) if run.status != RAN else "case not collected"
        return f"{implementation}: not run ({why})"
    lines = [f"{implementation}: {NAMES[case.result]}"
             + (f" (grade {case.grade})" if case.grade and case.grade != case.result else "")]
    if case.observed:
        lines.append(f"observed: {case.observed}")
    if case.expected and case.result != "strict":
        lines.append(f"expected: {case.expected}")
    if case.message and (case.result != "strict") and not case.observed:
        lines.append(case.message)
    return "\n".join(lines)


STYLE = """
body { font-family: sans-serif; margin: 1.5em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.15em 0.4em; text-align: left; }
table.grid td.g { text-align: center; font-family: monospace; min-width: 2.2em; }
table.grid thead th { position: sticky; top: 0; background: #fff; }
table.grid tr.topic th, table.grid tr.topic td { background: #eef; font-weight: bold; }
.g-strict { background: #b9e4b9; } .g-conceptual { background: #ffd48a; }
.g-failed { background: #f28b82; font-weight: bold; } .g-skipped { background: #e6e6e6; }
.g-known-deviation { background: #c5b8f0; } .g-not-run { background: #fff; color: #999; }
td.good { background: #dfd; } td.bad { background: #fdd; } td.na { color: #888; }
.mostly-skipped { background: repeating-linear-gradient(45deg, #eee, #eee 4px,
  #fff7cc 4px, #fff7cc 8px); }
span.key { display: inline-block; padding: 0 0.5em; margin-right: 0.4em;
  border: 1px solid #bbb; font-family: monospace; }
"""


def legend() -> str:
    keys = "".join(f'<span class="key g-{grade}">{LABELS[grade]}</span>{NAMES[grade]} '
                   for grade in GRADES)
    return (f"<p>{keys}<span class=\"key {MOSTLY_SKIPPED}\">&nbsp;</span>mostly skipped "
            "(fewer cases ran than skipped). Hover a cell for what was observed.</p>\n")


def _column_head(run: Run) -> str:
    counts = run.counts()[TOTAL]
    css = f' class="{MOSTLY_SKIPPED}"' if run.status == RAN and mostly_skipped(counts) else ""
    title = run.status if run.status != RAN else " / ".join(
        f"{counts[result]} {result}" for result in RESULTS)
    return f'<th{css} title="{escape(title)}">{escape(run.implementation)}</th>'


def _topic_row(topic: str, cases: int, runs: list[Run], role: str = SERVER) -> str:
    cells = []
    for run in runs:
        counts = run.counts().get(topic)
        if run.status != RAN or counts is None:
            cells.append('<td class="na">-</td>')
            continue
        text = " / ".join(str(counts[result]) for result in RESULTS)
        cells.append(f'<td class="{verdict_class(counts)}" title="{escape(LEGEND_TEXT)}">'
                     f"{text}</td>")
    prefix = "grid-client--" if role == CLIENT else "grid--"
    return (f'<tr class="topic" id="{prefix}{escape(topic)}"><th>{escape(topic)} '
            f"({cases} case{'' if cases == 1 else 's'})</th>{''.join(cells)}</tr>")


def grid_html(runs: list[Run], header: Header | None = None) -> str:
    """The grid as one self-contained page (inline CSS, no script, no outside resource)."""
    servers, clients = by_role(runs, SERVER), by_role(runs, CLIENT)
    tables = [_grid_table(servers, "case")] if servers or not clients else []
    if clients:
        tables.append("<h2>TLS clients: case x client</h2>\n" + _grid_table(clients, "client row"))
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>TLS conformance grid</title><style>{STYLE}</style></head><body>\n"
        "<h1>TLS conformance grid: case x implementation</h1>\n"
        + (header.html() if header else "")
        + legend()
        + "<p>Counts per topic: matrix.html. Every case as data: matrix.json.</p>\n"
        + "".join(tables) + "</body></html>\n"
    )


def _grid_table(runs: list[Run], first: str) -> str:
    table = grid(runs)
    by_case = {run.implementation: {case.case: case for case in run.cases} for run in runs}
    heads = "".join(_column_head(run) for run in runs)
    role = runs[0].role if runs else SERVER
    body = []
    for topic, cases in table.items():
        body.append(_topic_row(topic, len(cases), runs, role))
        for name, grades in cases.items():
            cells = []
            for run in runs:
                grade = grades[run.implementation]
                title = tooltip(run.implementation, by_case[run.implementation].get(name), run)
                cells.append(f'<td class="g g-{grade}" title="{escape(title)}">'
                             f"{LABELS[grade]}</td>")
            body.append(f"<tr><td>{escape(name)}</td>{''.join(cells)}</tr>")
    return (f'<table class="grid"><thead><tr><th>{first}</th>{heads}</tr></thead>\n<tbody>\n'
            + "\n".join(body) + "\n</tbody></table>\n")
