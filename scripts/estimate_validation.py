"""Regenerate the validation tables in docs/estimates.md from the built data (data/regso/).

Usage: ``.venv/bin/python scripts/estimate_validation.py [--check]`` — ``--check`` exits 1 when
the file is out of date instead of writing it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo_app.data import loaders
from geo_app.views import validation_view

DOC = Path(__file__).resolve().parents[1] / "docs" / "estimates.md"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the tables between the markers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/estimates.md is out of date")
    args = parser.parse_args(argv)
    section = validation_view.validation_markdown(loaders.load_regso(), loaders.load_kommun())
    old = DOC.read_text("utf-8")
    new = validation_view.replace_section(old, section)
    if args.check:
        return 0 if new == old else 1
    DOC.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
