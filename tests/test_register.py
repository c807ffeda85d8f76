"""The dated presence register: status reading, as-of queries, honest unknowns, real-build invariants."""

import json
from datetime import date, timedelta

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo_app import cli
from geo_app.analysis import gaps, register
from geo_app.data import loaders
from geo_app.data.paths import EMBEDDED_DATA_DIR
from geo_app.dates import parse_day
from geo_app.errors import InputError
from tests.helpers import snapshot, write

COLUMNS = list(register.EVENT_COLUMNS)


def events(*rows):
    """Hand-written events: (name, event, event_date, source_date[, note]) for one AF office in kommun 0001."""
    out = []
    for i, (name, event, when, source_date, *note) in enumerate(rows):
        out.append(
            {
                "agency": "af",
                "name": name,
                "place": name,
                "kommun_kod": "0001",
                "kommun_namn": "Ett",
                "address": "",
                "event": event,
                "event_date": when,
                "source_url": f"https://example.org/{i}",
                "source_date": source_date,
                "source_title": "",
                "confidence": "high",
                "note": note[0] if note else "",
            }
        )
    return register.check_events(pd.DataFrame(out, columns=COLUMNS), "test.csv")


def status(periods, day):
    on = register.status_as_of(periods, date.fromisoformat(day))
    return dict(zip(on["name"], on["status"], strict=True))


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2025-01-07", (date(2025, 1, 7), date(2025, 1, 8))),
        ("2025-01", (date(2025, 1, 1), date(2025, 2, 1))),
        ("2025-12", (date(2025, 12, 1), date(2026, 1, 1))),
        ("2024", (date(2024, 1, 1), date(2025, 1, 1))),
        ("", None),
    ],
)
def test_date_forms(text, span):
    assert register.parse_when(text) == span


@pytest.mark.parametrize("bad", ["2025-13", "2025-02-30", "våren 2025", "25-01-01", "2025/01/01"])
def test_dates_that_are_not_dates_are_refused(bad):
    with pytest.raises(InputError, match="not a date"):
        register.parse_when(bad)


def test_a_closure_dated_with_a_month_or_a_year_is_uncertain_inside_it_and_closed_after():
    p = register.build_periods(
        events(
            ("AF Månad", "closed", "2025-01", "2025-04-10"),
            ("AF År", "closed", "2024", "2026-02-01"),
            ("AF Dag", "closed", "2025-03-14", "2025-03-20"),
        )
    )
    assert status(p, "2024-12-31")["AF Månad"] == "open"
    assert status(p, "2025-01-01")["AF Månad"] == "uncertain" and status(p, "2025-01-31")["AF Månad"] == "uncertain"
    assert status(p, "2025-02-01")["AF Månad"] == "closed"
    assert status(p, "2023-12-31")["AF År"] == "open" and status(p, "2024-06-01")["AF År"] == "uncertain"
    assert status(p, "2025-01-01")["AF År"] == "closed"
    assert status(p, "2025-03-13")["AF Dag"] == "open" and status(p, "2025-03-14")["AF Dag"] == "closed"


def test_closed_stated_on_the_sources_date_is_closed_no_later_than_that_date():
    # Piteå: a source of 2025-06-02 says the servicekontor closed "already in spring 2025" (dated 2025).
    p = register.build_periods(
        events(("SK Piteå", "exists", "2024", "2024-05-01"), ("SK Piteå", "closed", "2025", "2025-06-02"))
    )
    assert status(p, "2024-12-31")["SK Piteå"] == "open"
    assert status(p, "2025-03-01")["SK Piteå"] == "uncertain"  # never "open" inside the interval
    assert status(p, "2025-06-01")["SK Piteå"] == "uncertain"
    assert status(p, "2025-06-02")["SK Piteå"] == "closed"  # the source's own date, not the year's end
    assert status(p, "2025-12-31")["SK Piteå"] == "closed"
    assert register.event_bounds("2025", "2025-06-02") == (date(2025, 1, 1), date(2025, 6, 2))
    assert register.event_bounds("2025-01", "2025-04-10") == (date(2025, 1, 1), date(2025, 2, 1))
    assert register.event_bounds("", "2025-04-10") == (date(2025, 4, 10), date(2025, 4, 10))
    assert register.event_bounds("", "") is None


