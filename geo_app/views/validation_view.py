"""The model estimate's validation as Markdown tables (``docs/estimates.md``; no Streamlit).

``scripts/estimate_validation.py`` writes them between the markers :data:`BEGIN` and :data:`END`.
"""

from __future__ import annotations

import pandas as pd

from geo_app.analysis import validation

BEGIN = "<!-- validation:begin (scripts/estimate_validation.py writes this part) -->"
END = "<!-- validation:end -->"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def summary_markdown(table: pd.DataFrame) -> str:
    """One row per compared variant: area errors, kommun errors, the rule at 20 %."""
    head = [
        "compared (estimate 2024 vs official 2024)",
        "areas",
        "median abs. error, pp",
        "p90 abs. error, pp",
        "bias, pp",
        "Spearman",
        "kommun median abs. error, pp",
        "kommuner > 2 pp",
        "type 1–2 > 20 %: official / estimate / both / false alarms / missed",
        "kommuner: official / estimate",
    ]
    lines = [_row(head), _row(["---"] * len(head))]
    for name, r in table.iterrows():
        lines.append(
            _row(
                [
                    str(name) + ("" if r["adopted"] else " *(not adopted)*"),
                    f"{r['areas']:,}",
                    f"{r['median_abs_pp']:.2f}",
                    f"{r['p90_abs_pp']:.2f}",
                    f"{r['bias_pp']:+.2f}",
                    f"{r['spearman']:.3f}",
                    f"{r['kommun_median_abs_pp']:.2f}",
                    str(r["kommuner_over_2pp"]),
                    " / ".join(
                        str(r[f"rule_{k}"])
                        for k in ("official", "estimate", "both", "false_positive", "false_negative")
                    ),
                    f"{r['rule_kommuner_official']} / {r['rule_kommuner_estimate']}",
                ]
            )
        )
    return "\n".join(lines)


def worst_markdown(worst: pd.DataFrame) -> str:
    """The kommuner where model 2 misses most."""
    lines = [_row(["kommun", "areas", "median abs. error, pp", "bias, pp"]), _row(["---"] * 4)]
    for code, r in worst.iterrows():
        lines.append(
            _row([f"{r['kommunnamn']} ({code})", str(r["areas"]), f"{r['median_abs_pp']:.2f}", f"{r['bias_pp']:+.2f}"])
        )
    return "\n".join(lines)


def validation_markdown(areas: pd.DataFrame, kommun: pd.DataFrame) -> str:
    """Both tables, between the markers."""
    table = validation.validation_table(areas, kommun)
    worst = validation.worst_kommuner(areas, kommun)
    return "\n\n".join(
        [
            BEGIN,
            summary_markdown(table),
            "Kommuner where model 2 misses most (median absolute error of their areas):",
            worst_markdown(worst),
            END,
        ]
    )


def replace_section(text: str, section: str) -> str:
    """``text`` with the part between the markers replaced by ``section`` (appended if absent)."""
    if BEGIN in text and END in text:
        start, stop = text.index(BEGIN), text.index(END) + len(END)
        return text[:start] + section + text[stop:]
    return text.rstrip("\n") + "\n\n" + section + "\n"
