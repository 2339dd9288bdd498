"""The matrix as Markdown (counts), HTML (counts linking to every case) and JSON (every case).

Below their header all three depend only on the results, never on the clock or on
durations, so two runs with the same behaviour differ in the header's run date alone and a
diff shows exactly what changed. A row or cell where fewer cases ran than skipped is styled
"mostly skipped", never ok: it proves little about the implementation.

Servers and clients get a table each: the client rows (``suites/clients``) have topics of
their own, and a client and a server may share a name (``openssl``: s_client and s_server).
"""

from __future__ import annotations

import json
from html import escape

from tools.matrix_grid import grid
from tools.matrix_header import Header
from tools.matrix_results import (
    CLIENT,
    RAN,
    RESULTS,
    SERVER,
    TOTAL,
    Run,
    by_role,
    mostly_skipped,
    verdict_class,
)

LEGEND = "strict / conceptual / failed / skipped / known deviation"
CLIENTS_TITLE = "TLS clients"
CLIENTS_INTRO = ("The client rows (suites/clients): the suite is the server, each client "
                 "connects to it (--client NAME) with its own deviations file.")


def topics(runs: list[Run]) -> list[str]:
    return sorted({case.topic for run in runs for case in run.cases})


def cell_text(counts: dict[str, int] | None) -> str:
    if counts is None:
        return "-"
    return " / ".join(str(counts[result]) for result in RESULTS)


def marked_cell_text(counts: dict[str, int] | None) -> str:
    """Markdown has no colour: a mostly skipped cell says so in words."""
    text = cell_text(counts)
    return f"{text} (mostly skipped)" if counts and mostly_skipped(counts) else text


def status_text(run: Run) -> str:
    if run.status == RAN:
        said = ["unexpected failures"] if run.unexpected else []
        if mostly_skipped(run.counts()[TOTAL]):
            said.append("mostly skipped")
        return "; ".join(said) or "ok"
    return f"{run.status}: {run.detail}" if run.detail else run.status


def status_class(run: Run) -> str:
    if run.status != RAN:
        return "na"
    return verdict_class(run.counts()[TOTAL]) if not run.unexpected else "bad"


def markdown(runs: list[Run], header: Header | None = None) -> str:
    lines = ["# TLS conformance matrix", ""]
    if header:
        lines += [f"- {line}" for line in header.lines()] + [""]
    lines += [
        f"Each cell: {LEGEND} (cases). Per-case details: matrix.html, matrix-grid.html, "
        "matrix.json.",
        "",
    ]
    servers, clients = by_role(runs, SERVER), by_role(runs, CLIENT)
    if servers or not clients:
        lines += _markdown_table(servers, "implementation")
    if clients:
        lines += ["", f"## {CLIENTS_TITLE}", "", CLIENTS_INTRO, ""][0 if servers else 1:]
        lines += _markdown_table(clients, "client")
    return "\n".join(lines) + "\n"


def _markdown_table(runs: list[Run], first: str) -> list[str]:
    columns = topics(runs)
    lines = [
        f"| {first} | " + " | ".join(columns) + " | total | status |",
        "|---" * (len(columns) + 3) + "|",
    ]
    for run in runs:
        counts = run.counts()
        if run.status == RAN:
            cells = [marked_cell_text(counts.get(topic)) for topic in columns]
            cells.append(marked_cell_text(counts[TOTAL]))
        else:
            cells = [run.status] * (len(columns) + 1)
        lines.append(f"| {run.implementation} | " + " | ".join(cells)
                     + f" | {status_text(run)} |")
    return lines


def as_json(runs: list[Run], header: Header | None = None) -> str:
    """Every case; ``grid`` is topic -> case -> implementation -> result (or not-run); the
    clients' runs have the same under ``clients``, ``client_topics`` and ``client_grid``."""
    servers, clients = by_role(runs, SERVER), by_role(runs, CLIENT)
    data: dict[str, object] = {
        "results": list(RESULTS),
        "topics": topics(servers),
        "grid": grid(servers),
        "implementations": _json_runs(servers),
        "client_topics": topics(clients),
        "client_grid": grid(clients),
        "clients": _json_runs(clients),
    }
    if header:
        data["header"] = header.as_json()
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _json_runs(runs: list[Run]) -> dict[str, object]:
    return {
        run.implementation: {
            "status": run.status,
            "detail": run.detail,
            "counts": run.counts() if run.status == RAN else {},
            "cases": {case.case: case.as_json() for case in run.cases},
        }
        for run in runs
    }


