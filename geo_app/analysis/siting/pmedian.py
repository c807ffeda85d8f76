"""p-median on a demand × candidate distance matrix, existing offices predefined, and its greedy baseline."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from geo_app.analysis.siting import solver

PMEDIAN_POOL = 200  # p-median candidates kept (spopt builds one variable per demand × candidate)


def greedy_median(cost: np.ndarray, w: np.ndarray, d0: np.ndarray, n: int) -> list[int]:
    """Greedy p-median: pick the column that lowers the weighted distance most (from ``d0``)."""
    best = d0.copy()
    picks: list[int] = []
    for _ in range(n):
        saved = (w[:, None] * np.maximum(0.0, best[:, None] - cost)).sum(axis=0)
        j = int(np.argmax(saved)) if saved.size else 0
        if not saved.size or saved[j] <= 0:  # nothing left to gain: fewer sites than asked
            break
        picks.append(j)
        best = np.minimum(best, cost[:, j])
    return picks


def solve_pmedian(
    m: solver.Uncovered,
    ex_cost: np.ndarray,
    n: int,
    time_limit_s: float,
    seeds: Sequence[int] = (),
) -> tuple[list[int] | None, bool, str]:
    """p-median over the uncovered demand with the nearest existing offices as predefined facilities.

    ``ex_cost`` is uncovered demand × existing offices. spopt's p-median is dense (one assignment
    variable per demand × site), so the candidates are the :data:`PMEDIAN_POOL` best single sites
    (largest weighted distance saved) plus ``seeds`` (the greedy picks, so the result is never worse
    than greedy); "optimal" then means optimal among the pool and is only claimed when the pool
    holds every candidate that is nearer than an existing office.
    """
    from spopt.locate import PMedian

    cost, w, d0 = m.cost, m.w, m.d0
    if cost.shape[0] == 0:
        return [], True, "nothing to cover"
    saved = (w[:, None] * np.maximum(0.0, d0[:, None] - cost)).sum(axis=0)
    useful = np.flatnonzero(saved > 0)
    if len(useful) == 0:
        return [], True, "no candidate is nearer than the existing offices"
    pool = np.union1d(useful[np.argsort(-saved[useful], kind="stable")[:PMEDIAN_POOL]], np.asarray(seeds, int))
    p = min(int(n), len(pool))
    ex_cols = np.unique(np.argmin(ex_cost, axis=1)) if ex_cost.shape[1] else np.zeros(0, int)
    full = np.hstack([cost[:, pool], ex_cost[:, ex_cols]])
    predefined = np.r_[np.zeros(len(pool), bool), np.ones(len(ex_cols), bool)]
    with solver.no_pulp_deprecations():
        model = PMedian.from_cost_matrix(
            full,
            np.asarray(w, float),
            p_facilities=p + len(ex_cols),
            predefined_facilities_arr=predefined if len(ex_cols) else None,
            name="pmedian",
        )
    if not solver.run_model(model, time_limit_s):
        return None, False, solver.NO_SOLUTION
    chosen = [int(pool[j]) for j, v in enumerate(model.fac_vars[: len(pool)]) if (v.value() or 0) > 0.5]
    optimal, status = solver.status_of(model.problem)
    if len(pool) < len(useful):
        status = (
            f"{status} among the {len(pool)} best single sites (of {len(useful)} nearer than an existing "
            "office); not proven optimal over all candidates"
        )
        optimal = False
    return chosen, optimal, status