def test_a_closure_planned_for_a_year_is_closing_then_uncertain_inside_the_year():
    p = register.build_periods(events(("AF Plan", "closing_decided", "2020", "2019-03-28")))
    assert status(p, "2019-03-27")["AF Plan"] == "open"
    assert status(p, "2019-10-01")["AF Plan"] == "closing"
    assert status(p, "2020-05-01")["AF Plan"] == "uncertain" and status(p, "2020-12-31")["AF Plan"] == "uncertain"
    assert status(p, "2021-01-01")["AF Plan"] == "closed" and not bool(p["closed_presumed"].iloc[0])


def test_closed_since_in_the_note_gives_the_exact_day():
    assert register.closed_since("'stängt sedan årsskiftet' 2024/2025") == date(2025, 1, 1)  # as a source quoted it
    assert register.closed_since("stängt sedan årsskiftet") is None  # which one? not a date
    assert register.closed_since("stängt sedan årsskiftet 2024/2025") == date(2025, 1, 1)
    assert register.closed_since("Kontoret är stängt sedan 2023-05-02.") == date(2023, 5, 2)
    assert register.closed_since("stängt sedan mars 2024") == date(2024, 3, 1)
    p = register.build_periods(
        events(("AF Norr", "closed", "2025-01", "2025-04-10", "stängt sedan årsskiftet 2024/2025"))
    )
    assert status(p, "2024-12-31")["AF Norr"] == "open" and status(p, "2025-01-01")["AF Norr"] == "closed"


def test_decided_closure_with_a_last_day_then_closed():
    p = register.build_periods(events(("SK Arvika", "closing_decided", "2025-05-30", "2025-04-10")))
    assert status(p, "2025-04-09")["SK Arvika"] == "open"
    assert status(p, "2025-04-10")["SK Arvika"] == "closing"
    assert status(p, "2025-05-30")["SK Arvika"] == "closing"  # the planned last day is still open
    assert status(p, "2025-05-31")["SK Arvika"] == "closed"


def test_undated_decision_is_presumed_carried_out_by_the_end_of_the_next_year():
    p = register.build_periods(events(("AF Bålsta", "closing_decided", "", "2015-12")))
    assert status(p, "2016-06-01")["AF Bålsta"] == "uncertain"  # it may have closed any day since
    assert status(p, "2017-01-01")["AF Bålsta"] == "closed"
    assert bool(p["closed_presumed"].iloc[0])


def test_later_evidence_supersedes_a_closure_decision_and_says_so():
    p = register.build_periods(
        events(
            ("AF Hagfors", "exists", "2018", "2018"),
            ("AF Hagfors", "closing_decided", "", "2019-03-28"),
            ("AF Hagfors", "kept", "2020-06-15", "2020-06-15"),
        )
    )
    assert status(p, "2019-06-01")["AF Hagfors"] == "closing"  # in hindsight it never closed
    assert status(p, "2026-06-01")["AF Hagfors"] == "open"  # not presumed closed: the later source wins
    assert "upphävt av kept 2020-06-15" in p["conflict"].iloc[0]


def test_a_presumed_closure_yields_to_later_evidence_that_the_office_is_open():
    p = register.build_periods(
        events(("AF Väst", "closing_decided", "", "2019-03-28"), ("AF Väst", "exists", "2022-05", "2022-05-20"))
    )
    assert status(p, "2021-06-01")["AF Väst"] == "closing" and status(p, "2023-01-01")["AF Väst"] == "open"
    assert p["conflict"].iloc[0]


def test_reopened_after_an_explicit_closure_is_a_new_period():
    p = register.build_periods(
        events(
            ("AF Hallsberg", "closed", "2020-01", "2020-01-07"), ("AF Hallsberg", "kept", "2020-06-15", "2020-06-15")
        )
    )
    assert list(p["period"]) == [1, 2]
    assert status(p, "2019-12-01")["AF Hallsberg"] == "open"
    assert status(p, "2020-03-01")["AF Hallsberg"] == "closed"
    assert status(p, "2020-07-01")["AF Hallsberg"] == "open"


