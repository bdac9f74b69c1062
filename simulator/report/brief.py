"""The scenario brief, in the order of the IND's Stand van de Uitvoering: key messages, a table of
main figures with units and changes with intervals, the charts, the binding capacity, the changed
assumptions in words with their sources, and method, validation and provenance.

The content is built once as a list of blocks and written twice: as self-contained HTML and, set
with Typst (bundled fonts, offline), as PDF. Dutch by default, English with ``lang="en"``.
"""

from __future__ import annotations

import datetime as dt
import html
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import __version__
from ..experiment import Results
from ..model import FIGURES
from .caveats import over_years
from .chartspec import scenario_title
from .explain import latest_explanation
from .i18n import capital, day, name, t
from .parameters import assumption_words, path_words
from .sentences import messages_and_years
from .summary import COMPARE_ROWS, cell, difference_frame, row_label
from .units import percent, show


@dataclass
class Block:
    """One piece of the brief: a heading, paragraph, list, table or chart."""

    kind: str  # "title", "heading", "subheading", "text", "small", "list", "table", "chart"
    text: str = ""
    items: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    svg: bytes = b""
    text_table: bool = False  # every column is text (left-aligned, wider columns for long words)


def pool_rows(results: Results, scenario: str, year: int, lang: str = "nl") -> tuple[list[list[str]], str]:
    """Per pool: utilisation in ``year`` and its line at the end; and the sentence naming the pool
    that binds (:mod:`simulator.experiment.binding`)."""
    from ..experiment.binding import binding_pools, pool_table

    s = results.scenarios[scenario]
    table = pool_table(results.yearly)
    table = table[(table.scenario == scenario) & (table.year == year)].sort_values("utilisation", ascending=False)
    rows = [[name([s], "pools", r.pool, lang), percent(r.utilisation, lang), show(r.queue_end, "cases", lang)]
            for r in table.itertuples()]
    bound = binding_pools(results.yearly)
    bound = bound[(bound.scenario == scenario) & (bound.year == year)]
    if len(bound) and bool(bound.saturated.iloc[0]):
        r = bound.iloc[0]
        text = t("binding_pool", lang, pool=name([s], "pools", r.pool, lang), util=percent(r.utilisation, lang),
                 year=year, queue=show(r.queue_end, "cases", lang), growth=show(r.queue_growth, "cases", lang,
                                                                                 sign=True))
        longer = table[table.saturated & (table.pool != r.pool) & (table.queue_end > r.queue_end)]
        if len(longer):  # a longer line that grew less (or shrank) is not the limit: say so, or it looks like one
            o = longer.sort_values("queue_end").iloc[-1]
            text += " " + t("binding_longer_shrank" if o.queue_growth <= 0 else "binding_longer_grew", lang,
                            pool=name([s], "pools", o.pool, lang), queue=show(o.queue_end, "cases", lang), year=year,
                            growth=show(o.queue_growth, "cases", lang, sign=True))
    else:
        text = t("binding_none", lang, year=year)
    return rows, text


def _main_table(results: Results, base: str, lang: str, year: int) -> Block:
    from ..experiment import paired_differences

    if len(results.names) > 1:
        frame = difference_frame(paired_differences(results, base), lang, year)
        header = [capital(t("figure", lang)), *[_head(results, c, lang) for c in frame.columns[1:]]]
        return Block("table", header=header, rows=frame.values.tolist(),
                     text=t("main_figures_note", lang, n=results.replications))
    from .export import figures_table

    figs = figures_table(results, people=False)
    years = sorted(int(y) for y in figs.year.unique())
    rows = []
    for figure, cat in COMPARE_ROWS:
        sel = figs[(figs.figure == figure) & (figs.category == cat)].set_index("year")
        if sel.empty or (cat == "other" and not sel["mean"].abs().gt(0.5).any()):
            continue
        rows.append([capital(row_label(figure, cat, lang)),
                     *[cell(sel.loc[y], FIGURES[figure][0], lang) if y in sel.index else "" for y in years]])
    return Block("table", header=[capital(t("figure", lang)), *map(str, years)], rows=rows,
                 text=t("main_figures_note_one", lang, n=results.replications))


def _head(results: Results, column: str, lang: str) -> str:
    """A column of the comparison: the scenario's title, or 'verschil (95%-interval)'."""
    scenario, _, rest = column.partition(": ")
    return capital(rest) if rest else scenario_title(results, scenario, lang)


