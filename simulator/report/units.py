"""The one number formatter: every number a person reads is shown by the unit it carries.

Tables store model units (lead times in days, shares as 0-1, money in euro; the ``unit`` column
says which). A person reads weeks, percentages and millions of euro, in Dutch (1.234,5) or
English (1,234.5) digits. ``show`` gives the number alone, ``with_unit`` adds the unit word,
``change`` a signed difference with its interval ("+3 procentpunt (1 tot 6)"), ``header`` the
unit for a column heading. Charts, the console, the dashboard and the brief all call these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MINUS = "\u2212"  # typographic minus sign for text (never in machine tables)


@dataclass(frozen=True)
class Unit:
    """How a stored unit is shown: scale to the shown unit, decimals, and its words."""

    nl: str
    en: str
    scale: float = 1.0
    decimals: int = 0
    percent: bool = False  # shown as "12%"; differences in percentage points
    euro: bool = False  # shown as "€ 8,9 mln"
    shown: str = ""  # the unit a person reads, as it appears in a table's unit column
    one: tuple[str, str] | None = None  # the word after a 1 (nl, en): "1 week", not "1 weken"
    stored: tuple[str, str] | None = None  # (nl, en) the unit of the value as files keep it, if not the shown one

    def word(self, lang: str, text: str = "") -> str:
        """The unit's word; after ``text`` that reads as one (1, +1, −1), its singular."""
        if self.one is not None and _is_one(text):
            return self.one[lang != "nl"]
        return self.nl if lang == "nl" else self.en


def _is_one(text: str) -> bool:
    """Whether a shown number reads as one (1, +1, −1): the word after it is singular."""
    return text.lstrip("+-−") == "1"


# stored unit -> how it is shown (keys are the units of simulator.model.FIGURES and METRICS)
UNITS: dict[str, Unit] = {
    "cases": Unit("zaken", "cases", one=("zaak", "case")),
    "persons": Unit("personen", "persons", one=("persoon", "person")),
    "decisions": Unit("besluiten", "decisions", one=("besluit", "decision")),
    "notices": Unit("ingebrekestellingen", "notices", one=("ingebrekestelling", "notice")),
    "appeals": Unit("beroepen", "appeals", one=("beroep", "appeal")),
    "days": Unit("weken", "weeks", scale=1 / 7, shown="weeks", one=("week", "week"), stored=("dagen", "days")),
    "weeks": Unit("weken", "weeks", one=("week", "week")),
    "months": Unit("maanden", "months", one=("maand", "month")),
    "share": Unit("%", "%", scale=100, percent=True, shown="%", stored=("aandeel (0-1)", "share (0-1)")),
    "euro": Unit("€ mln", "€ million", scale=1e-6, decimals=1, euro=True, shown="EUR million",
                 stored=("euro", "euro")),
    "FTE": Unit("fte", "FTE"),
    "hours": Unit("uren", "hours"),
    "": Unit("", ""),
}


def unit(key: str) -> Unit:
    return UNITS.get(key, UNITS[""])


def number(x: float | None, lang: str = "nl", decimals: int = 0, sign: bool = False) -> str:
    """1234.5 -> '1.234,5' (nl) or '1,234.5' (en); '–' for a missing value; a true minus sign."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if round(x, decimals) == 0:
        x = 0.0  # no "-0"
    s = f"{abs(x):,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if x < 0:
        return MINUS + s
    return ("+" + s) if sign else s


def shown(x: float, key: str) -> float:
    """A stored value in the unit a person reads (days -> weeks, share -> percent, euro -> million)."""
    return x * unit(key).scale


def show(x: float | None, key: str, lang: str = "nl", sign: bool = False) -> str:
    """The number alone, in the shown unit: '78' (weeks), '21%', '8,9' (€ mln), '51.383'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    u = unit(key)
    text = number(x * u.scale, lang, u.decimals, sign)
    return text + "%" if u.percent else text


def with_unit(x: float | None, key: str, lang: str = "nl") -> str:
    """The number with its unit: '78 weken', '21%', '€ 8,9 mln', '51.383 zaken'."""
    u = unit(key)
    if u.euro:
        return f"€ {number(x * u.scale, lang, u.decimals)} {'mln' if lang == 'nl' else 'million'}"
    if u.percent or not u.word(lang):
        return show(x, key, lang)
    text = show(x, key, lang)
    return f"{text} {u.word(lang, text)}"


def header(key: str, lang: str = "nl") -> str:
    """The unit for a column heading or axis: 'weken', '%', '€ mln' ('' for plain counts)."""
    return unit(key).word(lang)


def stored_word(key: str, lang: str = "nl") -> str:
    """The unit of a value as a file keeps it, for a workbook's unit column: shares 0-1 and
    euro stay as stored there, so their words are not the '%' and '€ mln' of the screen (an
    editor read 1873675 as € million)."""
    u = unit(key)
    return u.word(lang) if u.stored is None else u.stored[lang != "nl"]


def difference_word(key: str, lang: str = "nl", text: str = "") -> str:
    """What a difference (shown as ``text``) is counted in: 'procentpunt' for shares, else the unit itself."""
    u = unit(key)
    if u.percent:
        if lang == "nl":
            return "procentpunt"
        return "percentage point" if _is_one(text) else "percentage points"
    return u.word(lang, text)


def interval_text(low: float, high: float, key: str, lang: str = "nl", signed: bool = True) -> str:
    """'(−17.873 tot −16.415)': the bounds of an interval, each with its sign."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return ""
    u = unit(key)
    to = "tot" if lang == "nl" else "to"

    def one(x: float) -> str:
        return number(x * u.scale, lang, u.decimals, sign=signed)

    return f"({one(low)} {to} {one(high)})"


def change(diff: float, key: str, lang: str = "nl", low: float | None = None, high: float | None = None,
           word: bool = True) -> str:
    """A signed difference with its 95% interval: '+3 procentpunt (+1 tot +6)',
    '−17.144 zaken (−17.873 tot −16.415)', '−€ 4,7 mln (−5,8 tot −3,5)'."""
    u = unit(key)
    body = number(diff * u.scale, lang, u.decimals, sign=True)
    if u.euro:
        body = body[0] + "€ " + body[1:] + (" mln" if lang == "nl" else " million") if word else body
    elif word and difference_word(key, lang):
        body += " " + difference_word(key, lang, body)
    bounds = interval_text(low, high, key, lang) if low is not None else ""
    return f"{body} {bounds}".strip()


def percent(x: float, lang: str = "nl", decimals: int = 0, sign: bool = False) -> str:
    """A relative change or share given as a fraction: 0.12 -> '12%'."""
    if x is None or math.isnan(x):
        return "–"
    return number(100 * x, lang, decimals, sign) + "%"


def significant(low: float, high: float) -> bool:
    """Whether an interval lies on one side of zero (the change is more than noise)."""
    return not (math.isnan(low) or math.isnan(high)) and low * high > 0