def test_plans_never_open_an_office_and_an_opening_is_not_open_before_it_opened():
    p = register.build_periods(
        events(
            ("SK Laholm (nytt, fas 1)", "planned", "2022", "2021-09-29"),
            ("SK Laholm", "opened", "2022-05-24", "2022-05-24"),
            ("SK Åre (nytt, fas 1)", "planned", "2022", "2021-09-29"),
        )
    )
    assert len(p) == 2  # the plan and the office that opened are one office
    assert status(p, "2021-01-01") == {}
    assert status(p, "2022-01-01") == {"SK Laholm": "planned", "SK Åre": "planned"}
    assert status(p, "2022-05-24")["SK Laholm"] == "open"
    assert status(p, "2030-01-01")["SK Åre"] == "planned"  # never confirmed


def test_an_opening_dated_with_a_year_counts_from_the_next_year():
    p = register.build_periods(events(("SK Ny", "opened", "2023", "2024-02-01")))
    assert status(p, "2023-12-31") == {} and status(p, "2024-01-01")["SK Ny"] == "open"


def test_as_of_dates_outside_2015_2035_are_refused():
    assert register.check_as_of(date(2015, 1, 1)) == date(2015, 1, 1)
    for bad in (date(2014, 12, 31), date(2036, 1, 1)):
        with pytest.raises(InputError):
            register.check_as_of(bad)
    for text in ("igår", "2025-02-30"):  # text is parsed once, where it enters (CLI, URL, brief)
        with pytest.raises(InputError, match="expected a date"):
            parse_day(text)
    with pytest.raises(TypeError):
        register.check_as_of("2015-01-01")  # type: ignore[arg-type]


def test_events_files_are_checked_with_file_row_and_column():
    good = events(("AF X", "exists", "2020", "2020")).to_dict("records")[0]
    for column, value, message in (
        ("event_date", "2020-13", "af_events_round2.csv: row 3, column 'event_date': "),
        ("event", "reopened", "af_events_round2.csv: row 3, column 'event': 'reopened' is not one of"),
        ("kommun_kod", "Ale", "af_events_round2.csv: row 3, column 'kommun_kod': 'Ale' is not a kommun code"),
        ("agency", "fk", "af_events_round2.csv: row 3, column 'agency': 'fk' is not af or ssc"),
    ):
        bad = pd.DataFrame([good, {**good, column: value}], columns=COLUMNS)
        with pytest.raises(InputError) as info:
            register.check_events(bad, "af_events_round2.csv")
        assert str(info.value).startswith(message)


# --- honest unknowns -------------------------------------------------------------------------------


@pytest.fixture()
def three_kommuner():
    """Kommun 0001 with an AF office; 0002 known to have none (a source says so); 0003 unknown.

    Each kommun is one 1 km area on a line, 100 km apart (so neighbours never matter here), all type 1.
    """
    geoms = [box(0, 0, 1000, 1000), box(100_000, 0, 101_000, 1000), box(200_000, 0, 201_000, 1000)]
    areas = gpd.GeoDataFrame(
        {
            "regsonamn": ["A", "B", "C"],
            "kommunkod": ["0001", "0002", "0003"],
            "kommunnamn": ["Ett", "Två", "Tre"],
            "lanskod": ["01", "01", "01"],
            "omradestyp_2023": [1, 1, 1],
            "folkmangd_2023": [100, 200, 300],
        },
        geometry=geoms,
        index=pd.Index(["A", "B", "C"], name="regsokod"),
        crs="EPSG:3006",
    )
    offices = gpd.GeoDataFrame(
        {"name": ["AF Ett"], "agency": ["af"], "status": ["open"], "kommunkod": ["0001"]},
        geometry=gpd.points_from_xy([30_500], [500]),  # 30 km from A
        crs="EPSG:3006",
    )
    facts = pd.DataFrame(
        {"kommunkod": ["0002"], "attribute": ["no_af_office"], "event_date": ["2020"], "source_date": ["2020-10-23"]}
    )
    return areas, offices, facts


