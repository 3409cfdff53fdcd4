"""Incidents reported by several claims, thousands at once: one programme for all of them.

An incident whose reports share its dates and place, and that shares no cell with any total, is
independent of every other claim. Each of its reports covers the whole of its days and places
(the incident lies where *all* its reports place it), so its claims constrain only how its toll
splits over categories and perpetrators. Its part of a question is then, per period:

- ``[least, greatest]`` of the question's categories and perpetrators, when the period and the
  question's places hold all of the incident's days and places;
- ``[0, greatest]`` when they hold part of them (the toll may lie wholly outside);
- nothing when they hold none;

and its best spreads pro rata by days (and over its place ids) like a lone claim's.

``least`` and ``greatest`` come from one small programme per incident over the atoms of the
categories and perpetrators its reports and the question name. Incidents of the same *shape*
(the same categories and perpetrators, in order) have the same programme with other bounds, so
each shape is built once and repeated; all of them form one block-diagonal programme, solved once
for the least and once for the greatest (the blocks are independent, so each block's part of the
optimum is its own optimum). The same holds for the least change (``docs/model.md``): blocks that
contradict themselves give way by their own least change, the others not at all.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy import sparse

from casualties.closed_form import bin_range
from casualties.regions import Region, days, extent, trees
from casualties.errors import CasualtiesError
from casualties.hashing import sequence_hashes
from casualties.solver import Change, Solver, closest, independent_parts, least_change

__all__ = ["Answer", "Batch", "batch_change", "batchable", "build", "solve_batch"]


def batchable(claims: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    """Which incidents (by ``codes``, an incident code per claim) have reports that all share
    their start, end and place: a bool per code."""
    n = int(codes.max()) + 1 if len(codes) else 0
    same = np.ones(n, dtype=bool)
    for column in ("start", "end", "place"):
        values, _ = pd.factorize(claims[column].to_numpy())
        low = np.full(n, np.iinfo(np.int64).max)
        high = np.full(n, -1)
        np.minimum.at(low, codes, values)
        np.maximum.at(high, codes, values)
        same &= low == high
    return same


@dataclasses.dataclass
class _Shape:
    """One incident shape's programme: claims x variables over category x perpetrator atoms."""

    coef: np.ndarray  # bool (m, n_vars)
    question: np.ndarray  # bool (n_vars,)
    home: np.ndarray  # (m, n_vars) cells of each claim's own atoms in each variable
    cells: np.ndarray  # (n_vars,) cells merged into each variable


