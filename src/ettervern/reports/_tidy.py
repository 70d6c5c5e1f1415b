"""Tidy data: the shape every [`Report`][ettervern.Report] keeps its figures in."""

from __future__ import annotations

import pandas as pd

__all__ = ["tidy_from_wide"]


def tidy_from_wide(wide: pd.DataFrame) -> pd.DataFrame:
    """Turn a wide table into tidy ``row``, ``column``, ``value`` data, leaving empty cells out."""
    long = wide.rename_axis(index="row", columns="column").reset_index()
    tidy = long.melt(id_vars="row", var_name="column", value_name="value").dropna(subset=["value"])
    tidy["row"] = tidy["row"].astype(str)
    tidy["column"] = tidy["column"].astype(str)
    tidy["value"] = tidy["value"].astype("float64")
    return tidy.reset_index(drop=True)
