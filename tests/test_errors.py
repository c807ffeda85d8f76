from geo_app.errors import FEATURES, TABLE_ROWS, InputError, LimitError, ValidationError, where


def test_where_counts_table_rows_after_the_header_and_features_from_one():
    assert where("a.csv", 0, "andel") == "a.csv: row 2, column 'andel'"
    assert where("a.csv", 5) == "a.csv: row 7"
    assert where("k.geojson", 0, origin=FEATURES) == "k.geojson: feature 1"
    assert where("a.csv", column="x") == "a.csv: column 'x'"
    assert where("a.csv") == "a.csv"
    assert TABLE_ROWS.number(0) == 2 and FEATURES.number(0) == 1


def test_hierarchy_lets_callers_tell_cases_apart_and_still_exit_2():
    assert issubclass(LimitError, InputError) and issubclass(ValidationError, InputError)
    assert not issubclass(LimitError, ValidationError)
