"""Turning ettervern values into plain data (JSON, TOML) and back, with cattrs.

Use :func:`make_converter` for a converter of your own; there is no mutable global one. Errors
while structuring are turned into :class:`~ettervern.errors.ConfigError` whose ``problems``
name each bad field by its path, such as ``$.members[2].since``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import cattrs
import tomli_w
from cattrs.gen import make_dict_structure_fn
from cattrs.v import format_exception

from ettervern._categories import CategoryCatalog, ReportGroup
from ettervern._codes import CaseCode, CodeScheme
from ettervern._municipalities import Municipality, register
from ettervern._team import Team
from ettervern.errors import CaseCodeError, ConfigError, EttervernError, InvalidValueError

__all__ = [
    "builtin_catalog",
    "catalog_from_dict",
    "load_team",
    "make_converter",
    "save_team",
    "team_from_dict",
    "team_to_dict",
]

T = TypeVar("T")


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        msg = f"expected a date without a time of day, got {value!r}"
        raise InvalidValueError(msg)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            msg = f"expected a date as YYYY-MM-DD, got {value!r}"
            raise InvalidValueError(msg) from None
    msg = f"expected a date as YYYY-MM-DD, got {value!r}"
    raise InvalidValueError(msg)


def _structure_municipality(value: object, _: type) -> Municipality:
    if not isinstance(value, str):
        msg = f"expected a municipality name or number, got {value!r}"
        raise InvalidValueError(msg)
    return register().get(value)


def _structure_case_code(value: object, _: type) -> CaseCode:
    if not isinstance(value, str):
        raise CaseCodeError(value, CodeScheme().describe(), "it is not text")
    return CaseCode.parse(value)


def _is_report_groups(cls: object) -> bool:
    return cls == frozenset[ReportGroup]


def _structure_groups(value: object, _: type) -> frozenset[ReportGroup]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        msg = f"expected a list of report groups, got {value!r}"
        raise InvalidValueError(msg)
    return frozenset(ReportGroup(v) for v in value)


def make_converter() -> cattrs.Converter:
    """Make a converter between ettervern values and JSON- or TOML-safe data.

    Dates become ISO text (``"2020-09-01"``), municipalities their name, case codes their text,
    enums their value; unknown keys are errors. Each call returns a new converter that you may
    extend with hooks of your own.
    """
    converter = cattrs.Converter(forbid_extra_keys=True)
    _configure(converter)
    return converter


def _configure(converter: cattrs.Converter) -> None:
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(Municipality, _structure_municipality)
    converter.register_unstructure_hook(Municipality, lambda m: m.name)
    converter.register_structure_hook(CaseCode, _structure_case_code)
    converter.register_unstructure_hook(CaseCode, str)
    catalog_from_mapping = make_dict_structure_fn(
        CategoryCatalog, converter, _cattrs_forbid_extra_keys=True
    )

    def structure_catalog(value: object, cls: type) -> CategoryCatalog:
        # A catalog is either the name of a built-in one or a table of categories.
        if isinstance(value, str):
            return builtin_catalog(value)
        if not isinstance(value, Mapping):
            msg = f"expected a built-in catalog name or a table of categories, got {value!r}"
            raise InvalidValueError(msg)
        return catalog_from_mapping(value, cls)

    converter.register_structure_hook(CategoryCatalog, structure_catalog)
    is_groups = _is_report_groups
    converter.register_structure_hook_func(is_groups, _structure_groups)
    converter.register_unstructure_hook_func(
        is_groups, lambda groups: sorted(g.value for g in groups)
    )


@functools.cache
def _converter() -> cattrs.Converter:
    return make_converter()


def _describe(exc: BaseException, type_: type | None) -> str:
    """Say what was wrong with one field: our own messages as they are, cattrs' otherwise."""
    if isinstance(exc, EttervernError):
        return str(exc)
    return format_exception(exc, type_)


def _structure(data: object, cls: type[T], source: str) -> T:
    try:
        return _converter().structure(data, cls)
    except cattrs.BaseValidationError as exc:
        raise ConfigError(source, cattrs.transform_error(exc, format_exception=_describe)) from None
    except EttervernError as exc:
        raise ConfigError(source, [str(exc)]) from None


def team_from_dict(data: Mapping[str, Any], *, source: str = "team") -> Team:
    """Build a :class:`Team` from plain data, as read from JSON or TOML.

    Raises:
        ConfigError: with one line per bad field, each naming it by path.
    """
    return _structure(dict(data), Team, source)


def team_to_dict(team: Team) -> dict[str, Any]:
    """Turn a :class:`Team` into plain data that JSON and TOML can hold."""
    data: dict[str, Any] = _converter().unstructure(team)
    return data


def catalog_from_dict(data: Mapping[str, Any], *, source: str = "catalog") -> CategoryCatalog:
    """Build a :class:`CategoryCatalog` from plain data, as read from JSON or TOML."""
    return _structure(dict(data), CategoryCatalog, source)


def _drop_none(value: Any) -> Any:
    """TOML has no null: leave out keys whose value is None."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _read(path: Path) -> Any:
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            with path.open("rb") as handle:
                return tomllib.load(handle)
        if suffix == ".json":
            with path.open(encoding="utf-8") as handle:
                return json.load(handle)
    except FileNotFoundError:
        raise ConfigError(str(path), ["the file does not exist"]) from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(str(path), [f"not valid {suffix[1:].upper()}: {exc}"]) from None
    raise ConfigError(str(path), [f"expected a .toml or .json file, got {suffix or 'no suffix'!r}"])


def load_team(path: str | Path) -> Team:
    """Read a team from a ``.toml`` or ``.json`` file.

    Raises:
        ConfigError: the file is missing, unreadable, or a field is invalid (named by path).
    """
    path = Path(path)
    data = _read(path)
    if not isinstance(data, dict):
        raise ConfigError(str(path), ["expected a table (object) at the top level"])
    return team_from_dict(data, source=str(path))


def save_team(team: Team, path: str | Path) -> Path:
    """Write a team to a ``.toml`` or ``.json`` file; the suffix chooses the format."""
    path = Path(path)
    data = team_to_dict(team)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        path.write_text(tomli_w.dumps(_drop_none(data)), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        raise ConfigError(
            str(path), [f"expected a .toml or .json file, got {suffix or 'no suffix'!r}"]
        )
    return path


def _data_file(*parts: str) -> Any:
    source = resources.files("ettervern").joinpath("_data", *parts)
    with source.open("rb") as handle:
        return tomllib.load(handle)


_BUILTIN_CATALOGS = ("salten",)


@functools.cache
def builtin_catalog(name: str) -> CategoryCatalog:
    """A category catalog shipped with the library, by name (``"salten"``).

    Raises:
        ConfigError: there is no such catalog.
    """
    key = name.strip().casefold()
    if key not in _BUILTIN_CATALOGS:
        raise ConfigError(
            "catalog name",
            [f"no built-in catalog {name!r}; choose one of {list(_BUILTIN_CATALOGS)}"],
        )
    return catalog_from_dict(_data_file("categories", f"{key}.toml"), source=f"catalog {key!r}")
