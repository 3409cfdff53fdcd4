"""casualties: reconcile casualty claims from monitors, militaries, the UN and the press.

Every public name is importable from the package itself (``import casualties as cas;
cas.read_claims(...)``). Submodules are imported on first use, so ``import casualties`` stays
quick: pandas, pint and pycountry load only when a function needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "CasualtiesError": "errors",
    "ClaimError": "errors",
    "ClaimFileError": "errors",
    "ParseError": "errors",
    "UnknownNameError": "errors",
    "OptionalDependencyError": "errors",
    "SingleMachineError": "errors",
    "MergeConflict": "errors",
    "MergeRuleError": "errors",
    "CasualtiesWarning": "errors",
    "UnknownNameWarning": "errors",
    "ScopeError": "errors",
    "ScopeTypeError": "errors",
    "ConjunctionError": "errors",
    "AmbiguousNameWarning": "errors",
    "Reason": "errors",
    "ConflictError": "errors",
    "OptionError": "errors",
    "OptionTypeError": "errors",
    "VocabularyError": "errors",
    "RecordsError": "errors",
    "ClaimsFrameError": "errors",
    # the claims frame
    "COLUMNS": "schema",
    "COLUMN_NAMES": "schema",
    "CERTAINTY": "schema",
    "claims_from_records": "schema",
    "validate": "schema",
    "empty_claims": "schema",
    # files
    "read_claims": "io",
    "write_claims": "io",
    "bundled_claims": "io",
    # vocabulary
    "Count": "vocab",
    "Period": "vocab",
    "parse_count": "vocab",
    "parse_period": "vocab",
    "parse_counts": "vocab",
    "parse_periods": "vocab",
    "date_span": "vocab",
    # places and names
    "Hierarchy": "hierarchy",
    "place_tree": "places",
    "place_table": "places",
    "resolve_governorates": "places",
    "resolve_place": "places",
    "resolve_places": "places",
    "categories": "names",
    "perpetrators": "names",
    "sources": "names",
    "resolve_source": "names",
    # the engine
    "Scope": "scope",
    "ranges": "reconcile",
    "period_totals": "reconcile",
    "discrepancies": "reconcile",
    "conflict": "reconcile",
    "bearing": "reconcile",
    "Conflict": "reconcile",
    # the report
    "build_report": "report",
    "Report": "report",
    "render": "rendering",
    # merging reports of the same thing
    "merge": "merging",
    "MERGE_RULES": "merging",
    # adapters for the field's datasets
    "read_airwars": "adapters",
    "read_acled": "adapters",
    "read_ucdp_ged": "adapters",
    "read_ucdp_country_year": "adapters",
    "read_vdc_weekly": "adapters",
    "read_tolls": "adapters",
    "UnmappedWarning": "adapters",
    # claims from news text
    "extract_claims": "extract",
    # linking incidents of different sources
    "link_incidents": "linking",
    "relink": "linking",
    # units
    "ureg": "units",
    "Q_": "units",
    "Distance": "units",
    "parse_distance": "units",
    "to_rate": "units",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("casualties")
    except PackageNotFoundError:  # pragma: no cover - a source checkout that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'casualties' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"casualties.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from casualties.adapters import UnmappedWarning, read_acled, read_airwars, read_tolls, read_ucdp_country_year, read_ucdp_ged, read_vdc_weekly
    from casualties.errors import *  # noqa: F403
    from casualties.extract import extract_claims
    from casualties.hierarchy import Hierarchy
    from casualties.io import bundled_claims, read_claims, write_claims
    from casualties.linking import link_incidents, relink
    from casualties.merging import MERGE_RULES, merge
    from casualties.names import categories, perpetrators, resolve_source, sources
    from casualties.places import place_table, place_tree, resolve_governorates, resolve_place, resolve_places
    from casualties.reconcile import Conflict, bearing, conflict, discrepancies, period_totals, ranges
    from casualties.rendering import render
    from casualties.report import Report, build_report
    from casualties.schema import CERTAINTY, COLUMN_NAMES, COLUMNS, claims_from_records, empty_claims, validate
    from casualties.scope import Scope
    from casualties.units import Q_, Distance, parse_distance, to_rate, ureg
    from casualties.vocab import Count, Period, date_span, parse_count, parse_counts, parse_period, parse_periods
