"""Working on a column's distinct values once: the few municipalities, categories and codes
of a million rows are looked at once each, and the answers spread back over the rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["as_float", "blank_cells", "factorize", "map_unique", "text_of"]


def text_of(value: object) -> str:
    """A cell as text: stripped, and whole floats without ``.0`` (Excel gives 1.0 for 1)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def factorize(values: pd.Series[Any]) -> tuple[np.ndarray[Any, Any], Sequence[Any]]:
    """(codes, distinct values) of a column, ``-1`` for missing.

    A categorical column already is that (its codes and categories, unused ones included), so it
    is not hashed again: the sheet reader gives every text column as categorical.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), list(values.cat.categories)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def map_unique(values: pd.Series[Any], function: Callable[[str], Any]) -> pd.Series[Any]:
    """Apply ``function`` once per distinct value (as text) and spread the results over the rows.

    Columns of a time log hold few distinct values (a dozen municipalities, ten categories, a
    few hundred codes), so this is how validation stays vectorised. Missing values give None.
    When every result is text (or None) the result is categorical, so later comparisons work on
    small integer codes instead of strings.
    """
    codes, uniques = factorize(values)
    results = [function(text_of(unique)) for unique in uniques]
    if all(r is None or isinstance(r, str) for r in results):
        categories = list(dict.fromkeys(r for r in results if r is not None))
        position = {c: i for i, c in enumerate(categories)}
        lookup = np.array(
            [position[r] if r is not None else -1 for r in [*results, None]], dtype="int64"
        )
        categorical = pd.Categorical.from_codes(
            lookup[codes], dtype=pd.CategoricalDtype([str(c) for c in categories])
        )
        return pd.Series(categorical, index=values.index)
    spread = np.empty(len(results) + 1, dtype=object)
    spread[:-1] = results
    spread[-1] = None
    return pd.Series(spread[codes], index=values.index, dtype=object)


def blank_cells(values: pd.Series[Any]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Where cells are empty: missing, or only spaces."""
    codes, uniques = factorize(values)
    empty = np.array(
        [text_of(u) in ("", "None", "nan", "NaT") for u in uniques] + [True], dtype=bool
    )
    found: np.ndarray[Any, np.dtype[np.bool_]] = empty[codes]
    return found


def as_float(values: pd.Series[Any], mapping: dict[str, float]) -> pd.Series[float]:
    """Map each value through ``mapping`` to a float (NaN where missing or unmapped)."""
    codes, uniques = factorize(values)
    lookup = np.array([mapping.get(str(u), np.nan) for u in uniques] + [np.nan], dtype="float64")
    return pd.Series(lookup[codes], index=values.index)
