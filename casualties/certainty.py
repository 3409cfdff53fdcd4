"""Certainty grades as weights: which claims give way first when claims contradict each other."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CERTAINTY_WEIGHTS", "UNASSESSED_WEIGHT", "certainty_weights"]

#: Weights of the grades: the lower, the sooner a claim gives way. Unassessed claims sit between
#: weak and fair.
CERTAINTY_WEIGHTS = {"discounted": 1.0, "contested": 2.0, "weak": 3.0, "fair": 4.0, "confirmed": 5.0}
#: The weight of an unassessed claim (no ``certainty``).
UNASSESSED_WEIGHT = 3.5


def certainty_weights(certainty: pd.Series) -> np.ndarray:
    """The weight of each claim's certainty grade, as the engine ranks them.

    Parameters
    ----------
    certainty : pandas.Series
        Grades (``discounted`` ... ``confirmed``); missing means unassessed.

    Returns
    -------
    numpy.ndarray of float
        :data:`CERTAINTY_WEIGHTS` (discounted 1, contested 2, weak 3, fair 4, confirmed 5),
        unassessed 3.5: the weights of :func:`casualties.conflict`, of the least-change truth,
        of :func:`casualties.merging.weighted` and the ranking of
        :func:`casualties.merging.most_certain`.
    """
    from casualties.schema import CERTAINTY

    grades = pd.Series(certainty).astype(pd.CategoricalDtype(CERTAINTY, ordered=True))
    table = np.array([CERTAINTY_WEIGHTS[grade] for grade in CERTAINTY] + [UNASSESSED_WEIGHT])
    return table[grades.cat.codes.to_numpy()]  # code -1 (unassessed) takes the last weight
