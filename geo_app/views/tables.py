"""Tables as the pages show them: Swedish numbers in every numeric column, sorting kept (no Streamlit).

:func:`swedish_styler` turns a frame into a pandas ``Styler`` whose *display* values are
Swedish (``81 074``, ``48,9``) while the data stay numbers, so ``st.dataframe`` still
sorts numerically. Year and code columns are shown without a thousands separator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
from pandas.io.formats.style import Styler

from geo_app.formats import DECIMAL_SEPARATOR, GROUP_SEPARATOR
from geo_app.i18n import t

if TYPE_CHECKING:
    import altair as alt

C = TypeVar("C", bound="alt.TopLevelMixin")  # an Altair chart of any kind (altair: imported by charts only)

YEAR_WORDS = ("år", "year")
DEFAULT_FLOAT_DECIMALS = 1


def _is_year_column(name: object, values: pd.Series) -> bool:
    label = str(name).strip().casefold()
    if label in YEAR_WORDS or label.endswith((" år", " year")):
        v = values.dropna()
        return bool(len(v)) and bool(((v >= 1900) & (v <= 2100)).all())
    return False


def swedish_styler(
    df: pd.DataFrame,
    decimals: Mapping[str, int] | None = None,
    plain: Iterable[str] = (),
    lang: str = "sv",
) -> Styler:
    """A Styler showing every numeric column the Swedish way (space thousands, decimal comma).

    Parameters
    ----------
    df : pandas.DataFrame
        The table (numbers stay numbers; sorting in the browser stays numeric).
    decimals : mapping, optional
        Column → decimals. Integer columns default to 0, float columns to
        :data:`DEFAULT_FLOAT_DECIMALS` (0 when every value is whole).
    plain : iterable of str
        Columns shown without a thousands separator (years are detected by their header).
    lang : str
        Language of the "no data" text.
    """
    group, dec = GROUP_SEPARATOR, DECIMAL_SEPARATOR
    decimals = dict(decimals or {})
    plain = set(plain)
    styler = df.style
    na = t("na", lang)
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            continue
        if col in plain or _is_year_column(col, s):
            styler = styler.format(precision=0, thousands="", subset=[col], na_rep=na)
            continue
        if col in decimals:
            d = decimals[col]
        elif pd.api.types.is_integer_dtype(s):
            d = 0
        else:
            v = s.dropna()
            d = 0 if len(v) and bool((v == v.round()).all()) and v.abs().max() >= 1000 else DEFAULT_FLOAT_DECIMALS
        styler = styler.format(precision=d, thousands=group, decimal=dec, subset=[col], na_rep=na)
    return styler


# d3-format's sv-SE locale: decimal comma, non-breaking space between thousands.
SWEDISH_VEGA_LOCALE = {
    "number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]},
}


def with_swedish_locale(chart: C) -> C:
    """An Altair chart configured with the Swedish number locale (Vega's ``config.locale``).

    Without Vega's generated ARIA texts ("X-axis titled … for a linear scale with values from …"):
    they are English whatever the page language; the same values stand in the tables beside the chart.
    """
    configured: C = chart.configure(locale=SWEDISH_VEGA_LOCALE, aria=False)
    return configured
