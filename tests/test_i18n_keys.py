"""The string tables: no key written twice (a later duplicate would silently win), Swedish and English
complete with the same placeholders, and pages in English show no Swedish-only words.
"""

import ast
import inspect
import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from geo_app import i18n
from geo_app.data.paths import APP_SCRIPT, page_script


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


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)", text))


def test_swedish_and_english_tables_have_the_same_keys_and_placeholders():
    swedish = {k for k, v in i18n.STRINGS.items() if v.get("sv")}
    english = {k for k, v in i18n.STRINGS.items() if v.get("en")}
    assert swedish == english == set(i18n.STRINGS)
    for key, texts in i18n.STRINGS.items():
        assert set(texts) == set(i18n.LANGUAGES), key
        assert placeholders(texts["sv"]) == placeholders(texts["en"]), key
    # every feature table too (a file may only add keys, each in both languages)
    for path in sorted(i18n.STRINGS_DIR.glob("*.toml")):
        table = tomllib.loads(path.read_text("utf-8"))
        assert table, path.name
        for key, texts in table.items():
            assert set(texts) == set(i18n.LANGUAGES), f"{path.name}: {key}"


# --- pages in English show no Swedish-only words ------------------------------------------------------

PAGES = (
    "national_map.py",
    "presence_gaps.py",
    "compare.py",
    "scenario.py",
    "suggest.py",
    "data_sources.py",
    "accessibility.py",
)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-zÅÄÖåäöÉé]{5,}", text))


def swedish_only_words() -> set[str]:
    """Words of five letters or more that some Swedish text uses and no English text does."""
    english = {w.casefold() for v in i18n.STRINGS.values() for w in _words(v["en"])}
    return {w for v in i18n.STRINGS.values() for w in _words(v["sv"]) if w.casefold() not in english}


def page_texts(at: AppTest) -> list[str]:
    """What a page says: headings, texts, notes, metric and widget labels, short option lists, table headers.

    Long option lists (kommuner, län, areas) are place names, the same in both languages.
    """
    out = []
    for kind in ("title", "header", "subheader", "caption", "text", "markdown", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [m.label for m in at.metric]
    for kind in ("radio", "selectbox", "multiselect", "text_input", "slider", "checkbox", "button", "date_input"):
        for e in getattr(at, kind):
            out.append(str(e.label))
            options = list(getattr(e, "options", None) or [])
            out += [str(o) for o in options] if len(options) < 30 else []
    for frame in at.dataframe:
        out += [str(c) for c in frame.value.columns]
    out += [str(e.label) for e in at.get("expander")]
    return out


def open_page(name: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    if name != "national_map.py":
        at.switch_page(page_script(name)).run()
    assert not at.exception, at.exception
    return at


def test_the_swedish_word_list_is_sound():
    only = swedish_only_words()
    assert {"Kommunsamverkan", "Annat", "saknas", "Ladda", "Områdestyp"} <= only
    assert not only & {"Arbetsförmedlingen", "kommun", "kommuner", "RegSO"}  # used in English too


@pytest.mark.parametrize("name", PAGES)
def test_pages_in_english_show_no_swedish_only_words(name):
    only = swedish_only_words()
    found = {w for text in page_texts(open_page(name, "en")) for w in _words(text) & only}
    assert found == set(), f"{name} in English shows Swedish words: {sorted(found)[:20]}"
    # control: the same scan finds Swedish on the Swedish page (it can fail)
    assert len({w for text in page_texts(open_page(name, "sv")) for w in _words(text) & only}) >= 10