def test_states_known_none_unknown(three_kommuner):
    areas, offices, facts = three_kommuner
    states = register.kommun_states(offices, facts, pd.Index(["0001", "0002", "0003"]), date(2024, 1, 1))
    assert states["af"].tolist() == ["known", "none", "unknown"]
    before = register.kommun_states(offices, facts, pd.Index(["0001", "0002", "0003"]), date(2020, 6, 1))
    assert before["af"].tolist() == ["known", "unknown", "unknown"]  # "2020": certain from 2021-01-01
    complete = register.kommun_states(
        offices, facts, pd.Index(["0001", "0002", "0003"]), date(2024, 1, 1), {"af": "2023-06-01"}
    )
    assert complete["af"].tolist() == ["known", "none", "none"]


def test_areas_in_a_kommun_with_unknown_presence_are_never_gaps(three_kommuner):
    areas, offices, facts = three_kommuner
    states = register.kommun_states(offices, facts, areas["kommunkod"].unique(), date(2024, 1, 1))
    rule = gaps.GapRule(year=2023, types=(1,), agencies=("af",), max_km=20.0)
    result = gaps.analyse(areas, offices, rule, states=states)
    # A: 30 km from a known office in a kommun whose presence is known → gap; B: none known, source says
    # none → gap; C: far from any known office, but its kommun is unknown → presence unknown, not a gap.
    assert result.gap.to_dict() == {"A": True, "B": True, "C": False}
    assert result.unknown.to_dict() == {"A": False, "B": False, "C": True}
    assert list(result.unknown_areas.index) == ["C"] and "C" not in result.areas.index
    assert result.summary() == {
        "kommuner": 3, "areas": 3, "gaps": 2, "unknown": 1, "gap_kommuner": 2, "unknown_kommuner": 1
    }  # fmt: skip
    assert result.kommuner.loc["0003", "unknown"] == 1 and result.kommuner.loc["0003", "state_af"] == "unknown"
    # Without states (an imported complete list, or the old behaviour), C is a gap.
    assert gaps.analyse(areas, offices, rule).gap.to_dict() == {"A": True, "B": True, "C": True}


def test_an_unknown_neighbour_within_the_distance_makes_an_area_unknown(three_kommuner):
    areas, offices, facts = three_kommuner
    # Move kommun 0003's area next to B (5 km away): an office there that the register does not know
    # could be nearer than 20 km to B, so B is not a gap either.
    areas = areas.copy()
    areas.loc["C", "geometry"] = box(106_000, 0, 107_000, 1000)
    states = register.kommun_states(offices, facts, areas["kommunkod"].unique(), date(2024, 1, 1))
    result = gaps.analyse(areas, offices, gaps.GapRule(year=2023, types=(1,), agencies=("af",)), states=states)
    assert result.gap.to_dict() == {"A": True, "B": False, "C": False}
    assert result.unknown.to_dict() == {"A": False, "B": True, "C": True}
    # An agency without states (e.g. imported "other" offices) counts as known: nothing is unknown.
    rule = gaps.GapRule(year=2023, types=(1,), agencies=("other",))
    other = gaps.analyse(areas, offices, rule, states=states[["af"]])
    assert not other.unknown.any() and other.gap.all()


# --- as-of queries on a small fixture ------------------------------------------------------------------


def test_as_of_queries_on_a_fixture(tmp_path, monkeypatch):
    p = register.build_periods(
        events(
            ("AF Stad", "exists", "2018", "2018"),
            ("SK Syd", "opened", "2021-03-01", "2021-03-01"),
            ("SK Syd", "closing_decided", "2025-06-13", "2025-04-10"),
        )
    ).assign(precision="town", regsokod="A", kommunnamn="Ett")
    p.loc[p["name"] == "SK Syd", "agency"] = "ssc"
    reg = gpd.GeoDataFrame(p, geometry=gpd.points_from_xy([0, 10_000], [0, 0]), crs="EPSG:3006")
    reg.to_parquet(tmp_path / "presence_register.parquet")
    user = tmp_path / "user"
    on = {
        d: loaders.load_presence(parse_day(d), data_dir=tmp_path, user_dir=user)
        for d in ("2020-01-01", "2023-01-01", "2026-06-01")
    }
    assert on["2020-01-01"]["name"].tolist() == ["AF Stad"]
    assert dict(zip(on["2023-01-01"]["name"], on["2023-01-01"]["status"], strict=True)) == {
        "AF Stad": "open",
        "SK Syd": "open",
    }
    assert on["2026-06-01"].set_index("name").loc["SK Syd", "status"] == "closed"
    assert on["2026-06-01"].attrs["as_of"] == "2026-06-01"
    with pytest.raises(InputError, match="outside 2015–2035"):
        loaders.load_presence(date(2040, 1, 1), data_dir=tmp_path, user_dir=user)


