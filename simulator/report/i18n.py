"""Words users see, in Dutch (default) and English, and Dutch number and date formats.

One table for the command line, the charts and the dashboard, so that a term is translated once.
"""

from __future__ import annotations

import datetime as dt
import math

LANGS = ("nl", "en")

_TEXT: dict[str, tuple[str, str]] = {
    # categories
    "asylum": ("asiel", "asylum"),
    "nareis": ("nareis", "family reunification"),
    "other": ("overig", "other"),
    # yearly figures
    "backlog_end": ("werkvoorraad eind jaar", "backlog at year end"),
    "past_term_end": ("over de beslistermijn eind jaar", "past the legal term at year end"),
    "reception_end": ("in de opvang eind jaar", "in reception at year end"),
    "inflow": ("instroom", "inflow"),
    "first_decisions": ("eerste besluiten", "first decisions"),
    "lead_time_p50": ("doorlooptijd (mediaan)", "lead time (median)"),
    "lead_time_p90": ("doorlooptijd (90e percentiel)", "lead time (90th percentile)"),
    "lead_time_mean": ("doorlooptijd (gemiddeld)", "lead time (mean)"),
    "within_term_share": ("binnen de beslistermijn", "within the legal term"),
    "court_inflow": ("instroom rechtspraak", "appeals lodged"),
    "notices": ("ingebrekestellingen", "notices of default"),
    "nontimely_appeals": ("beroepen niet tijdig beslissen", "appeals for not deciding in time"),
    "penalty_eur": ("dwangsommen", "penalty payments"),
    "backlog_asylum": ("werkvoorraad asiel", "asylum backlog"),
    "backlog_nareis": ("werkvoorraad nareis", "family reunification backlog"),
    # monthly metrics
    "backlog": ("werkvoorraad", "backlog"),
    "stock": ("voorraad per fase", "stock per stage"),
    "past_term": ("over de beslistermijn", "past the legal term"),
    "reception": ("in de opvang", "in reception"),
    "decisions": ("besluiten", "decisions"),
    "exits": ("uitstroom", "exits"),
    "fte": ("productieve fte", "productive FTE"),
    "trainees": ("fte in opleiding", "FTE in training"),
    "hours_available": ("beschikbare uren", "hours available"),
    "hours_used": ("bestede uren", "hours used"),
    "utilisation": ("bezetting", "utilisation"),
    "queue": ("wachtrij", "queue"),
    # chart words
    "date": ("datum", "date"),
    "cases": ("zaken", "cases"),
    "weeks": ("weken", "weeks"),
    "share": ("aandeel", "share"),
    "euro_month": ("euro per maand", "euro per month"),
    "per_month": ("per maand", "per month"),
    "band": ("80%-band over replicaties", "80% band over replications"),
    "chart_backlog": ("Werkvoorraad asiel en nareis", "Backlog: asylum and family reunification"),
    "chart_lead_time": ("Doorlooptijd tot eerste besluit (mediaan)", "Lead time to first decision (median)"),
    "chart_within_term": ("Besluiten binnen de wettelijke termijn", "Decisions within the legal term"),
    "chart_utilisation": ("Bezetting van de IND-capaciteit", "Utilisation of IND capacity"),
    "chart_penalties": ("Dwangsommen", "Penalty payments"),
    "chart_court": ("Instroom bij de rechtspraak", "Appeals lodged with the courts"),
    "source_line": ("Bron: IND-simulatiemodel indsim {version}; scenario {scenario}; "
                    "{replications} replicaties; seed {seed}; gemaakt {created}",
                    "Source: IND simulation model indsim {version}; scenario {scenario}; "
                    "{replications} replications; seed {seed}; created {created}"),
}

_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def t(key: str, lang: str = "nl", **fmt) -> str:
    """The text for ``key`` in ``lang`` (the key itself when there is no translation)."""
    pair = _TEXT.get(key)
    text = key if pair is None else pair[0 if lang == "nl" else 1]
    return text.format(**fmt) if fmt else text


def number(x: float, lang: str = "nl", decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (nl) or '1,234.5' (en)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def percent(x: float, lang: str = "nl", decimals: int = 0) -> str:
    return "–" if x is None or math.isnan(x) else f"{number(100 * x, lang, decimals)}%"


def month(d: dt.date, lang: str = "nl") -> str:
    """A month as 'jan 2027' (nl) or 'Jan 2027' (en)."""
    return f"{_MONTHS[lang][d.month - 1]} {d.year}"
