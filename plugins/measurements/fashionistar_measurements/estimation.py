"""Estimate body circumferences and lengths from height, weight, age and sex.

The model (documented, with its source, in docs/measurements.md):

* Population summary statistics (mean and standard deviation of each dimension,
  stature and weight) per sex are from the ANSUR II survey of U.S. Army personnel:
  Gordon, C. C. et al. (2014), *2012 Anthropometric Survey of U.S. Army Personnel:
  Methods and Summary Statistics*, NATICK/TR-15/007. Values are rounded to 0.1 cm.
* A dimension is predicted by the ordinary least squares regression on stature
  and weight implied by those means, SDs and the correlations ``r(d, height)``,
  ``r(d, weight)``, ``r(height, weight)``:
  ``beta_h = (r_dh - r_dw r_hw) / (1 - r_hw^2)``, ``beta_w = (r_dw - r_dh r_hw) / (1 - r_hw^2)``
  (standardised), ``R^2 = beta_h r_dh + beta_w r_dw``, residual SD =
  ``sd_d sqrt(1 - R^2)``. The correlations are typical values for these pairs in
  adult anthropometric surveys, rounded to 0.05: they are the model's main
  approximation and are stated in the table below so they can be replaced by the
  survey's own correlation matrix.
* Age: waist and hips gain with age at equal height and weight in NHANES adults;
  we add ``AGE_SLOPE`` cm per year from age 30 (an approximation, documented).
* Children (girls, boys): the adult model scaled geometrically by height
  relative to the adult mean; confidence is halved.
* Unisex: the mean of the women's and men's predictions, confidence lowered.

Confidence of each value is the regression's ``R^2`` (share of the population
variance the model explains); ``margin_cm`` is the residual SD (68 % of people are
within it). No network and no data files at run time: everything is in this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: (mean cm, SD cm) per sex; stature and weight (kg) first. ANSUR II, rounded.
SUMMARY = {
    "men": {
        "height": (175.6, 6.9),
        "weight": (85.5, 14.2),
        "chest": (105.9, 8.6),
        "waist": (94.1, 11.2),
        "hips": (102.2, 7.6),
        "neck": (39.8, 2.5),
        "thigh": (62.5, 5.5),
        "inseam": (84.9, 4.8),
        "shoulder": (41.5, 1.9),
        "sleeve": (61.8, 3.1),
        "foot_length": (27.0, 1.3),
    },
    "women": {
        "height": (162.9, 6.4),
        "weight": (67.8, 11.2),
        "chest": (94.9, 8.1),
        "waist": (85.8, 10.1),
        "hips": (102.1, 7.9),
        "neck": (33.1, 1.8),
        "thigh": (62.3, 5.6),
        "inseam": (77.5, 4.8),
        "shoulder": (36.6, 1.8),
        "sleeve": (56.0, 2.8),
        "foot_length": (24.5, 1.2),
    },
}

#: r(height, weight) per sex.
R_HEIGHT_WEIGHT = {"men": 0.45, "women": 0.40}

#: (r with height, r with weight) per dimension (assumed typical values, see above).
CORRELATIONS = {
    "chest": (0.25, 0.88),
    "waist": (0.20, 0.85),
    "hips": (0.30, 0.88),
    "neck": (0.30, 0.80),
    "thigh": (0.20, 0.82),
    "inseam": (0.90, 0.35),
    "shoulder": (0.50, 0.55),
    "sleeve": (0.85, 0.35),
    "foot_length": (0.80, 0.40),
}

#: cm per year of age above 30 at equal height and weight (NHANES trend, approximate).
AGE_SLOPE = {"waist": 0.15, "hips": 0.05}
AGE_REFERENCE = 30


@dataclass(frozen=True)
class Coefficients:
    intercept: float
    per_cm_height: float
    per_kg_weight: float
    r_squared: float
    residual_sd: float


def coefficients(sex: str, dimension: str) -> Coefficients:
    """The regression of ``dimension`` on height (cm) and weight (kg) for ``sex``."""
    stats = SUMMARY[sex]
    (mh, sh), (mw, sw), (md, sd) = stats["height"], stats["weight"], stats[dimension]
    r_dh, r_dw = CORRELATIONS[dimension]
    r_hw = R_HEIGHT_WEIGHT[sex]
    beta_h = (r_dh - r_dw * r_hw) / (1 - r_hw**2)
    beta_w = (r_dw - r_dh * r_hw) / (1 - r_hw**2)
    r_squared = beta_h * r_dh + beta_w * r_dw
    per_h, per_w = beta_h * sd / sh, beta_w * sd / sw
    return Coefficients(
        intercept=md - per_h * mh - per_w * mw,
        per_cm_height=per_h,
        per_kg_weight=per_w,
        r_squared=r_squared,
        residual_sd=sd * math.sqrt(max(1 - r_squared, 0.0)),
    )


@dataclass(frozen=True)
class Estimate:
    value: float  # cm
    confidence: float  # 0..1
    margin_cm: float


def _adult(sex: str, dimension: str, height: float, weight: float, age: int | None) -> Estimate:
    c = coefficients(sex, dimension)
    value = c.intercept + c.per_cm_height * height + c.per_kg_weight * weight
    if age is not None and dimension in AGE_SLOPE:
        value += AGE_SLOPE[dimension] * max(age - AGE_REFERENCE, 0)
    return Estimate(value, c.r_squared, c.residual_sd)


def estimate(
    body_category: str, height: float, weight: float, age: int | None = None
) -> dict[str, Estimate]:
    """Every dimension of ``CORRELATIONS`` estimated, rounded to 0.1 cm."""
    out: dict[str, Estimate] = {}
    for dimension in CORRELATIONS:
        if body_category in ("men", "women"):
            found = _adult(body_category, dimension, height, weight, age)
        elif body_category == "unisex":
            a = _adult("women", dimension, height, weight, age)
            b = _adult("men", dimension, height, weight, age)
            found = Estimate(
                (a.value + b.value) / 2,
                min(a.confidence, b.confidence) * 0.8,
                max(a.margin_cm, b.margin_cm) + abs(a.value - b.value) / 2,
            )
        else:  # girls, boys: geometric scaling of the adult prediction at adult shape
            sex = "women" if body_category == "girls" else "men"
            mean_height = SUMMARY[sex]["height"][0]
            scale = height / mean_height
            adult_weight = weight / scale**3  # same shape at adult height
            a = _adult(sex, dimension, mean_height, adult_weight, None)
            found = Estimate(a.value * scale, a.confidence / 2, a.margin_cm * scale * 2)
        out[dimension] = Estimate(
            round(found.value, 1), round(found.confidence, 2), round(found.margin_cm, 1)
        )
    return out
