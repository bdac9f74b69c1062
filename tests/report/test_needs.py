"""The sentences of `indsim requirements` for management: a lever that makes the target's figure
worse says which way it moves (a backlog larger, a share lower), and the value it reached with the
most capacity tried is not called the best. Hand-built search results, so each sentence is exact."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from simulator.experiment import Target
from simulator.experiment.requirements import Evaluation, LeverResult, Requirements
from simulator.experiment.variants import Lever
from simulator.report.needs import lever_sentence, requirement_sentences
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def combined():
    return load_scenario(ROOT / "scenarios" / "combined.yaml")


def _worse(s, target: str, without: float, with_most: float) -> tuple[Requirements, LeverResult]:
    """A decision-officer lever that, at 1,110 FTE more, moves the figure from ``without`` to
    ``with_most`` while the litigation officers bind."""
    none = Evaluation(0, 0.0, without, without, without, "ind_litigation", values=(without,) * 3)
    top = Evaluation(1110, 0.0, with_most, with_most, with_most, "ind_litigation", values=(with_most,) * 3)
    r = LeverResult(Lever.of("ind_decision"), 370, False, top, none, 1110, 9, 80, None, "worse")
    return Requirements(s, Target.parse(target), 0.8, 3, 1, dt.date(2027, 1, 1), none, [r]), r


def test_a_share_that_more_staff_lowers_is_said_to_fall(combined):
    req, r = _worse(combined, "within_term_share.asylum >= 0.5 from 2029", 0.30, 0.24)
    assert requirement_sentences(req, "nl")[0] == ("Doel: Het aandeel asielbesluiten binnen de beslistermijn in elk "
                                                   "jaar vanaf 2029 ten minste 50% (in 80% van de replicaties).")
    assert lever_sentence(req, r, "nl") == (
        "- IND beslismedewerkers: niet haalbaar met deze capaciteit alleen, ook niet met 1.110 fte extra. Let op: "
        "meer IND beslismedewerkers maakt het aandeel asielbesluiten binnen de beslistermijn hier lager "
        "(−6 procentpunt). De reden: IND procesvertegenwoordigers is al volledig bezet; meer zaken die bij hen in "
        "behandeling komen, verdelen hun uren over meer zaken, zodat er minder worden afgerond (meer werk "
        "onderhanden in plaats van meer besluiten). Wie het doel wil halen, moet die capaciteit mee laten groeien. "
        "Met die 1.110 fte extra: het aandeel asielbesluiten binnen de beslistermijn gemiddeld 24% (0% van de "
        "replicaties haalt het doel).")


def test_a_backlog_that_more_staff_grows_is_said_to_grow(combined):
    req, r = _worse(combined, "backlog_end.asylum <= 20000 in 2028", 33000, 36000)
    text = lever_sentence(req, r, "en")
    assert "Note: more IND decision officers makes the asylum backlog larger here (+3,000 cases)." in text
    assert text.endswith("With those 1,110 FTE more: the asylum backlog on average 36,000 cases (0% of "
                         "replications meet the target).")
    assert "Best value" not in text


def test_a_share_that_falls_because_old_cases_are_decided_says_so_with_its_figures(combined):
    req, r = _worse(combined, "within_term_share.asylum >= 0.5 from 2029", 0.30, 0.28)
    none = dataclasses.replace(r.none, late=22214.0, past_term=25052.0)
    top = dataclasses.replace(r.best, late=24208.4, past_term=22399.0)
    r = dataclasses.replace(r, none=none, best=top)
    text = lever_sentence(dataclasses.replace(req, without=none, levers=[r]), r, "nl")
    assert ("maakt het aandeel asielbesluiten binnen de beslistermijn hier lager (−2 procentpunt). De reden: met "
            "die capaciteit gaan in 2029 meer besluiten over zaken die de termijn al over waren (24.208 tegen 22.214 "
            "zonder extra capaciteit); eind 2029 staan er 22.399 zaken over de termijn open, tegen 25.052. Wie eerst "
            "oude zaken afhandelt, drukt het aandeel binnen de termijn.") in text
    assert "minder worden afgerond" not in text  # not the backlog's reason: more cases are decided here


def test_a_target_inside_the_spread_of_the_replications_is_met_by_chance_and_said_so(combined):
    """`indsim requirements scenarios/combined.yaml --target "backlog_end.asylum <= 40000 in 2028" -n 2`
    named 9 FTE of asylum lawyers as needed from others: without extra capacity one of the two
    replications met the target already, and any lever that moved the backlog at all (the lawyers
    by 65 cases) 'met' it."""
    none = Evaluation(0, 0.5, 39323, 23000, 55000, values=(40600.0, 38046.0))
    lawyers = Evaluation(9, 1.0, 39258, 23000, 55000, values=(39990.0, 38526.0))
    staff = Evaluation(300, 1.0, 36323, 20000, 52000, values=(37600.0, 35046.0))
    chance = LeverResult(Lever.of("lawyers"), 90, True, lawyers, none, 270, 0, None, None)
    real = LeverResult(Lever.of("ind_hearing"), 435, True, staff, none, 1305, 9, 100, None)
    req = Requirements(combined, Target.parse("backlog_end.asylum <= 40000 in 2028"), 0.8, 2, 1,
                       dt.date(2027, 1, 1), none, [chance, real])
    assert lever_sentence(req, chance, "nl").endswith(
        "Let op: binnen de toevalsmarge. Zonder extra capaciteit haalt al 50% van de replicaties het doel; deze "
        "capaciteit verandert de werkvoorraad asiel gemiddeld −65 zaken, minder dan de spreiding tussen de "
        "replicaties (1.806 zaken). Of zij nodig is, blijkt pas met meer replicaties (--replications).")
    assert "toevalsmarge" not in lever_sentence(req, real, "nl")  # 3,000 cases: beyond the spread
    assert ("- Van Asieladvocaten: 9 fte extra haalt het doel, maar binnen de toevalsmarge (zie boven): niet als "
            "behoefte te lezen.") in requirement_sentences(req, "nl")


def test_staff_the_hiring_cap_holds_back_are_called_a_target_not_staff_at_work(combined):
    """The Randvoorwaarden page said 'not even with 2,415 FTE more ... hiring brings at most 225 FTE
    by 2028. With those 2,415 FTE more: ...': a manager could not tell which was modelled."""
    none = Evaluation(0, 0.0, 33000, 33000, 33000, values=(33000.0,) * 3)
    top = Evaluation(2415, 0.0, 32821, 32821, 32821, values=(32821.0,) * 3)
    r = LeverResult(Lever.of("ind_hearing"), 435, False, top, none, 2415, 9, 180, 225, "hiring_cap")
    req = Requirements(combined, Target.parse("backlog_end.asylum <= 20000 in 2028"), 0.8, 3, 1,
                       dt.date(2027, 1, 1), none, [r])
    assert lever_sentence(req, r, "nl") == (
        "- IND hoormedewerkers: niet haalbaar met deze capaciteit alleen, ook niet met een wervingsdoel van 2.415 "
        "fte extra. Wat het begrenst: de werving (ten hoogste 180 per jaar) brengt tot 2028 hooguit 225 fte extra. "
        "Met dat doel: de werkvoorraad asiel gemiddeld 32.821 zaken (0% van de replicaties haalt het doel).")
