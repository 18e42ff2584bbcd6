"""Choosing a size: pure functions over a chart and a body (no database).

Per size, each dimension the chart and the body both have scores 1.0 inside the
range and loses ``1 / FALLOFF_CM`` per centimetre outside it (0 at worst). The
chart's stretch widens every range's top by ``STRETCH_EASE``. The fit score of a
size is the weighted mean of its dimension scores (torso circumferences count
double). Preferences move the *target* body before scoring: a relaxed fit wants
``PREFERENCE_EASE`` cm more room on circumferences, a slim fit less; the fit
feedback of the shopper (docs/measurements.md, "Fit feedback") shifts it by
``FEEDBACK_STEP_CM`` per net "too small" / "too large" outcome, at most two steps.
Only sizes in stock are candidates; ties go to the larger size (easier to alter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FALLOFF_CM = 6.0
STRETCH_EASE = {"none": 0.0, "some": 2.0, "high": 4.0}
PREFERENCE_EASE = {"slim": -2.0, "regular": 0.0, "relaxed": 3.0}
FEEDBACK_STEP_CM = 2.5
MAX_FEEDBACK_STEPS = 2
CIRCUMFERENCES = ("chest", "waist", "hips", "neck", "thigh")
WEIGHTS = {"chest": 2.0, "waist": 2.0, "hips": 2.0}


@dataclass(frozen=True)
class ChartSize:
    label: str
    ranges: Mapping[str, tuple[float, float]]


@dataclass
class Recommendation:
    size: str | None
    scores: dict[str, float] = field(default_factory=dict)
    explanation: str = ""
    adjusted: bool = False


def dimension_score(value: float, low: float, high: float) -> float:
    if low <= value <= high:
        return 1.0
    distance = low - value if value < low else value - high
    return max(0.0, 1.0 - distance / FALLOFF_CM)


def target_body(
    body: Mapping[str, float], fit_preference: str = "regular", feedback_steps: int = 0
) -> dict[str, float]:
    """The body the garment should fit: preference ease and feedback on circumferences."""
    steps = max(-MAX_FEEDBACK_STEPS, min(MAX_FEEDBACK_STEPS, feedback_steps))
    shift = PREFERENCE_EASE.get(fit_preference, 0.0) + steps * FEEDBACK_STEP_CM
    return {d: v + shift if d in CIRCUMFERENCES else v for d, v in body.items()}


def score_sizes(
    sizes: Sequence[ChartSize], body: Mapping[str, float], stretch: str = "none"
) -> dict[str, float]:
    ease = STRETCH_EASE.get(stretch, 0.0)
    scores: dict[str, float] = {}
    for size in sizes:
        total = weight_sum = 0.0
        for dim, (low, high) in size.ranges.items():
            if dim not in body:
                continue
            w = WEIGHTS.get(dim, 1.0)
            total += w * dimension_score(body[dim], low, high + ease)
            weight_sum += w
        scores[size.label] = round(total / weight_sum, 3) if weight_sum else 0.0
    return scores


def _where(sizes: Sequence[ChartSize], dim: str, value: float, ease: float) -> str | None:
    inside = [
        s.label
        for s in sizes
        if dim in s.ranges and s.ranges[dim][0] <= value <= s.ranges[dim][1] + ease
    ]
    if inside:
        return f"{dim.replace('_', ' ')} fits {inside[0]}"
    ordered = [s for s in sizes if dim in s.ranges]
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        if lower.ranges[dim][1] + ease < value < upper.ranges[dim][0]:
            return f"{dim.replace('_', ' ')} between {lower.label} and {upper.label}"
    if ordered and value < ordered[0].ranges[dim][0]:
        return f"{dim.replace('_', ' ')} below {ordered[0].label}"
    if ordered:
        return f"{dim.replace('_', ' ')} above {ordered[-1].label}"
    return None


def recommend(
    sizes: Sequence[ChartSize],
    body: Mapping[str, float],
    *,
    in_stock: set[str] | None = None,
    stretch: str = "none",
    fit_preference: str = "regular",
    feedback_steps: int = 0,
) -> Recommendation:
    """The best size among ``in_stock`` (all when None), with scores and an explanation."""
    if not any(d in body for s in sizes for d in s.ranges):
        return Recommendation(
            None, explanation="No measurement in your profile matches this size chart."
        )
    plain = score_sizes(sizes, body, stretch)
    target = target_body(body, fit_preference, feedback_steps)
    scores = score_sizes(sizes, target, stretch)
    order = {s.label: i for i, s in enumerate(sizes)}
    candidates = [s.label for s in sizes if in_stock is None or s.label in in_stock]
    ease = STRETCH_EASE.get(stretch, 0.0)
    parts = [
        text
        for dim in (
            "chest",
            "waist",
            "hips",
            "inseam",
            "foot_length",
            "neck",
            "shoulder",
            "sleeve",
            "thigh",
        )
        if dim in body and (text := _where(sizes, dim, body[dim], ease))
    ]
    if not candidates:
        return Recommendation(None, scores, "; ".join([*parts, "no size is in stock"]))
    best = max(candidates, key=lambda label: (scores[label], order[label]))
    body_best = max(plain, key=lambda label: (plain[label], order[label]))
    reasons = []
    if fit_preference != "regular":
        reasons.append(f"you prefer {fit_preference} fit")
    if feedback_steps:
        reasons.append(
            "past orders ran small for you"
            if feedback_steps > 0
            else "past orders ran large for you"
        )
    if body_best not in candidates and best != body_best:
        reasons.append(f"{body_best} is out of stock")
    text = "; ".join(parts)
    if reasons or best != body_best:
        text += (
            ("; " if text else "") + ", ".join(reasons or ["closest size in stock"]) + f" → {best}"
        )
    else:
        text += f" → {best}"
    return Recommendation(best, scores, text, adjusted=best != body_best)