def blocks(results: Results, charts: dict[str, bytes], logs: dict[str, pd.DataFrame], base: str, lang: str = "nl",
           validation: dict[str, pd.DataFrame] | None = None, extra: list[Block] | None = None,
           year: int | None = None) -> list[Block]:
    """The brief's content in the Stand van de Uitvoering's order (``charts``: SVG per chart;
    ``extra``: further sections, such as an exploration, placed before the method; ``year``: of
    the table against the base, the binding capacity and its caveats, default the last)."""
    last = int(results.yearly.year.max()) if year is None else year
    others = [n for n in results.names if n != base] or [base]
    out = [Block("title", t("brief", lang) + ": " + " — ".join(scenario_title(results, n, lang) for n in others))]
    if len(results.names) > 1:
        out.append(Block("small", capital(t("col_base_name", lang)) + ": " + scenario_title(results, base, lang)))
    out.append(Block("heading", t("key_messages", lang)))
    named = {last}  # the table's year and every year a key message names
    for n in others:
        if len(others) > 1:
            out.append(Block("subheading", scenario_title(results, n, lang)))
        messages, years = messages_and_years(results, n, base, lang)
        out.append(Block("list", items=messages))
        named |= years
    among = named if len(results.names) > 1 else None  # alone, the brief's table shows every year
    caveats = [text for n in results.names if (text := over_years(results, n, lang, among))]
    if caveats and len(results.names) > 1:  # key messages against a base skip such years (sentences.key_messages)
        caveats[-1] += " " + t("caveat_key_messages", lang)
    out += [Block("text", text) for text in caveats]
    out.append(Block("heading", t("main_figures", lang, year=last if len(results.names) > 1 else "").strip()))
    out.append(_main_table(results, base, lang, last))
    out.append(Block("heading", t("charts", lang)))
    out += [Block("chart", svg=svg) for svg in charts.values()]
    out.append(Block("heading", t("binding", lang)))
    for n in others:
        rows, text = pool_rows(results, n, last, lang)
        if len(others) > 1:
            out.append(Block("subheading", scenario_title(results, n, lang)))
        out += [Block("text", text), Block("table", header=[t("col_pool", lang), f"{t('col_utilisation', lang)} "
                                                            f"{last}", t("col_queue", lang)], rows=rows)]
        surprise = latest_explanation(results, n, base, last, lang) if n != base else ""
        out += [Block("text", surprise)] if surprise else []
    out.append(Block("heading", t("assumptions", lang)))
    scenarios = list(results.scenarios.values())
    for n, log in logs.items():
        if n == base:
            out.append(Block("text", _sourced(log, scenario_title(results, n, lang), scenarios, lang)))
            continue
        s = results.scenarios[n]
        labels = {k: iv.label.text(lang) for k, iv in s.interventions.items()}
        words = assumption_words(log, scenarios, labels, lang)
        out.append(Block("subheading", scenario_title(results, n, lang)))
        if not words.empty:
            out.append(Block("table", header=[capital(h) for h in words.columns],
                             rows=words.astype(str).values.tolist(), text_table=True))
    out += extra or []
    out.append(Block("heading", t("method", lang)))
    out.append(Block("text", t("method_text", lang)))
    out.append(Block("text", validation_sentence(validation, lang)))
    m = results.manifest()
    hashes = "; ".join(f"{n} {v['hash']}" for n, v in m["scenarios"].items())
    out.append(Block("small", t("provenance", lang, version=m["version"], n=m["replications"], seed=m["seed"],
                                created=day(dt.date.fromisoformat(m["created"][:10]), lang), hashes=hashes)))
    return out


def _sourced(log: pd.DataFrame, title: str, scenarios: list, lang: str) -> str:
    """How many of the base's parameters name a source, counted from its log (the brief said
    'each with its source' while the model's own defaults, such as a productivity of 1, name none)."""
    missing = log[log.source.fillna("") == ""]
    if missing.empty:
        return t("assumptions_base", lang, name=title, n=len(log))
    first = missing.iloc[0]
    return t("assumptions_base_some", lang, name=title, n=len(log), sourced=len(log) - len(missing),
             missing=len(missing), example=f"‘{path_words(scenarios, first.parameter, lang)}’ "
                                           f"({first.scenario or first.baseline})")


def validation_sentence(validation: dict[str, pd.DataFrame] | None, lang: str) -> str:
    if not validation or "verification" not in validation or "backtest" not in validation:
        return t("validation_skipped", lang)
    from ..experiment.backtest import TOLERANCE, held_back

    v = validation["verification"]
    good, held = held_back(validation["backtest"])
    return t("validation_summary", lang, inside=int(v.inside.sum()), total=len(v), good=good, held=held,
             tolerance=f"{TOLERANCE:.0%}")