# --- the real build -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return loaders.load_register()


def test_every_register_row_is_sourced(real):
    assert len(real) > 250 and real.index.is_unique
    assert (real["n_sources"] >= 1).all()
    assert real["source_url"].str.startswith("http").all()
    assert real["sources"].str.contains("http").all()
    for col in ("opened", "closed", "closing_decided"):
        dated = real[real[col] != ""]
        assert dated[f"{col}_source"].str.startswith("http").all(), col
    assert set(real["agency"]) == {"af", "ssc", "kommun"}
    assert real["regsokod"].notna().all() and real.crs.to_epsg() == 3006


@pytest.mark.parametrize("day", ["2020-12-31", "2023-01-01", "2026-12-06"])
def test_every_known_none_has_its_source_and_no_office_is_open_past_its_sources_closure(day, user_dir):
    as_of = date.fromisoformat(day)
    evidence = loaders.load_presence_evidence(as_of, user_dir=user_dir)
    none = evidence[evidence["state"] == "none"]
    assert len(none) > 0 and none["source_url"].str.startswith("http").all()
    assert set(none["reason"]) <= {"fact", "closed", "complete_list"}
    known = evidence[evidence["state"] == "known"]
    assert (known["reason"] == "office").all() and (known["detail"] != "").all()
    # never "open" past the day a source says it had certainly closed
    on = loaders.load_presence(as_of, user_dir=user_dir)
    embedded = on[on["closed_from"].fillna("") != ""]
    assert not ((embedded["status"] == "open") & (embedded["closed_from"] <= day)).any()


def test_no_office_is_open_before_it_opened_or_after_it_closed(real):
    opened = real[real["opened"] != ""]
    assert len(opened) > 10
    for p in opened.itertuples():
        day = date.fromisoformat(p.open_from)
        before = register.period_status(opened.loc[[p.Index]], day - timedelta(days=1)).iloc[0]
        assert before in ("", "planned"), p.Index
        assert register.period_status(opened.loc[[p.Index]], day).iloc[0] in ("open", "closing", "closed")
    closed = real[(real["closed_from"] != "") & real["confirmed"]]
    for p in closed.itertuples():
        assert register.period_status(closed.loc[[p.Index]], date.fromisoformat(p.closed_from)).iloc[0] == "closed"
    assert (
        real.loc[real["open_from"] != "", "open_from"]
        <= real.loc[real["open_from"] != "", "closed_from"].replace("", "9999")
    ).all()


def test_build_report_has_counts_per_agency_and_year_and_the_completeness_table():
    report = json.loads((EMBEDDED_DATA_DIR / "build_report.json").read_text())["presence"]
    by_year = report["by_year"]
    assert set(by_year) == {str(y) for y in range(2015, 2027)}
    assert {"af", "ssc", "kommun"} == set(by_year["2024"]) and by_year["2024"]["ssc"]["offices"] > 50
    # The 2025 closure decisions show: fewer servicekontor at the end of 2025 than of 2024.
    assert by_year["2025"]["ssc"]["offices"] < by_year["2024"]["ssc"]["offices"]
    table = loaders.load_completeness()
    assert {"af", "ssc"} == set(table["agency"]) and table["source_url"].str.startswith("http").all()
    row = table[(table["agency"] == "ssc") & (table["date"] == "2024-12-31")].iloc[0]
    assert row["published"] == "148" and row["register_offices"] == by_year["2024"]["ssc"]["offices"]


