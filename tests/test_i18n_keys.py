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
from tests.wording import english_in, non_swedish_numbers, swedish_only_words
from tests.wording import words as _words


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


# --- pages in Swedish: help texts, placeholders and number formats ------------------------------------

WIDGETS = ("radio", "selectbox", "multiselect", "text_input", "number_input", "slider", "checkbox", "button")


def widget_texts(at: AppTest) -> list[str]:
    """Labels, help texts (tooltips) and placeholders of a page's widgets, and its metrics' help."""
    out = []
    for kind in (*WIDGETS, "date_input", "toggle", "metric"):
        for e in getattr(at, kind):
            out += [str(getattr(e.proto, f, "") or "") for f in ("label", "help", "placeholder")]
    return [s for s in out if s]


def test_the_english_word_list_is_sound():
    assert english_in("Choose options") == {"Choose", "options"}
    assert english_in("Upload") and english_in("Skip to main content")
    assert not english_in("Välj ett eller flera – Arbetsförmedlingen, kommun, RegSO")
    assert non_swedish_numbers("Tidsgräns 30.00 och 12,345 invånare") == ["30.00", "12,345"]
    assert non_swedish_numbers("WCAG 2.1, lag (2018:1937), 12,5 %, 12 345, 2026-12-06, 1,2") == []


@pytest.mark.parametrize("name", PAGES)
def test_pages_in_swedish_show_no_english_in_labels_help_or_placeholders(name):
    at = open_page(name, "sv")
    texts = widget_texts(at) + page_texts(at)
    found = {w for text in texts for w in english_in(text)}
    assert found == set(), f"{name} in Swedish shows English words: {sorted(found)[:20]}"
    numbers = [n for text in texts for n in non_swedish_numbers(text)]
    assert numbers == [], f"{name} in Swedish writes numbers the English way: {numbers[:10]}"
    # Streamlit's number input writes decimals with a point ("30.00" by default): whole numbers only
    for e in at.number_input:
        shown = e.proto.format or ("%d" if e.proto.data_type == e.proto.INT else "%0.2f")
        assert "." not in shown % 1.5, f"{e.label!r} shows {shown % 1.5!r} in Swedish"
    # control: English pages do show English help and placeholders (the scan can fail)
    assert any(english_in(text) for text in widget_texts(open_page(name, "en")))
