"""The printable brief: its numbers are the app's, it names its sources, the PDF is a real document."""

from __future__ import annotations

import html as htmllib
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from geo_app.analysis import compare, gaps
from geo_app.analysis.gap_rule import RuleOptions
from geo_app.data import loaders
from geo_app.i18n import fmt_number, t
from geo_app.layers.bundle import load_bundle
from geo_app.report import brief as rb
from geo_app.report import context
from geo_app.views import compare_view as cv
from geo_app.views import office_view
from geo_app.views.map_view import source_line

AS_OF = date(2025, 7, 1)
MADE = date(2025, 7, 2)
LANDSKRONA, SKANE = "1282", "12"


@pytest.fixture(scope="module")
def empty_user(tmp_path_factory):
    return tmp_path_factory.mktemp("userdata")


@pytest.fixture(scope="module")
def ctx(empty_user):
    bundle = load_bundle(user_dir=empty_user)
    offices = loaders.load_presence(AS_OF, user_dir=empty_user)
    states = loaders.load_presence_states(AS_OF, user_dir=empty_user)
    return context.make_context(bundle, context.BriefInputs(2023, AS_OF, offices, None, states))


@pytest.fixture(scope="module")
def landskrona(ctx):
    brief = rb.make_brief(ctx, "kommun", LANDSKRONA, "sv", MADE)
    return brief, rb.render(brief, "html").decode("utf-8")


@pytest.fixture(scope="module")
def landskrona_pdf(landskrona, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "landskrona.pdf"
    path.write_bytes(rb.render(landskrona[0], "pdf"))
    return path


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return re.sub(r"[ \t\r\n]+", " ", text).strip()  # keeps the no-break spaces of Swedish numbers


def rows(html: str, table_id: str) -> dict[str, list[str]]:
    """The rows of a table by their data-key, as lists of cell texts."""
    m = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    if m is None:  # a table without rows is not printed (a note says so)
        return {}
    out = {}
    for key, body in re.findall(r'<tr data-key="([^"]*)">(.*?)</tr>', m.group(0), re.S):
        out[key] = [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
    return out


def key_rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-layer="([^"]+)"[^>]*>(.*?)</tr>', html, re.S))


def span(row: str, cls: str) -> str:
    m = re.search(rf'<span class="{cls}">(.*?)</span>', row, re.S)
    assert m, cls
    return htmllib.unescape(m.group(1))


def test_key_figures_are_the_compare_pages_numbers(ctx, landskrona):
    brief, html = landskrona
    sel = cv.Selection("kommun", (LANDSKRONA,), 2023)
    table = cv.indicator_table(ctx.bundle, sel, "sv")
    by_layer = key_rows(html)
    assert list(by_layer) == list(table["layer"])  # every indicator of the page, in its order
    for raw in table.itertuples():
        row = by_layer[raw.layer]
        assert span(row, "value") == fmt_number(raw.value, int(raw.decimals), "sv"), raw.layer
        assert span(row, "national") == fmt_number(raw.national, int(raw.decimals), "sv"), raw.layer
        assert span(row, "typeref") == fmt_number(raw.type_reference, int(raw.decimals), "sv"), raw.layer
        estimate = ctx.bundle.layers[raw.layer].kind == "estimate"
        assert ("Modellskattning</span>" in row) == estimate, raw.layer  # the badge beside the number
    # and independently of the page: the population is the sum over Landskrona's 18 areas
    areas = ctx.bundle.regso[ctx.bundle.regso["kommunkod"] == LANDSKRONA]
    assert span(by_layer["befolkning"], "value") == fmt_number(int(areas["folkmangd_2023"].sum()), 0, "sv")
    # each row points at its source in the list below the table
    for f in brief.key_figures:
        assert f.source == brief.key_sources[f.source_ref - 1]
        assert f'id="key-source-{f.source_ref}">[{f.source_ref}] {htmllib.escape(f.source, quote=False)}' in html


def test_population_per_type_is_type_distribution(ctx, landskrona):
    _, html = landskrona
    dist = compare.type_distribution(ctx.bundle.regso, "kommun", [LANDSKRONA], 2023).loc[LANDSKRONA]
    got = rows(html, "types-table")
    assert set(got) >= {"1", "2", "3", "4", "5"}
    for ty in compare.TYPES:
        label, areas, people, share, _sweden = got[str(ty)]
        assert label.startswith(str(ty))
        assert (areas, people, share) == (
            fmt_number(dist[f"areas_{ty}"], 0),
            fmt_number(dist[f"pop_{ty}"], 0),
            fmt_number(dist[f"share_{ty}"], 1),
        )
    assert sum(int(got[str(ty)][0 + 1]) for ty in compare.TYPES) == 18  # areas


