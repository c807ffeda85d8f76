"""The embedded datasets are declared in ``geo_app/data/catalogue.toml`` (a table, not code)."""

from __future__ import annotations

import pytest

from geo_app.data import catalogue


def test_every_declared_dataset_is_complete():
    ids = [d.id for d in catalogue.EMBEDDED]
    assert len(ids) == len(set(ids)) >= 10
    for d in catalogue.EMBEDDED:
        assert d.name_sv and d.name_en and d.source and d.year and d.licence, d.id
        assert d.kind in catalogue.KINDS and d.kind != "imported", d.id


def test_a_declaration_with_an_unknown_field_or_kind_is_refused(tmp_path):
    good = 'id = "x"\nname_sv = "X"\nname_en = "X"\nsource = "S"\nyear = "2024"\nlicence = "CC0"\n'
    path = tmp_path / "catalogue.toml"
    path.write_text("[[dataset]]\n" + good, "utf-8")
    assert catalogue.read_declarations(path)[0].id == "x"
    path.write_text("[[dataset]]\n" + good + 'lisence = "typo"\n', "utf-8")
    with pytest.raises(ValueError, match="unknown field"):
        catalogue.read_declarations(path)
    path.write_text("[[dataset]]\n" + good + 'kind = "guess"\n', "utf-8")
    with pytest.raises(ValueError, match="kind must be one of"):
        catalogue.read_declarations(path)
