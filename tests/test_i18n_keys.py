"""The string table has no key written twice (a later duplicate would silently win)."""

import ast
import inspect

import pytest

from geo_app import i18n


def test_no_duplicate_string_keys():
    tree = ast.parse(inspect.getsource(i18n))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and len(node.keys) > 20:
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            dupes = {k for k in keys if keys.count(k) > 1}
            assert not dupes, f"duplicate i18n keys: {sorted(dupes)}"


def test_every_string_has_swedish_and_english():
    for key, texts in i18n.STRINGS.items():
        assert texts.get("sv") and texts.get("en"), key


def test_feature_string_files_refuse_a_key_twice(tmp_path):
    (tmp_path / "a.toml").write_text('["x.one"]\nsv = "Ett"\nen = "One"\n', "utf-8")
    assert i18n._load_string_files(tmp_path) == {"x.one": {"sv": "Ett", "en": "One"}}
    (tmp_path / "b.toml").write_text('["x.one"]\nsv = "Ett igen"\nen = "One again"\n', "utf-8")
    with pytest.raises(ValueError, match="defined twice"):
        i18n._load_string_files(tmp_path)