def test_changed_areas_are_listed(ctx, landskrona):
    _, html = landskrona
    changes = compare.type_changes(ctx.bundle.regso, "kommun", [LANDSKRONA], 2022, 2023)
    assert len(changes) >= 1
    got = rows(html, "changes-table")
    assert set(got) == set(changes.index)
    for code, ch in changes.iterrows():
        assert got[code][:3] == [ch["regsonamn"], str(ch["type_before"]), str(ch["type_after"])]


def test_presence_gaps_are_the_gap_pages(ctx, landskrona):
    rule = ctx.bundle.gap_rule(RuleOptions(year=2023))
    result = gaps.analyse(ctx.bundle.regso, ctx.offices, rule, states=ctx.states)
    matched = result.kommuner.index[result.kommuner["areas"] > 0]
    assert len(matched) > 0
    # the kommun with the most people in areas matching the rule, and Landskrona
    for kommun in dict.fromkeys([matched[0], LANDSKRONA]):
        brief = rb.make_brief(ctx, "kommun", kommun, "sv", MADE)
        html = rb.render(brief, "html").decode("utf-8")
        for table_id, frame in (("gap-areas", result.areas), ("unknown-areas", result.unknown_areas)):
            mine = frame[frame["kommunkod"] == kommun].head(context.MAX_ROWS)
            got = rows(html, table_id)
            assert set(got) == set(mine.index), table_id
            for code, area in mine.iterrows():
                cells = got[code]
                assert area["regsonamn"] in cells
                assert fmt_number(area["dist_km_any"], 2) in cells
                assert fmt_number(area["indicator"], 2) in cells
                assert "Modellskattning" in cells  # the estimate's kind beside the indicator
        if kommun in result.kommuner.index:
            kom = rows(html, "gap-kommuner")[kommun]
            expected = result.kommuner.loc[kommun]
            assert fmt_number(int(expected["population"]), 0) in kom and str(int(expected["areas"])) in kom
            assert fmt_number(expected["max_dist_km_any"], 1) in kom
        if not (result.areas["kommunkod"] == kommun).any():
            assert f"Inga luckområden i {brief.name} enligt regeln" in html
        assert "20 km fågelvägen" in brief.gap_rule and "1–2" in brief.gap_rule


def test_office_counts_are_the_office_list(ctx, landskrona):
    _, html = landskrona
    mine = ctx.offices[ctx.offices["kommunkod"] == LANDSKRONA]
    got = rows(html, "office-counts")
    for agency, sub in mine.groupby("agency"):
        assert got[agency][-1] == str(len(sub))
    assert sum(int(r[-1]) for r in got.values()) == len(mine)
    note = office_view.office_note(ctx.offices, "sv").split("\n\n")[0]
    assert len(note) > 40 and htmllib.escape(note, quote=False) in html  # the completeness note
    state = ctx.states.at[LANDSKRONA, "kommun"]  # kommun collaboration as the register knows it
    assert f"Kommunal samverkan (kommunens servicepunkt med myndigheterna): {t(f'presence.state.{state}')}." in html


def test_presence_unknown_areas_are_the_gap_pages(ctx):
    # Areas whose gap would rest on unknown presence are listed apart, never as gaps.
    rule = ctx.bundle.gap_rule(RuleOptions(year=2023))
    result = gaps.analyse(ctx.bundle.regso, ctx.offices, rule, states=ctx.states)
    kommun = result.unknown_areas["kommunkod"].iloc[0] if len(result.unknown_areas) else LANDSKRONA
    html = rb.render(rb.make_brief(ctx, "kommun", kommun, "sv", MADE), "html").decode("utf-8")
    expected = set(result.unknown_areas.index[result.unknown_areas["kommunkod"] == kommun])
    got = set(rows(html, "unknown-areas")) if expected else set()
    assert got == expected
    assert not expected & set(rows(html, "gap-areas")) if 'id="gap-areas"' in html else True


def test_similar_kommuner_are_the_compare_pages(ctx, landskrona):
    _, html = landskrona
    expected = cv.similar_table(ctx.bundle, LANDSKRONA, 2023, "sv")
    got = rows(html, "peers-table")
    assert list(got) == list(expected.index)
    dist_col = t("compare.col.distance", "sv")
    for code, row in expected.iterrows():
        assert row[t("col.kommunnamn", "sv")] in got[code]
        assert fmt_number(row[dist_col], 3) in got[code]


