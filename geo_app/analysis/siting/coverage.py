"""Coverage models on a 0/1 demand × candidate matrix: MCLP (N sites), LSCP (cover all); greedy baseline."""

from __future__ import annotations

import numpy as np

from geo_app.analysis.siting import solver


def greedy_cover(cover: np.ndarray, w: np.ndarray, n: int | None) -> list[int]:
    """Greedy max coverage: pick the column adding most uncovered weight (n picks, or until all covered)."""
    left = np.ones(cover.shape[0], bool)
    picks: list[int] = []
    cw = cover.astype(np.float64)
    while (n is None and left.any()) or (n is not None and len(picks) < n):
        gain = (w * left) @ cw if n is not None else left.astype(float) @ cw
        if n is None:  # set cover: count areas, weight breaks ties
            gain = gain + 1e-9 * ((w * left) @ cw)
        j = int(np.argmax(gain))
        if gain[j] <= 0:
            break
        picks.append(j)
        left &= ~cover[:, j]
    return picks


def dedupe_columns(cover: np.ndarray) -> np.ndarray:
    """Indices of the first column of each distinct non-empty coverage pattern."""
    useful = np.flatnonzero(cover.any(axis=0))
    if len(useful) == 0:
        return useful
    packed = np.packbits(cover[:, useful], axis=0)
    _, first = np.unique(packed.T, axis=0, return_index=True)
    return useful[np.sort(first)]


def solve_coverage(
    cover: np.ndarray, w: np.ndarray, n: int | None, objective: str, time_limit_s: float
) -> tuple[list[int] | None, bool, str]:
    """MCLP (n sites) or LSCP (cover all) on a 0/1 coverage matrix with spopt; chosen column indices."""
    from spopt.locate import LSCP, MCLP

    n_dem, n_cand = cover.shape
    if n_dem == 0 or n_cand == 0:
        return [], True, "nothing to cover" if n_dem == 0 else "no candidate reaches the uncovered demand"
    cost = np.where(cover, 0.0, 1.0)  # spopt covers where cost <= radius
    with solver.no_pulp_deprecations():
        if objective == "mclp":
            p = min(int(n or 0), n_cand)  # more sites than useful columns add nothing
            model = MCLP.from_cost_matrix(cost, w, service_radius=0.5, p_facilities=p, name="mclp")
        else:
            model = LSCP.from_cost_matrix(cost, service_radius=0.5, name="lscp")
    if not solver.run_model(model, time_limit_s):
        return None, False, solver.NO_SOLUTION
    chosen = [j for j, v in enumerate(model.fac_vars) if (v.value() or 0) > 0.5]
    optimal, status = solver.status_of(model.problem)
    return chosen, optimal, status