@pytest.mark.parametrize(
    ("kommun", "agency"),
    [
        ("0180", "af"),  # Stockholm
        ("0180", "ssc"),
        ("1480", "af"),  # Göteborg
        ("1480", "ssc"),
        ("1280", "af"),  # Malmö
        ("1280", "ssc"),
        ("0380", "af"),  # Uppsala
        ("1980", "af"),  # Västerås
        ("1980", "ssc"),
        ("2081", "af"),  # Borlänge
        ("2081", "ssc"),
        ("1780", "af"),  # Karlstad
    ],
)
def test_big_cities_have_the_presence_public_sources_show(kommun, agency, user_dir):
    offices = loaders.load_presence(date(2026, 6, 1), user_dir=user_dir)
    here = offices[(offices["kommunkod"] == kommun) & (offices["agency"] == agency)]
    assert here["status"].isin(("open", "closing")).any()


def test_bollnas_servicekontor_closed_in_2025_and_the_gap_page_says_what_is_known(user_dir):
    offices = loaders.load_presence(date(2026, 6, 1), user_dir=user_dir)
    bollnas = offices[(offices["kommunkod"] == "2183") & (offices["agency"] == "ssc")]
    assert set(bollnas["status"]) == {"closed"}
    assert loaders.load_presence(date(2024, 6, 1)).loc[bollnas.index, "status"].eq("open").all()
    states = loaders.load_presence_states(date(2026, 6, 1), user_dir=user_dir)
    assert states.loc["2183", "ssc"] == "none"  # the sourced closure of its only servicekontor


# --- CLI and imports ------------------------------------------------------------------------------