def test_sources_header_and_language(ctx, landskrona):
    brief, html = landskrona
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert "<title>Landskrona kommun – lägesbild</title>" in html
    # the running header of every page (CSS paged media) carries both dates
    page_css = re.search(r"@page \{.*?\n\}", html, re.S).group(0)
    assert "Framtagen 2025-07-02" in page_css and "Närvaro per 2025-07-01" in page_css
    assert "counter(page)" in page_css and "counter(pages)" in page_css
    assert "page-break-inside: avoid" in html and "size: A4" in html
    box = re.search(r'<aside class="sources".*?</aside>', html, re.S).group(0)
    b = ctx.bundle
    for layer, year in (("befolkning", 2023), ("omradestyp", 2023), ("arbetsloshet_af_modell", 2023)):
        assert htmllib.escape(source_line(b, b.layers[layer], year, "sv"), quote=False) in box
    assert "SCB, Regionala statistikområden (RegSO) 2025_v2" in box
    assert "status per 2025-07-01" in box and "docs/estimates.md" in box
    assert 'alt="Karta över Landskrona: 18 RegSO-områden' in html


def test_english_brief(ctx):
    brief = rb.make_brief(ctx, "kommun", LANDSKRONA, "en", MADE)
    html = rb.render(brief, "html").decode("utf-8")
    assert '<html lang="en">' in html and "Landskrona municipality – brief" in html
    assert "Model estimate</span>" in html and "Presence as of 2025-07-01" in html
    assert "Sources" in html and "Similar kommuner" in html
    assert "Modellskattning</span>" not in html


def test_lan_brief_lists_its_kommuner(ctx):
    brief = rb.make_brief(ctx, "lan", SKANE, "sv", MADE)
    html = rb.render(brief, "html").decode("utf-8")
    assert brief.title == "Skåne län – lägesbild"
    kommuner = ctx.bundle.kommun.index[ctx.bundle.kommun["lanskod"] == SKANE]
    assert set(rows(html, "peers-table")) == set(kommuner)
    table = cv.indicator_table(ctx.bundle, cv.Selection("lan", (SKANE,), 2023), "sv")
    pop = table.loc[table["layer"] == "befolkning", "value"].item()
    assert span(key_rows(html)["befolkning"], "value") == fmt_number(pop, 0)


