"""The import store on both backends (SQLite and PostgreSQL): transactions, names, audit, crashes."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from geo_app import cli
from geo_app.data import store_backends, user_store
from geo_app.errors import InputError

WRITER = r"""
import sys, pandas as pd
from geo_app.data import user_store
prefix, n, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    t = pd.DataFrame({"v": [float(i)] * rows}, index=pd.Index([f"{j:06d}" for j in range(rows)], name="code"))
    user_store.save({"id": f"{prefix}_{i:03d}", "kind": "indicators", "file": f"{prefix}.csv", "rows": rows}, t,
                    actor=f"writer:{prefix}")
    print(i, flush=True)
"""


def table(n: int = 3, v: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({"v": [v] * n}, index=pd.Index([f"0114R00{i}" for i in range(n)], name="code"))


def entry(name: str, **kw) -> dict:
    return {"id": name, "kind": "indicators", "file": f"{name}.csv", "rows": 3, **kw}


def test_save_list_load_remove_with_audit(store_dir):
    saved = user_store.save(entry("forsta"), table(), actor="alice", sha256="ab" * 32)
    assert [e["id"] for e in user_store.list_imports()] == ["forsta"]
    assert saved["sha256"] == "ab" * 32 and saved["imported_at"]
    assert user_store.load_table(saved)["v"].tolist() == [1.0, 1.0, 1.0]
    before = user_store.version()
    user_store.save(entry("forsta"), table(v=2.0), actor="bob", replace="forsta")
    assert user_store.version() != before
    assert user_store.load_table(user_store.list_imports()[0])["v"].tolist() == [2.0] * 3
    user_store.remove("forsta", actor="carol")
    assert user_store.list_imports() == []
    log = user_store.audit_log()
    assert [(r["who"], r["action"], r["import_id"]) for r in log] == [
        ("carol", "remove", "forsta"),
        ("bob", "replace", "forsta"),
        ("alice", "import", "forsta"),
    ]
    assert log[2]["sha256"] == "ab" * 32 and log[2]["rows"] == 3 and log[2]["file"] == "forsta.csv"
    assert log[0]["file"] == "forsta.csv" and log[0]["rows"] == 3
    with pytest.raises(InputError, match="no import called 'forsta'"):
        user_store.remove("forsta")


def test_a_taken_name_is_refused_unless_replaced_explicitly(store_dir):
    user_store.save(entry("arbetsloshet-2023"), table())
    with pytest.raises(InputError, match=r"already exists.*--replace arbetsloshet-2023"):
        user_store.save(entry("arbetsloshet-2023"), table(v=9.0))
    with pytest.raises(InputError, match="does not match"):
        user_store.save(entry("arbetsloshet-2023"), table(v=9.0), replace="annan")
    assert user_store.load_table(user_store.list_imports()[0])["v"].tolist() == [1.0] * 3
    assert len(user_store.audit_log()) == 1


@pytest.mark.parametrize("name", ["../../etc/x", "..", "Arbetslöshet 2023", "a" * 41, "2023", "", "x y", "ä"])
def test_invalid_names_are_refused_with_the_allowed_form(name):
    with pytest.raises(InputError, match="allowed: 1–40 characters"):
        user_store.check_name(name)


def test_default_names_from_files_are_identifiers():
    assert user_store.default_name("Mina siffror") == "mina_siffror"
    assert user_store.default_name("2023 data") == "import_2023_data"
    assert all(user_store.NAME_PATTERN.fullmatch(user_store.default_name(s)) for s in ["..", "Å" * 90, "<img>"])


def test_cli_refuses_a_bad_name_and_a_silent_replace(tmp_path, store_dir, capsys):
    f = tmp_path / "siffror.csv"
    f.write_text("regsokod,v\n0114R001,1\n0114R002,2\n", "utf-8")
    assert cli.main(["import", "indicators", str(f), "--year", "2024", "--name", "../../etc/x"]) == 2
    assert "allowed: 1–40 characters" in capsys.readouterr().err
    assert cli.main(["import", "indicators", str(f), "--year", "2024", "--name", "arbetsloshet-2023"]) == 0
    assert cli.main(["import", "indicators", str(f), "--year", "2024", "--name", "arbetsloshet-2023"]) == 2
    assert "--replace arbetsloshet-2023" in capsys.readouterr().err
    args = ["import", "indicators", str(f), "--year", "2023", "--name", "arbetsloshet-2023"]
    assert cli.main([*args, "--replace", "arbetsloshet-2023"]) == 0
    capsys.readouterr()
    assert cli.main(["import", "log", "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert [r["action"] for r in log] == ["replace", "import"]
    assert log[0]["sha256"] == user_store.file_sha256(f) and log[0]["who"].startswith("cli:")
    assert cli.main(["import", "remove", "arbetsloshet-2023"]) == 0
    assert cli.main(["import", "log"]) == 0
    assert "remove" in capsys.readouterr().out


def test_private_imports_are_seen_only_in_their_own_context(store_dir):
    user_store.save(entry("delad"), table())
    mine = user_store.PrivateImports()
    user_store.use_private(mine)
    try:
        shared_version = user_store.backend().generation()
        mine.add(entry("privat"), table(v=5.0))
        assert [e["id"] for e in user_store.list_imports()] == ["delad", "privat"]
        assert user_store.load_table(user_store.list_imports()[1])["v"].tolist() == [5.0] * 3
        seen_elsewhere: list = []
        t = threading.Thread(target=lambda: seen_elsewhere.extend(e["id"] for e in user_store.list_imports()))
        t.start()
        t.join()
        assert seen_elsewhere == ["delad"]  # another session (thread) does not see it
        assert user_store.backend().generation() == shared_version  # nothing was written to the store
    finally:
        user_store.use_private(None)
    assert [e["id"] for e in user_store.list_imports()] == ["delad"]


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=os.getcwd())


def test_two_processes_by_25_imports_give_50_loadable_entries(store_dir):
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, p, "25", "50"], env=_env(), stdout=subprocess.DEVNULL)
        for p in ("a", "b")
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    user_store.close_all()
    entries = user_store.list_imports()
    assert len(entries) == 50
    assert all(len(user_store.load_table(e)) == 50 for e in entries)
    assert len(user_store.audit_log(1000)) == 50


def test_kill_9_during_imports_leaves_a_sound_store(store_dir):
    rng = random.Random(16)
    kills = 0
    for round_ in range(8):
        with subprocess.Popen(
            [sys.executable, "-c", WRITER, f"k{round_}", "40", "20000"], env=_env(), stdout=subprocess.PIPE
        ) as proc:  # closes its pipe (warnings are errors)
            proc.stdout.readline()  # at least one import committed, then kill at a random moment
            time.sleep(rng.uniform(0.0, 0.4))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        kills += 1
    # old-style temporary files of a killed process (file store, upload checks) are swept on the next start
    (store_dir / "imports").mkdir(parents=True, exist_ok=True)
    (store_dir / "imports" / ".tmp-abc123").write_bytes(b"half")
    (store_dir / ".tmp-upload-x").mkdir()
    user_store.close_all()
    entries = user_store.list_imports()
    assert kills == 8 and len(entries) >= 8
    assert all(len(user_store.load_table(e)) == 20000 for e in entries)
    assert len(entries) == len(user_store.audit_log(10_000))  # no import without audit row, or vice versa
    assert list(store_dir.rglob(".tmp-*")) == []
    if user_store.database_url() is None:
        assert user_store.backend().integrity() == "ok"


def test_an_old_json_store_is_migrated_on_first_start(tmp_path, user_dir):
    old = user_dir / "imports"
    old.mkdir(parents=True)
    t = table()
    t.to_parquet(old / "gammal-abc.parquet")
    (old / user_store.CATALOGUE).write_text(
        json.dumps([{**entry("gammal"), "stored": "gammal-abc.parquet", "imported_at": "2026-01-01T00:00:00+00:00"}]),
        "utf-8",
    )
    user_store.close_all()
    entries = user_store.list_imports()
    assert [e["id"] for e in entries] == ["gammal"]
    assert user_store.load_table(entries[0])["v"].tolist() == [1.0] * 3
    assert not (old / user_store.CATALOGUE).exists() and not list(old.glob("*.parquet"))
    assert user_store.audit_log()[0]["who"] == "migration"


def test_sqlite_store_is_one_file_in_wal_mode(user_dir):
    user_store.save(entry("x"), table())
    db = user_dir / store_backends.SQLITE_FILE
    assert db.exists()
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