def _shape(pairs: list[tuple[str, tuple[str, ...]]], question: Region) -> _Shape:
    """The programme of an incident whose claims speak of ``pairs`` (category, perpetrator ids)."""
    tree = trees()
    cat_tree, perp_tree = tree["category"], tree["perpetrator"]
    q_cat, q_perp = question.category, question.perpetrator
    cat_atoms = sorted({cat_tree.root, *q_cat, *(c for c, _ in pairs)})
    perp_atoms = sorted({perp_tree.root, *q_perp, *(i for _, ids in pairs for i in ids)})
    cat_sets = [(c,) for c, _ in pairs] + [q_cat]
    perp_sets = [ids for _, ids in pairs] + [q_perp]
    cat_cover = cat_tree.set_relations([(a,) for a in cat_atoms], cat_sets)[0].T  # (m + 1, n_cat)
    perp_cover = perp_tree.set_relations([(a,) for a in perp_atoms], perp_sets)[0].T
    cover = cat_cover[:, :, None] & perp_cover[:, None, :]  # (m + 1, n_cat, n_perp)
    m = len(pairs)
    region = cover[:m].any(axis=0).reshape(-1)
    rows = cover.reshape(m + 1, -1)[:, region]
    cat_home = np.array([[a == c for a in cat_atoms] for c, _ in pairs]).reshape(m, -1)
    perp_home = np.array([[a in ids for a in perp_atoms] for _, ids in pairs]).reshape(m, -1)
    home = (cat_home[:, :, None] & perp_home[:, None, :]).reshape(m, -1)[:, region]
    # merge cells covered alike by every claim and the question
    _, first, inverse = np.unique(rows.T, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    n = len(first)
    merged_home = np.zeros((m, n))
    np.add.at(merged_home.T, inverse, home.T.astype(float))
    return _Shape(rows[:m, first], rows[m, first], merged_home, np.bincount(inverse, minlength=n).astype(float))


@dataclasses.dataclass
class Batch:
    """Independent multi-report incidents of one account, as one block-diagonal programme.

    Claims are in :attr:`claims`' order (by incident, then claim id); variables block by block.
    """

    claims: pd.DataFrame
    order: np.ndarray  # positions in the claims given of :attr:`claims`
    group: np.ndarray  # incident number of each claim (0..n_groups-1, increasing)
    A: sparse.csr_array  # (n_claims, n_vars)
    home_data: np.ndarray  # aligned with A.data: cells of each claim's own atoms in the variable
    var_group: np.ndarray  # (n_vars,) incident of each variable
    var_cells: np.ndarray  # (n_vars,)
    question: np.ndarray  # bool (n_vars,): in the question's categories and perpetrators
    start: np.ndarray  # (n_groups,) first day [days since 1970]
    stop: np.ndarray  # (n_groups,) the day after the last
    place_full: np.ndarray  # bool (n_groups,): the question's places hold all of the incident's
    place_touch: np.ndarray  # bool (n_groups,): ... some of them
    place_share: np.ndarray  # (n_groups,): share of the incident's place ids inside the question

    @property
    def n_groups(self) -> int:
        return len(self.start)


def _shapes(key: np.ndarray, group: np.ndarray, starts_at: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Each incident's shape (the sequence of its claims' keys) as a code, and each shape's name
    (the keys joined by ``\x1e``), codes in order of first appearance.

    Sequences are hashed in numpy (:func:`~casualties.hashing.sequence_hashes` of the keys'
    codes), and every incident is then compared, key by key, with the first incident of its hash: two shapes that
    met in one hash would fail the check and are grouped by their joined names instead (one join
    per incident in Python, the old way; it never happened on the real files).
    """
    key_code, key_names = pd.factorize(pd.Series(key, dtype=object))
    n = len(key_code)
    sizes = np.diff(np.r_[starts_at, n])
    position = np.arange(n) - np.repeat(starts_at, sizes)
    shape_code, _ = pd.factorize(sequence_hashes(key_code, starts_at, sizes))
    first = np.unique(shape_code, return_index=True)[1]  # the first incident of each shape
    model = first[shape_code][group]
    same = (sizes == sizes[first[shape_code]]).all() and (key_code == key_code[starts_at[model] + position]).all()
    names = np.asarray(key_names, dtype=object)
    if not same:  # a hash collision between two shapes
        joined = pd.Series(names[key_code]).groupby(group, sort=True).agg("\x1e".join).to_numpy()
        shape_code, unique = pd.factorize(joined)
        return shape_code, list(unique)
    return shape_code, ["\x1e".join(names[key_code[starts_at[g]:starts_at[g] + sizes[g]]]) for g in first]


def build(claims: pd.DataFrame, codes: np.ndarray, question: Region) -> Batch:
    """The batch of the incidents ``codes`` (a code per claim; every incident's reports share
    dates and place) for questions over ``question``'s places, category and perpetrators."""
    from casualties.hierarchy import split_ids

    ids = claims["claim_id"].to_numpy().astype(str)
    order = np.lexsort((ids, codes))
    claims, codes = claims.iloc[order], codes[order]
    group = np.unique(codes, return_inverse=True)[1].reshape(-1)
    starts_at = np.flatnonzero(np.r_[True, np.diff(group) != 0])
    n_groups = len(starts_at)
    # shape of each incident: its claims' (category, perpetrator) in order
    cat = claims["category"].to_numpy().astype(str)
    perp = claims["perpetrator"].to_numpy().astype(str)
    shape_code, shape_names = _shapes(np.char.add(np.char.add(cat, "\x1f"), perp), group, starts_at)
    rows, cols, home_values = [], [], []
    n_vars = np.zeros(n_groups, dtype=np.int64)
    shapes = []
    for s, name in enumerate(shape_names):
        pairs = [(c, split_ids(p)) for c, p in (k.split("\x1f") for k in name.split("\x1e"))]
        shape = _shape(pairs, question)
        shapes.append(shape)
        n_vars[shape_code == s] = shape.coef.shape[1]
    var_start = np.r_[0, np.cumsum(n_vars)[:-1]]
    total_vars = int(n_vars.sum())
    var_group = np.repeat(np.arange(n_groups), n_vars)
    var_cells = np.zeros(total_vars)
    in_question = np.zeros(total_vars, dtype=bool)
    for s, shape in enumerate(shapes):
        members = np.flatnonzero(shape_code == s)
        i, j = np.nonzero(shape.coef)
        rows.append((starts_at[members][:, None] + i[None, :]).reshape(-1))
        cols.append((var_start[members][:, None] + j[None, :]).reshape(-1))
        home_values.append(np.tile(shape.home[i, j], len(members)))
        at = (var_start[members][:, None] + np.arange(shape.coef.shape[1])[None, :]).reshape(-1)
        var_cells[at] = np.tile(shape.cells, len(members))
        in_question[at] = np.tile(shape.question, len(members))
    r, c = (np.concatenate(x) if x else np.zeros(0, dtype=np.int64) for x in (rows, cols))
    h = np.concatenate(home_values) if home_values else np.zeros(0)
    # CSR by hand, so that the home cells stay aligned with the matrix's non-zeros
    by_row = np.lexsort((c, r))
    r, c, h = r[by_row], c[by_row], h[by_row]
    indptr = np.r_[0, np.cumsum(np.bincount(r, minlength=len(claims)))]
    a = sparse.csr_array((np.ones(len(r)), c, indptr), shape=(len(claims), total_vars))
    # dates and places, one per incident (every report shares them)
    first = claims.iloc[starts_at]
    start, stop = days(first["start"]), days(first["end"]) + 1
    place_codes, place_values = pd.factorize(first["place"].to_numpy())
    place_sets = [split_ids(v) for v in place_values]
    place_tree = trees()["place"]
    full, touch = place_tree.set_relations(place_sets, [question.place])
    singles = [(i,) for ids in place_sets for i in ids]
    under = place_tree.set_relations(singles, [question.place])[0][:, 0].astype(float)
    lengths = np.array([len(ids) for ids in place_sets])
    share = np.add.reduceat(under, np.cumsum(lengths) - lengths) / lengths
    return Batch(claims, order, group, a, h, var_group, var_cells, in_question, start, stop,
                 full[place_codes, 0], touch[place_codes, 0], share[place_codes])


def _entries(a: sparse.csr_array, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``a.data`` of the non-zeros of ``rows``, and the row (index into ``rows``)
    of each."""
    counts = a.indptr[rows + 1] - a.indptr[rows]
    row_of = np.repeat(np.arange(len(rows)), counts)
    return a.indptr[rows][row_of] + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)), row_of


def _reference(batch: Batch) -> np.ndarray:
    """The claims' bests spread innermost first over their own atoms (as
    :meth:`casualties.programme.Programme._reference`, every incident at once): step ``r``
    places the ``r``-th smallest claim of every incident."""
    a = batch.A
    best = batch.claims["best"].to_numpy(dtype=float)
    _, nodes = extent(batch.claims)  # an incident's reports share its days
    n = len(best)
    order = np.lexsort((np.arange(n), nodes, batch.group))
    first = np.searchsorted(batch.group, batch.group)  # the group's first claim (groups are sorted)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first
    rho = np.zeros(a.shape[1])
    for r in range(int(rank.max()) + 1 if n else 0):
        step = np.flatnonzero(rank == r)
        remainder = best[step] - a[step] @ rho
        keep = remainder > 0
        step, remainder = step[keep], remainder[keep]
        if not len(step):
            continue
        at, row_of = _entries(a, step)
        columns = a.indices[at]
        home = batch.home_data[at]
        home_total = np.bincount(row_of, weights=home, minlength=len(step))
        # on the claim's own atoms if it has any here, else on all it covers, by cells
        weight = np.where(home_total[row_of] > 0, home, batch.var_cells[columns])
        total = np.bincount(row_of, weights=weight, minlength=len(step))
        rho += np.bincount(columns, weights=remainder[row_of] * weight / total[row_of], minlength=len(rho))
    return rho


@dataclasses.dataclass
class Answer:
    """A batch's raw answers: per question ``low``, ``best``, ``high`` [people]; the least
    change (whole batch) and which incidents contradict themselves."""

    low: np.ndarray
    best: np.ndarray
    high: np.ndarray
    change: Change
    conflicting: np.ndarray  # bool (n_groups,)


def batch_change(batch: Batch, weights: np.ndarray, consistent: np.ndarray | None = None) -> Change:
    """The least change of every incident of the batch (weighted by ``weights``, one per claim
    in the batch's order); ``consistent`` (a bool per incident) marks incidents already known to
    hold, which need no programme."""
    a = batch.A
    low_c = batch.claims["low"].to_numpy(dtype=float)
    high_c = batch.claims["high"].to_numpy(dtype=float)
    if consistent is None:  # a quick proof: every claim holds at its own low where lows nest
        consistent = np.zeros(batch.n_groups, dtype=bool)
    claim_doubt = ~consistent[batch.group]
    dl = np.zeros(len(low_c))
    dh = np.zeros(len(low_c))
    if not claim_doubt.any():
        return Change.none(len(low_c))
    sub = least_change(a[claim_doubt], low_c[claim_doubt], high_c[claim_doubt], np.asarray(weights, dtype=float)[claim_doubt])
    dl[claim_doubt], dh[claim_doubt] = sub.low_drop, sub.high_rise
    return Change(sub.gap, dl, dh)


def solve_batch(batch: Batch, questions: list[Region], weights: np.ndarray, least_change_: bool = True) -> Answer:
    """Bounds and best of every question (periods of one scope, disjoint and increasing).

    With ``least_change_`` False, an incident that contradicts itself gives nan everywhere
    (the claims cannot hold); otherwise it gives way by its least change.
    """
    a = batch.A
    low_c = batch.claims["low"].to_numpy(dtype=float)
    high_c = batch.claims["high"].to_numpy(dtype=float)
    best_c = batch.claims["best"].to_numpy(dtype=float)
    n_groups = batch.n_groups
    rho = _reference(batch)
    counted = a @ rho
    scale = 1e-9 * (1.0 + np.abs(best_c))
    honoured = (np.abs(counted - best_c) <= scale) & (counted <= high_c + scale) & (counted >= low_c - scale)
    group_honoured = np.bincount(batch.group, weights=~honoured, minlength=n_groups) == 0
    change = batch_change(batch, weights, group_honoured)
    dl, dh = change.low_drop, change.high_rise
    conflicting = np.bincount(batch.group, weights=dl + dh, minlength=n_groups) > 0
    # the least and greatest of every incident's part in the question; a variable no claim
    # bounds above (every claim over it open-ended) makes its incident's greatest unbounded: it
    # is left out of the objective and the incident marked
    q = batch.question.astype(float)
    finite = np.isfinite(high_c).astype(float)
    bounded = (a.T @ finite) > 0
    open_ = np.bincount(batch.var_group, weights=batch.question & ~bounded, minlength=n_groups) > 0
    x_low, x_high = np.zeros(a.shape[1]), np.zeros(a.shape[1])
    # The incidents that hold as given and those that give way are independent: two sets of
    # models, the second (with slack columns and the budget row) only as large as the contradictions.
    for part in (~conflicting, conflicting):
        rows, columns = np.flatnonzero(part[batch.group]), np.flatnonzero(part[batch.var_group])
        if not len(rows) or (part is conflicting and not least_change_):
            continue
        sub = a[rows][:, columns]
        # the incidents are independent: programmes of about PART_ROWS rows each (HiGHS costs more
        # than linearly in a model's size); a part that gives way holds its own least change, the
        # sum of its claims' changes (each part of a least change is least: the total is the sum)
        for part_rows, part_columns in independent_parts(sub):
            at_rows, at_columns = rows[part_rows], columns[part_columns]
            relaxation = Change(float((dl[at_rows] + dh[at_rows]).sum()), dl[at_rows], dh[at_rows]) if part is conflicting else None
            solver = Solver(sub[part_rows][:, part_columns], low_c[at_rows], high_c[at_rows], relaxation, cold_dual=True)
            if solver.optimum(q[at_columns], maximize=False) is None:
                raise CasualtiesError("the least-change programme of the incidents is infeasible (a bug: it cannot be)")
            x_low[at_columns] = solver.solution()
            if solver.optimum((q * bounded)[at_columns], maximize=True) is not None:
                x_high[at_columns] = solver.solution()
    group_low = np.bincount(batch.var_group, weights=q * x_low, minlength=n_groups)
    group_high = np.where(open_, np.inf, np.bincount(batch.var_group, weights=q * bounded * x_high, minlength=n_groups))
    # the best: one coherent allocation, claims' bounds relaxed by their least change
    x_best = rho.copy()
    if not group_honoured.all():
        # the blocks are independent: only those whose reference misses a best need solving
        rows = ~group_honoured[batch.group]
        columns = ~group_honoured[batch.var_group]
        x_best[columns] = closest(a[rows][:, columns], best_c[rows], (low_c - dl)[rows], (high_c + dh)[rows], rho[columns])
    group_best = np.bincount(batch.var_group, weights=q * x_best, minlength=n_groups)
    if not least_change_:
        group_low, group_best, group_high = (np.where(conflicting, np.nan, v) for v in (group_low, group_best, group_high))
    low, best, high = _per_period(batch, questions, group_low, group_best, group_high)
    return Answer(low, best, high, change, conflicting)


def _per_period(batch: Batch, questions: list[Region], low_g: np.ndarray, best_g: np.ndarray, high_g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each incident's part of every period (see the module's docstring), summed."""
    n_q = len(questions)
    lo = np.array([q.start for q in questions], dtype=np.int64)
    hi = np.array([q.stop for q in questions], dtype=np.int64)
    start, stop = batch.start, batch.stop
    first_bin, last_bin = bin_range(lo, hi, start, stop)
    span = np.maximum(last_bin - first_bin + 1, 0) * batch.place_touch
    pair = np.repeat(np.arange(len(start)), span)
    pair_bin = first_bin[pair] + (np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span))
    s, e = start[pair], stop[pair]
    blo, bhi = lo[pair_bin], hi[pair_bin]
    whole = (blo <= s) & (e <= bhi) & batch.place_full[pair]
    overlap = (np.minimum(e, bhi) - np.maximum(s, blo)).astype(float)
    with np.errstate(invalid="ignore"):
        low = np.bincount(pair_bin, weights=np.where(whole, low_g[pair], 0.0), minlength=n_q)
        best = np.bincount(pair_bin, weights=best_g[pair] * overlap / (e - s) * batch.place_share[pair], minlength=n_q)
        high = np.bincount(pair_bin, weights=high_g[pair], minlength=n_q)
    return low, best, high