def test_text_from_files_is_escaped(ctx):
    offices = ctx.offices.copy()
    first = offices.index[offices["kommunkod"] == LANDSKRONA][0]
    offices.loc[first, "name"] = "<script>alert(1)</script>"
    brief = rb.make_brief(replace(ctx, offices=offices), "kommun", LANDSKRONA, "sv", MADE)
    html = rb.render(brief, "html").decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pdf_is_a_tagged_document_with_the_text(landskrona_pdf):
    from pypdf import PdfReader

    reader = PdfReader(landskrona_pdf)
    assert 2 <= len(reader.pages) <= 4
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv" and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Landskrona kommun – lägesbild"
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("DejaVu" in f for f in fonts)
    text = subprocess.run(["pdftotext", "-layout", str(landskrona_pdf), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    for needle in (
        "Landskrona kommun – lägesbild",
        "Modellskattning",
        "Källa: SCB, RegSO-statistik, 2023",
        "Närvaro per 2025-07-01",
        "Sida 1 av",
        "Källor",
        "Områdestyp 2023",
        "Nyhamn-Södra Industriområdet",  # å/ä/ö come through the embedded font
    ):
        assert needle in text, needle
    for i in range(1, len(reader.pages) + 1):  # the running header on every page: both dates
        page = subprocess.run(
            ["pdftotext", "-f", str(i), "-l", str(i), str(landskrona_pdf), "-"], capture_output=True, text=True
        ).stdout
        assert "Framtagen 2025-07-02 · Närvaro per 2025-07-01" in page and f"Sida {i} av {len(reader.pages)}" in page


def test_pdf_page_shows_the_map(landskrona_pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(landskrona_pdf), str(tmp_path / "p")])
    page = np.asarray(Image.open(next(tmp_path.glob("p*.png"))).convert("RGB"), dtype=int)
    h = page.shape[0]
    assert (page.sum(axis=2) < 720).mean() > 0.05  # not blank
    mapband = page[int(h * 0.15) : int(h * 0.6)]
    light_blue = (np.abs(mapband - np.array([171, 217, 233])).sum(axis=2) < 30).sum()  # type 4 areas
    red = (np.abs(mapband - np.array([215, 25, 28])).sum(axis=2) < 60).sum()  # type 1 (under the hatching)
    assert light_blue > 2000 and red > 20, (light_blue, red)


# ---------------------------------------------------------------- command line


def cli(*args, env_dir):
    env = dict(os.environ, GEO_APP_DATA_DIR=str(env_dir))
    return subprocess.run(
        [sys.executable, "-m", "geo_app.cli", "brief", *args], capture_output=True, text=True, env=env, timeout=600
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kommun", "9999"], "unknown kommun code"),
        (["--lan", "99"], "unknown lan code"),
        (["--all-in-lan", "77"], "unknown lan code"),
        (["--kommun", "1282", "--as-of", "2001-01-01"], "is outside 2015–2035 (the presence data)"),
        (["--kommun", "1282", "--as-of", "2999-01-01"], "is outside 2015–2035 (the presence data)"),
        (["--kommun", "1282", "--as-of", "1 juli"], "expected a date"),
        (["--kommun", "1282", "--out", "{tmp}/nowhere/x.pdf"], "no such folder"),
        (["--kommun", "1282", "--out", "{tmp}/nowhere/"], "no such folder"),
        (["--kommun", "1282", "--out", "{tmp}/x.docx"], ".pdf or .html"),
        (["--kommun", "1282", "--kommun", "1280", "--out", "{tmp}/x.pdf"], "need a folder"),
        ([], "choose --kommun"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, empty_user, monkeypatch, capsys, args, message):
    from geo_app.cli import main

    monkeypatch.setenv("GEO_APP_DATA_DIR", str(empty_user))
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)  # the default output folder
    assert main(["brief", *[a.format(tmp=out) for a in args], "--format", "html"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(out.rglob("*")) == []


def test_bad_input_from_the_shell_exits_2(tmp_path, empty_user):
    proc = cli("--kommun", "1282", "--out", str(tmp_path / "nowhere" / "x.pdf"), env_dir=empty_user)
    assert proc.returncode == 2 and "no such folder" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_exits_2(tmp_path, monkeypatch, capsys):
    from geo_app.cli import main

    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(tmp_path) else real_access(p, mode))
    assert main(["brief", "--kommun", "1282", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "not writable" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    class RenameError(Exception):
        pass

    def failing_replace(src, dst):
        raise RenameError(f"{src} → {dst}")

    target = tmp_path / "x.pdf"
    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(RenameError):
        rb.write_atomic(target, b"%PDF-1.7 half")
    assert list(tmp_path.iterdir()) == []


def test_cli_one_brief_to_a_file(tmp_path, empty_user):
    out = tmp_path / "landskrona.html"
    proc = cli("--kommun", "1282", "--as-of", "2025-07-01", "--out", str(out), env_dir=empty_user)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text("utf-8")
    assert "Landskrona kommun – lägesbild" in html and "Närvaro per 2025-07-01" in html
    assert [p.name for p in tmp_path.iterdir()] == ["landskrona.html"]  # no temporary file left


@pytest.mark.slow
def test_cli_batch_writes_one_pdf_per_kommun_of_vastra_gotaland(tmp_path, empty_user):
    proc = cli("--all-in-lan", "14", "--as-of", "2025-07-01", "--out", str(tmp_path), env_dir=empty_user)
    assert proc.returncode == 0, proc.stderr
    files = sorted(tmp_path.iterdir())
    kommuner = load_bundle(user_dir=empty_user).kommun
    expected = sorted(kommuner.index[kommuner["lanskod"] == "14"])
    assert len(files) == len(expected) == 49
    assert [f.name for f in files] == [f"lagesbild_kommun_{c}_2025-07-01.pdf" for c in expected]
    assert all(f.read_bytes()[:5] == b"%PDF-" for f in files)
    assert "49/49" in proc.stderr  # the progress bar got to the end
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(files[0]), "-"], capture_output=True, text=True).stdout
        assert kommuner.at[expected[0], "kommunnamn"] in text


def test_type_table_numbers_formatted_swedish(landskrona):
    brief, _ = landskrona
    people = [r[2] for r in brief.types.rows]
    assert any("\xa0" in p for p in people)  # thousands separated the Swedish way
    assert pd.Series([p.replace("\xa0", "") for p in people]).str.fullmatch(r"\d+").all()


def test_png_of_the_map_is_an_image(landskrona):
    brief, _ = landskrona
    img = Image.open(io.BytesIO(brief.map_png))
    assert img.format == "PNG" and img.width > 600
