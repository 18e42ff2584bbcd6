"""Recommendation quality on the synthetic evaluation set must not fall below the
figures recorded in bench/RESULTS.md ("Measurements: size recommendation accuracy")."""

from __future__ import annotations

import pytest
from fashionistar_measurements.evaluation import evaluate, population

RECORDED = {
    "measured": {"exact": 0.774, "within_one": 0.998},
    "estimated": {"exact": 0.711, "within_one": 0.995},
}


@pytest.fixture(scope="module")
def people() -> list:
    return population()


@pytest.mark.parametrize("mode", ["measured", "estimated"])
def test_accuracy_does_not_fall_below_the_recorded_figures(people: list, mode: str) -> None:
    found = evaluate(people, mode=mode)

    assert found.cases == 2000
    assert found.exact >= RECORDED[mode]["exact"]
    assert found.within_one >= RECORDED[mode]["within_one"]