def test_offices_command_lists_the_register_on_a_date(capsys, user_dir):
    assert cli.main(["offices", "--as-of", "2026-06-01", "--agency", "ssc"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0].split(",")
    assert header[1:10] == [
        "agency",
        "name",
        "kommunkod",
        "kommunnamn",
        "status",
        "opened",
        "closed",
        "precision",
        "source",
    ]
    assert "Servicekontor Arvika,1784,Arvika,closed,,2025-05-30" in out
    assert cli.main(["offices", "--as-of", "2025-01-01", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["data"]
    arvika = next(r for r in rows if r["office_id"] == "ssc-1784-servicekontor_arvika")
    assert arvika["status"] == "open" and {r["agency"] for r in rows} == {"af", "ssc", "kommun"}
    for bad in (["--as-of", "2014-06-01"], ["--as-of", "1 juni"]):
        assert cli.main(["offices", *bad]) == 2
    assert "2014-06-01" in capsys.readouterr().err


def test_offices_unknown_lists_the_kommuner_where_presence_is_unknown_and_why(capsys, user_dir):
    assert cli.main(["offices", "--unknown", "--as-of", "2026-06-01", "--agency", "af", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["data"]
    states = loaders.load_presence_states(date(2026, 6, 1), user_dir=user_dir)
    assert sorted(r["kommunkod"] for r in rows) == sorted(states.index[states["af"] == "unknown"])
    assert {r["agency"] for r in rows} == {"af"} and {r["state"] for r in rows} == {"unknown"}
    assert {r["reason"] for r in rows} <= {"no_facts", "uncertain", "presumed"}
    # a known none has its source; a known office is not listed
    evidence = loaders.load_presence_evidence(date(2026, 6, 1), user_dir=user_dir)
    none = evidence[evidence["state"] == "none"]
    assert (none["reason"] == "imported_list").any() or (none["source_url"].str.startswith("http")).all()
    assert "2183" not in {r["kommunkod"] for r in rows if r["agency"] == "ssc"}


def test_gaps_and_export_take_as_of(tmp_path, capsys, user_dir):
    assert cli.main(["gaps", "--as-of", "2023-01-01", "--by", "unknown", "--out", str(tmp_path / "u.csv")]) == 0
    assert "as of 2023-01-01" in capsys.readouterr().err
    unknown = pd.read_csv(tmp_path / "u.csv", dtype={"regsokod": str})
    assert len(unknown) > 0 and (unknown["dist_km_any"] > 20).all()
    assert cli.main(["gaps", "--as-of", "2036-01-01"]) == 2
    assert cli.main(["export", str(tmp_path / "x.gpkg"), "--as-of", "2036-01-01"]) == 2
    assert not (tmp_path / "x.gpkg").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"namn,kommun,datum\nAF Ale,Ale,2025-02-30\n", "row 2, column 'datum': not a date"),
        (b"namn,kommun,oppnat,stangt\nAF Ale,Ale,2021-05-01,2020-01\n", "row 2, column 'stangt': closing date 2020-01"),
        (b"namn,kommun,avtal\nKommun Ale,Ale,kanske\n", "row 2, column 'avtal'"),
    ],
)
def test_bad_dates_in_office_imports_exit_2_and_leave_data_unchanged(tmp_path, user_dir, capsys, content, message):
    before = snapshot(user_dir)
    f = write(tmp_path, "lista.csv", content)
    assert cli.main(["import", "offices", str(f), "--agency", "kommun"]) == 2
    err = capsys.readouterr().err
    assert message in err and "lista.csv" in err and "Traceback" not in err
    assert snapshot(user_dir) == before


def test_list_date_outside_range_exit_2(tmp_path, user_dir, capsys):
    f = write(tmp_path, "ssc.csv", b"namn,lat,lon\nSK Kiruna,67.8558,20.2253\n")
    assert cli.main(["import", "offices", str(f), "--agency", "ssc", "--replace", "--list-date", "2040-01-01"]) == 2
    assert "--list-date" in capsys.readouterr().err and snapshot(user_dir) == {}


def test_collaboration_import_and_complete_list(tmp_path, user_dir):
    # Kommun collaboration points with agreement status, through the office import.
    f = write(
        tmp_path,
        "samverkan.csv",
        "namn,kommun,avtal,öppnat\nKommunens jobbcenter Sorsele,Sorsele,ja,2021-03\n".encode(),
    )
    assert cli.main(["import", "offices", str(f), "--agency", "kommun"]) == 0
    on = loaders.load_presence(date(2022, 1, 1), user_dir=user_dir)
    row = on[on["name"] == "Kommunens jobbcenter Sorsele"].iloc[0]
    assert row["agency"] == "kommun" and row["kommunkod"] == "2422" and row["agreement"] == "yes"
    assert "Kommunens jobbcenter Sorsele" not in set(loaders.load_presence(date(2021, 2, 1), user_dir=user_dir)["name"])
    assert loaders.load_presence_states(date(2022, 1, 1), user_dir=user_dir).loc["2422", "kommun"] == "known"
    # A complete SSC list from 2026-01-01: kommuner without an SSC office in it are "none" from that day.
    g = write(tmp_path, "ssc.csv", b"namn,lat,lon\nSK Kiruna,67.8558,20.2253\n")
    args = ["import", "offices", str(g), "--agency", "ssc", "--replace", "--list-date", "2026-01-01"]
    assert cli.main(args) == 0
    states = loaders.load_presence_states(date(2026, 6, 1), user_dir=user_dir)
    assert states.loc["2584", "ssc"] == "known" and (states["ssc"] != "unknown").all()
    assert (loaders.load_presence_states(date(2025, 6, 1), user_dir=user_dir)["ssc"] == "unknown").any()


def test_a_published_count_the_register_reaches_makes_every_other_kommun_known_none():
    rows = [("af", f"AF {kommun}", kommun, "exists", "2019", "2019-05-01") for kommun in ["0001", "0002", "0003"]]
    rows.append(("af", "AF 0003", "0003", "closed", "2021-03-01", "2021-03-02"))
    ev = pd.DataFrame(
        [
            dict.fromkeys(COLUMNS, "")
            | {"agency": a, "name": n, "place": n, "kommun_kod": k, "kommun_namn": k, "event": e}
            | {"event_date": d, "source_date": s, "source_url": f"https://example.org/{i}", "confidence": "high"}
            for i, (a, n, k, e, d, s) in enumerate(rows)
        ],
        columns=COLUMNS,
    )
    periods = register.build_periods(register.check_events(ev, "t.csv"))
    published = pd.DataFrame(
        {
            "agency": ["af", "af"],
            "date": ["2020-12-31", "2020-06-01"],
            "count": ["3", "10"],
            "kommuner": ["", ""],
            "what": ["", ""],
            "source_url": ["https://example.org/list", "https://example.org/ten"],
            "source_date": ["2021-01-10", "2020-06-01"],
        }
    )
    table = register.completeness(periods, published)
    assert table["complete"].tolist() == [True, False]  # 3 of 3 named; 3 of 10 is not a complete list
    lists = register.register_lists(periods, table)
    assert [(c.day, sorted(c.kommuner)) for c in lists] == [("2020-12-31", ["0001", "0002", "0003"])]
    kommuner = pd.Index(["0001", "0002", "0003", "0004", "0005"])
    known = register.KnownLists(register=lists)

    def states(day):
        on = register.status_as_of(periods, date.fromisoformat(day))
        return register.kommun_states(on, None, kommuner, date.fromisoformat(day), known)["af"].tolist()

    assert states("2020-12-30") == ["known", "known", "known", "unknown", "unknown"]  # before the list
    assert states("2021-01-01") == ["known", "known", "known", "none", "none"]
    # After the list: 0003's office closed by a sourced closure → none; 0004/0005 still none.
    assert states("2022-01-01") == ["known", "known", "none", "none", "none"]
    on = register.status_as_of(periods, date(2021, 1, 1))
    why = register.kommun_evidence(on, None, kommuner, date(2021, 1, 1), known).set_index(["agency", "kommunkod"])
    assert why.loc[("af", "0004"), "reason"] == "complete_list"
    assert why.loc[("af", "0004"), "source_url"] == "https://example.org/list"
    assert why.loc[("af", "0004"), "since"] == "2020-12-31"
    assert why.loc[("af", "0001"), "reason"] == "office" and why.loc[("af", "0001"), "detail"] == "AF 0001"
    assert why.loc[("ssc", "0001"), "reason"] == "no_facts"  # no list for SSC: unknown, and why


def test_an_office_that_may_have_closed_leaves_its_kommun_unknown():
    p = register.build_periods(events(("AF Ett", "closed", "2025", "2025-06-02")))
    on = register.status_as_of(p, date(2025, 3, 1))
    why = register.kommun_evidence(on, None, pd.Index(["0001"]), date(2025, 3, 1)).set_index("agency")
    assert (why.loc["af", "state"], why.loc["af", "reason"]) == ("unknown", "uncertain")
    on = register.status_as_of(p, date(2025, 7, 1))
    assert register.kommun_states(on, None, pd.Index(["0001"]), date(2025, 7, 1))["af"].tolist() == ["none"]


@pytest.mark.parametrize(
    ("register_n", "published", "reached"),
    [(112, "112", True), (117, "112", True), (118, "112", False), (111, "112", False), (115, "110–115", True)],
)
def test_a_count_is_reached_at_its_top_and_at_most_5_percent_above(register_n, published, reached):
    assert register.reaches(register_n, published) is reached


def test_a_later_source_dating_an_undated_decision_keeps_it_uncertain_from_the_decision():
    # Af 2019-03-28: closing (undated, "2019–2020"); Af 2020-06-15: the plan is done by the end of 2020.
    p = register.build_periods(
        events(("AF Ort", "closing_decided", "", "2019-03-28"), ("AF Ort", "closing_decided", "2020", "2020-06-15"))
    )
    assert status(p, "2019-03-27")["AF Ort"] == "open"
    assert status(p, "2019-10-01")["AF Ort"] == "uncertain" and status(p, "2020-12-31")["AF Ort"] == "uncertain"
    assert status(p, "2021-01-01")["AF Ort"] == "closed" and not bool(p["closed_presumed"].iloc[0])


def test_a_later_undated_word_on_a_planned_closure_keeps_the_plan():
    p = register.build_periods(
        events(("AF Ort", "closing_decided", "2020", "2020-06-15"), ("AF Ort", "closing_decided", "", "2020-10"))
    )
    assert status(p, "2021-01-01")["AF Ort"] == "closed" and not bool(p["closed_presumed"].iloc[0])
    assert p["closing_decided_source"].iloc[0] == "https://example.org/0"  # the source that gave the date
