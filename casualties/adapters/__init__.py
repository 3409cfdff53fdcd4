"""Adapters: the field's datasets in, claims frames out.

One module per dataset, each with a reader that returns a claims frame (``docs/schema.md``)
indexed by the input row each claim came from, and reports what it could not map in a table with
the failure table's columns (``row, column, value, reason, detail``):

- :func:`read_airwars`: Airwars' incident table, and the belligerent's assessments (CJTF-OIR);
- :func:`read_acled`: ACLED event exports;
- :func:`read_ucdp_ged` and :func:`read_ucdp_country_year`: UCDP GED events and country-year sums;
- :func:`read_vdc_weekly`: the Violations Documentation Center's weekly tables;
- :func:`read_tolls`: a table of competing national tolls.

Every reader takes ``errors="warn"`` (default: one :class:`UnmappedWarning`), ``"collect"``
(return ``(claims, unmapped)``) or ``"raise"`` (:class:`~casualties.ClaimError`). The rules of
each are in ``docs/adapters.md``.
"""

from __future__ import annotations

from casualties.adapters._common import Errors, UnmappedWarning
from casualties.adapters.acled import read_acled
from casualties.adapters.airwars import read_airwars
from casualties.adapters.tolls import read_tolls
from casualties.adapters.ucdp import read_ucdp_country_year, read_ucdp_ged
from casualties.adapters.vdc import read_vdc_weekly

__all__ = [
    "Errors",
    "UnmappedWarning",
    "read_acled",
    "read_airwars",
    "read_tolls",
    "read_ucdp_country_year",
    "read_ucdp_ged",
    "read_vdc_weekly",
]
