"""A synthetic evaluation set for the recommender, generated from the statistical model.

Each synthetic person is drawn from the ANSUR II-based population of
``estimation.py``: height ~ N(mean, SD); weight from height with the survey's
correlation; each circumference = the regression prediction + a normal residual
with the regression's residual SD. Their **correct size** on a chart is decided
from their *true* body alone, by the chart itself: the size whose ranges contain
most of their measured dimensions (ties: the one whose ranges' centres are closest).

Two ways of asking are scored, both with a regular fit and every size in stock:

* ``measured``: the shopper types their measurements with a tape-measure error
  (N(0, ``TAPE_SD_CM``) per value);
* ``estimated``: the shopper only gives height, weight and age; the rest comes
  from ``estimation.estimate``.

Deterministic (seeded), no database. From the host:
``python -m fashionistar_measurements.evaluation``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from fashionistar_measurements import estimation
from fashionistar_measurements.demo import APPAREL_CSV
from fashionistar_measurements.recommend import ChartSize, recommend

TAPE_SD_CM = 1.5
SEED = 20261122
PEOPLE_PER_SEX = 1000


@dataclass(frozen=True)
class Person:
    sex: str
    height: float
    weight: float
    age: int
    body: dict[str, float]


def population(n: int = PEOPLE_PER_SEX, seed: int = SEED) -> list[Person]:
    rng = random.Random(seed)
    people = []
    for sex in ("women", "men"):
        (mh, sh), (mw, sw) = estimation.SUMMARY[sex]["height"], estimation.SUMMARY[sex]["weight"]
        r = estimation.R_HEIGHT_WEIGHT[sex]
        for _ in range(n):
            z = rng.gauss(0, 1)
            height = mh + sh * z
            weight = max(mw + sw * (r * z + (1 - r**2) ** 0.5 * rng.gauss(0, 1)), 38.0)
            age = rng.randint(18, 65)
            predicted = estimation.estimate(sex, height, weight, age)
            body = {
                d: predicted[d].value + rng.gauss(0, estimation.coefficients(sex, d).residual_sd)
                for d in ("chest", "waist", "hips")
            }
            people.append(Person(sex, height, weight, age, body))
    return people


def chart() -> list[ChartSize]:
    from fashionistar_measurements.charts import parse_chart_csv

    return [
        ChartSize(label, {d: tuple(r) for d, r in ranges.items()})
        for label, ranges in parse_chart_csv(APPAREL_CSV)
    ]


def correct_size(sizes: list[ChartSize], body: dict[str, float]) -> str:
    def key(size: ChartSize) -> tuple[int, float]:
        inside = sum(1 for d, (lo, hi) in size.ranges.items() if lo <= body[d] <= hi)
        distance = sum(abs(body[d] - (lo + hi) / 2) for d, (lo, hi) in size.ranges.items())
        return (inside, -distance)

    return max(sizes, key=key).label


@dataclass(frozen=True)
class Accuracy:
    cases: int
    exact: float
    within_one: float


def evaluate(people: list[Person] | None = None, *, mode: str = "measured") -> Accuracy:
    sizes = chart()
    order = {s.label: i for i, s in enumerate(sizes)}
    rng = random.Random(SEED + 1)
    exact = near = 0
    people = population() if people is None else people
    for person in people:
        truth = correct_size(sizes, person.body)
        if mode == "measured":
            body = {d: v + rng.gauss(0, TAPE_SD_CM) for d, v in person.body.items()}
        else:
            est = estimation.estimate(person.sex, person.height, person.weight, person.age)
            body = {d: est[d].value for d in ("chest", "waist", "hips")}
        got = recommend(sizes, body).size
        exact += got == truth
        near += got is not None and abs(order[got] - order[truth]) <= 1
    n = len(people)
    return Accuracy(n, round(exact / n, 3), round(near / n, 3))


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
    django.setup()
    for mode in ("measured", "estimated"):
        print(mode, evaluate(mode=mode))
