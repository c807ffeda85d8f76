"""The solvers' shared base: HiGHS through PuLP, quietly, with a time limit; status and score of a solution."""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp


def highs(time_limit_s: float) -> Any:
    """The MIP solver: HiGHS (CBC only if HiGHS is missing), single-threaded, with a time limit."""
    if pulp.HiGHS().available():
        return pulp.HiGHS(msg=False, timeLimit=time_limit_s, threads=1)
    return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s)  # pragma: no cover - HiGHS ships with highspy


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence C-level stdout (HiGHS prints a banner even with ``msg=False``), e.g. in the CLI's CSV."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # captured stdout (pytest, Streamlit): nothing to guard
        yield
        return
    saved = os.dup(fd)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


@contextlib.contextmanager
def no_pulp_deprecations() -> Iterator[None]:
    """Spopt builds variables the PuLP 3 way; PuLP 3.3 warns once per variable (tens of thousands)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def run_model(model: Any, time_limit_s: float) -> bool:
    """Solve an spopt model on HiGHS, quietly; False when no integer solution was found in time."""
    try:
        with quiet_stdout(), no_pulp_deprecations():
            model.solve(highs(time_limit_s), results=False)
    except RuntimeError:  # spopt: "Model is not solved" (e.g. the time limit hit before a first solution)
        return False
    return True


NO_SOLUTION = "time limit: the solver found no solution, the greedy sites are shown; not proven optimal"


@dataclass(frozen=True)
class Uncovered:
    """The demand the existing offices leave uncovered, as the solvers see it."""

    cost: np.ndarray  # uncovered demand × candidates (km, or minutes by road)
    w: np.ndarray  # weight of each uncovered demand area
    d0: np.ndarray  # cost from each uncovered demand area to its nearest existing office


def score(picks: Sequence[int], m: Uncovered, limit: float, objective: str) -> float:
    """Higher is better: covered weight (MCLP), minus the number of sites (LSCP), minus weighted km (p-median)."""
    if objective == "lscp":
        return -float(len(picks))
    best = np.minimum(m.d0, m.cost[:, list(picks)].min(axis=1)) if len(picks) else m.d0
    if objective == "mclp":
        return float(m.w[best <= limit].sum())
    return -float((m.w * best).sum())


def status_of(problem: Any) -> tuple[bool, str]:
    """(proven optimal?, status in words) of a solved PuLP problem."""
    optimal = problem.sol_status == pulp.LpSolutionOptimal
    return optimal, "optimal" if optimal else "time limit: best found, not proven optimal"