# ------------------------------------------------------------------ HTML
def to_html(content: list[Block], lang: str = "nl") -> str:
    """One self-contained HTML document (charts as inline SVG)."""
    e = html.escape
    title = next((b.text for b in content if b.kind == "title"), t("brief", lang))
    parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{e(title)}</title>",
             "<style>body{font-family:DejaVu Sans,Arial,sans-serif;max-width:60em;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}"
             "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right;vertical-align:top}"
             "td:first-child,th:first-child{text-align:left}"
             ".words td,.words th{text-align:left}.src{font-size:0.8em;color:#555}"
             "svg{max-width:100%;height:auto}</style></head><body>"]
    for b in content:
        if b.kind == "title":
            parts.append(f"<h1>{e(b.text)}</h1>")
        elif b.kind == "heading":
            parts.append(f"<h2>{e(b.text)}</h2>")
        elif b.kind == "subheading":
            parts.append(f"<h3>{e(b.text)}</h3>")
        elif b.kind == "text":
            parts.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "small":
            parts.append(f"<p class='src'>{e(b.text)}</p>")
        elif b.kind == "list":
            parts.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in b.items) + "</ul>")
        elif b.kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in b.header)
            body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in b.rows)
            style = " class='words'" if b.text_table else ""
            parts.append(f"<table{style}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            if b.text:
                parts.append(f"<p class='src'>{e(b.text)}</p>")
        elif b.kind == "chart":
            svg = b.svg.decode()
            parts.append(svg[svg.index("<svg"):])
    parts.append("</body></html>")
    return "\n".join(parts)


# ------------------------------------------------------------------ Typst / PDF
def _s(text: str) -> str:
    """A Typst string literal (text is never read as markup, so it cannot run anything)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


SHORT = 16  # characters: a column whose every cell is this short may take its content's width


def _word_columns(b: Block) -> str:
    """Typst column widths of a table of words. Typst gives an ``auto`` column its widest cell, so a
    column with one long cell starved the others to a few pixels (the assumptions ran over 30
    pages): only columns of short cells are ``auto``; the rest share the page by the length of their
    typical cell, each between 1 and 2 parts."""
    widths = []
    for i, head in enumerate(b.header):
        cells = sorted(len(str(r[i])) for r in b.rows) or [0]
        if max(len(head), cells[-1]) <= SHORT:
            widths.append("auto")
        else:
            widths.append(f"{min(2.0, max(1.0, cells[len(cells) // 2] / 40)):.1f}fr")
    return "(" + ", ".join(widths) + ")"


def to_typst(content: list[Block], lang: str, metadata: dict[str, str]) -> tuple[str, dict[str, bytes]]:
    """The Typst source of the brief and the chart files it includes."""
    files: dict[str, bytes] = {}
    title = next((b.text for b in content if b.kind == "title"), t("brief", lang))
    src = [f"#set document(title: {_s(title)}, author: {_s('indsim ' + __version__)}, "
           f"keywords: ({_s(metadata.get('Description', ''))},))",
           f'#set text(lang: "{lang}", font: "Libertinus Serif", size: 10pt)',
           '#set page(paper: "a4", margin: (x: 2cm, y: 2cm), numbering: "1")',
           "#set par(justify: false)",
           "#set table(stroke: 0.4pt + luma(180), inset: 4pt)",
           "#show table: set text(size: 8pt)",
           "#set heading(numbering: none)"]
    for b in content:
        if b.kind == "title":
            src.append(f"#text(size: 16pt, weight: \"bold\", {_s(b.text)})\n")
        elif b.kind == "heading":
            src.append(f"#heading(level: 1, {_s(b.text)})")
        elif b.kind == "subheading":
            src.append(f"#heading(level: 2, {_s(b.text)})")
        elif b.kind == "text":
            src.append(f"#par({_s(b.text)})\n")
        elif b.kind == "small":
            src.append(f"#text(size: 8pt, fill: luma(90), {_s(b.text)})\n")
        elif b.kind == "list":
            src.append("#list(" + ", ".join(_s(x) for x in b.items) + ")")
        elif b.kind == "table":
            n = len(b.header)
            if b.text_table:
                columns, align = _word_columns(b), "left"
            else:
                columns = f"(2fr, {', '.join(['1fr'] * (n - 1))})" if n > 1 else "1"
                align = "(" + ", ".join(["left"] + ["right"] * (n - 1)) + ")" if n > 1 else "left"
            cells = [f"table.header({', '.join(f'strong({_s(h)})' for h in b.header)})"]
            cells += [_s(c) for r in b.rows for c in r]
            table = f"table(columns: {columns}, align: {align}, " + ", ".join(cells) + ")"
            # words longer than a narrow column (a scenario's title, "Asielnoodmaatregelenwet") break at
            # a syllable instead of running into the next column
            src.append(f"#{{set text(hyphenate: true); {table}}}")
            if b.text:
                src.append(f"#text(size: 8pt, fill: luma(90), {_s(b.text)})\n")
        elif b.kind == "chart":
            fname = f"chart{len(files)}.svg"
            files[fname] = b.svg
            src.append(f'#align(center, image("{fname}", width: 90%))')
    return "\n".join(src) + "\n", files


def to_pdf(content: list[Block], lang: str, metadata: dict[str, str]) -> bytes:
    """The brief as PDF, set by Typst with its bundled fonts (no system fonts, no network)."""
    import typst

    source, files = to_typst(content, lang, metadata)
    with tempfile.TemporaryDirectory(prefix="indsim-brief-") as tmp:
        root = Path(tmp)
        for fname, data in files.items():
            (root / fname).write_bytes(data)
        (root / "brief.typ").write_text(source, encoding="utf-8")
        return typst.compile(str(root / "brief.typ"), root=str(root), ignore_system_fonts=True)