STYLE = """
body { font-family: sans-serif; margin: 1.5em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
td.bad { background: #fdd; } td.good { background: #dfd; } td.na { color: #888; }
td.mostly-skipped { background: repeating-linear-gradient(45deg, #eee, #eee 4px,
  #fff7cc 4px, #fff7cc 8px); }
tr.strict td:nth-child(2) { color: #060; }
tr.failed td:nth-child(2), tr.conceptual td:nth-child(2) { color: #a00; font-weight: bold; }
"""


def anchor(implementation: str, topic: str, role: str = SERVER) -> str:
    prefix = "client-" if role == CLIENT else ""
    return f"{prefix}{implementation}--{topic}"


def html(runs: list[Run], header: Header | None = None) -> str:
    servers, clients = by_role(runs, SERVER), by_role(runs, CLIENT)
    tables = [_html_table(servers, "implementation")] if servers or not clients else []
    if clients:
        tables.append(f"<h2>{CLIENTS_TITLE}</h2>\n<p>{escape(CLIENTS_INTRO)}</p>\n"
                      + _html_table(clients, "client"))
    details = [_details(run, topic) for run in [*servers, *clients] if run.status == RAN
               for topic in topics([run])]
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>TLS conformance matrix</title><style>{STYLE}</style></head><body>\n"
        "<h1>TLS conformance matrix</h1>\n"
        + (header.html() if header else "")
        + f"<p>Each cell: {LEGEND}; follow it for every case, expected against observed. "
        "Striped: mostly skipped (fewer cases ran than skipped). "
        'Case by case: <a href="matrix-grid.html">matrix-grid.html</a>.</p>\n'
        + "".join(tables) + "\n".join(details) + "\n</body></html>\n"
    )


def _html_table(runs: list[Run], first: str) -> str:
    columns = topics(runs)
    head = "".join(f"<th>{escape(topic)}</th>" for topic in [*columns, TOTAL])
    rows = []
    for run in runs:
        counts = run.counts()
        cells = [_cell(run, topic, counts.get(topic)) for topic in [*columns, TOTAL]]
        rows.append(f"<tr><th>{escape(run.implementation)}</th>{''.join(cells)}"
                    f'<td class="{status_class(run)}">{escape(status_text(run))}</td></tr>')
    return (f"<table><tr><th>{first}</th>{head}<th>status</th></tr>\n"
            + "\n".join(rows) + "\n</table>\n")


def _cell(run: Run, topic: str, counts: dict[str, int] | None) -> str:
    if run.status != RAN:
        return f'<td class="na">{escape(run.status)}</td>'
    if counts is None:
        return '<td class="na">-</td>'
    css = verdict_class(counts)
    if topic == TOTAL:
        return f'<td class="{css}">{cell_text(counts)}</td>'
    target = escape(anchor(run.implementation, topic, run.role))
    return f'<td class="{css}"><a href="#{target}">{cell_text(counts)}</a></td>'


def _details(run: Run, topic: str) -> str:
    rows = []
    for case in run.cases:
        if case.topic != topic:
            continue
        note = "" if case.result == "strict" else case.message
        rows.append(
            f'<tr class="{escape(case.result)}"><td>{escape(case.case)}</td>'
            f"<td>{escape(case.result)}</td><td>{escape(case.grade)}</td>"
            f"<td>{escape(case.expected)}</td><td>{escape(case.observed)}</td>"
            f"<td>{escape(case.rfc)}</td><td>{escape(note)}</td></tr>")
    return (
        f'<section id="{escape(anchor(run.implementation, topic, run.role))}">'
        f"<h2>{'client ' if run.role == CLIENT else ''}{escape(run.implementation)}: "
        f"{escape(topic)}</h2>\n"
        "<table><tr><th>case</th><th>result</th><th>grade</th><th>expected</th>"
        "<th>observed</th><th>RFC</th><th>note</th></tr>\n"
        + "\n".join(rows) + "\n</table></section>"
    )
