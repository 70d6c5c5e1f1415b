"""The chart palette stays apart for people with colour-vision deficiencies.

Each colour is simulated as seen with deuteranomaly, protanomaly and tritanomaly at full severity
(Machado, Oliveira and Fernandes 2009, through colorspacious) and the smallest distance between
two colours is measured in CAM02-UCS (ΔE; about 10 is "clearly different" for filled areas).
"""

from __future__ import annotations

import itertools

import pytest

from ettervern._render._charts import PALETTE

colorspacious = pytest.importorskip("colorspacious")

MIN_DELTA_E = 11.0
"""The smallest distance allowed; Tol's muted scheme reaches 11.8, the old palette 3.0."""
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _seen(colour: str, deficiency: str | None) -> object:
    rgb = _rgb(colour)
    if deficiency is None:
        return rgb
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return colorspacious.cspace_convert(rgb, space, "sRGB1").clip(0, 1)


def closest(palette: tuple[str, ...], deficiency: str | None) -> float:
    """The smallest ΔE between two colours of ``palette`` as seen with ``deficiency``."""
    seen = [_seen(c, deficiency) for c in palette]
    return min(
        float(colorspacious.deltaE(a, b, input_space="sRGB1"))
        for a, b in itertools.combinations(seen, 2)
    )


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_every_pair_of_colours_stays_apart(deficiency: str | None) -> None:
    assert len(PALETTE) == 10  # one colour per category of the largest catalog
    assert closest(PALETTE, deficiency) >= MIN_DELTA_E


def test_the_old_palette_would_fail() -> None:
    old = ("#1f5a96", "#e07b39", "#3a9a5b", "#c23b4b", "#7b5ea7")
    old += ("#8c6a4f", "#d46fb3", "#6f7780", "#b5a81f", "#2aa5b8")
    assert closest(old, "deuteranomaly") < 4  # red and brown


def test_every_colour_stands_out_from_the_white_page() -> None:
    white = (1.0, 1.0, 1.0)
    for colour in PALETTE:
        assert colorspacious.deltaE(_rgb(colour), white, input_space="sRGB1") >= 15
