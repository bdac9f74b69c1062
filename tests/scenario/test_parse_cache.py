"""Parsed files are kept for the next load: a caller's changes must not reach the next one, an
edited file must be read as edited, and the cache must stay bounded."""

from __future__ import annotations

from simulator.scenario import yamlsource
from simulator.scenario.yamlsource import parse_text

TEXT = "name: a\nstreams:\n  x: {monthly_volume: 10}\nlist: [1, 2]\n"


def test_each_caller_gets_its_own_copy():
    data, origins = parse_text(TEXT, "a.yaml")
    data["streams"]["x"]["monthly_volume"] = 99
    data["list"].append(3)
    origins.clear()
    again, origins_again = parse_text(TEXT, "a.yaml")
    assert again == {"name": "a", "streams": {"x": {"monthly_volume": 10}}, "list": [1, 2]}
    assert origins_again


def test_an_edited_file_is_parsed_again():
    parse_text(TEXT, "a.yaml")
    edited, _ = parse_text(TEXT.replace("10", "20"), "a.yaml")
    assert edited["streams"]["x"]["monthly_volume"] == 20


def test_the_cache_is_bounded():
    for k in range(3 * yamlsource._KEEP_PARSED):
        parse_text(f"name: n{k}\n", f"n{k}.yaml")
    assert len(yamlsource._PARSED) == yamlsource._KEEP_PARSED
