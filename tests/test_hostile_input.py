"""The hostile-input corpus (tests/hostile_corpus.py): every file refused with a named file/row/column,
or accepted with its text kept as text — quickly, without the memory or time a bomb asks for."""

from __future__ import annotations

import time

import pytest

from geo_app.data import loaders
from geo_app.errors import InputError
from geo_app.imports import indicators as indicator_import
from geo_app.imports import offices as office_import
from tests import hostile_corpus


@pytest.fixture(scope="module")
def known(office_frames):
    """The office frames with the RegSO 2020 keys (indicator imports) after the kommuner."""
    regso, kommun, *rest = office_frames
    return (regso, kommun, loaders.load_regso2020_keys(), *rest)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, known):
    cases = hostile_corpus.build(tmp_path_factory.mktemp("hostile"), list(known[0].index[:40]))
    return {c.id: c for c in cases}


def run_case(case, known):
    regso, kommun, keys_2020, lan, towns, postal = known
    name = case.display_name or case.file.name
    if case.kind == "indicators":
        return indicator_import.prepare_indicators(case.file, regso, kommun, keys_2020, file_name=name, **case.options)
    return office_import.prepare_offices(
        case.file, regso, kommun, lan, towns, postal, agency="other", file_name=name, **case.options
    )


def test_the_corpus_has_at_least_60_files_with_both_outcomes(corpus):
    assert len(corpus) >= 60
    outcomes = {c.expect for c in corpus.values()}
    assert outcomes == {"refuse", "accept"}
    assert sum(c.expect == "refuse" for c in corpus.values()) >= 45


def test_every_corpus_file_gets_its_expected_outcome(corpus, known):
    failures = []
    slow = []
    for case in corpus.values():
        start = time.perf_counter()
        try:
            imp = run_case(case, known)
        except InputError as exc:
            msg = str(exc)
            if case.expect != "refuse":
                failures.append(f"{case.id}: refused, expected accepted: {msg}")
            elif "allowed: 1–40" not in msg and (case.display_name or case.file.name) not in msg:
                failures.append(f"{case.id}: message does not name the file: {msg}")
            else:
                missing = [m for m in case.must if m not in msg]
                if missing:
                    failures.append(f"{case.id}: message lacks {missing}: {msg}")
        except Exception as exc:  # noqa: BLE001 - an unexpected exception is a failure of the case
            failures.append(f"{case.id}: {type(exc).__name__}: {exc}"[:300])
        else:
            if case.expect != "accept":
                failures.append(f"{case.id}: accepted, expected refused")
            elif case.check is not None:
                try:
                    case.check(imp)
                except AssertionError:
                    failures.append(f"{case.id}: accepted but the check failed")
        took = time.perf_counter() - start
        if took > 60:  # the bombs took > 120 s and gigabytes before the limits; a loaded CI box is slow
            slow.append(f"{case.id}: {took:.1f} s")
    assert failures == [], "\n".join(failures)
    assert slow == [], slow


def test_key_detection_reads_a_bounded_sample_per_column(known, monkeypatch):
    """Cost is columns × a bounded sample, not columns × rows: wide and long files stay fast."""
    import pandas as pd

    seen: list[int] = []
    real = indicator_import._key_matches

    def spy(values, *args):
        seen.append(len(values))
        return real(values, *args)

    monkeypatch.setattr(indicator_import, "_key_matches", spy)
    codes = list(known[0].index)
    rows = 3 * indicator_import.KEY_SAMPLE_ROWS
    df = pd.DataFrame({"regsokod": [codes[i % len(codes)] for i in range(rows)]})
    for i in range(100):
        df[f"v{i}"] = "1"
    col, kind = indicator_import.detect_key(df, indicator_import.KeyTables(*known[:3]))
    assert (col, kind) == ("regsokod", "regso2025")
    assert max(seen) == indicator_import.KEY_SAMPLE_ROWS  # never the whole column
    assert sum(n > indicator_import.KEY_PROBE_ROWS for n in seen) <= 2  # the full sample only for candidates
