"""Dated data: memberships and deployments as of a date (coverage.dated, issue 23)."""

from __future__ import annotations

import datetime as dt

import pytest

from coverage import dated
from coverage.dated import Day
from coverage.errors import DataError, ParameterError
from coverage.systems import load_catalog
from coverage.targets import load_definitions, load_targets, load_territories

CLAIM_DAY = "2018-02-05"  # Grybauskaite at Rukla


@pytest.fixture(scope="module")
def defs():
    return load_definitions()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


# ---------------------------------------------------------------- Day


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2018-02-05", dt.date(2018, 2, 5), dt.date(2018, 2, 5), "day"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
        ("2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31), "year"),
    ],
)
def test_day__covers_its_period(text, first, last, precision):
    day = Day.parse(text)
    assert (day.first, day.last, day.precision, str(day)) == (first, last, precision, text)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2018-02-30", "not a real date"),
        ("5 Feb 2018", "is not a date; give YYYY-MM-DD"),
        ("1850", "before 1900"),
        (20180205, "got int"),
    ],
)
def test_day__refuses_what_is_not_a_date_in_one_line_naming_the_parameter(value, words):
    with pytest.raises(ParameterError) as err:
        Day.parse(value, parameter="as_of")
    assert str(err.value).startswith("as_of: ") and words in str(err.value)
    assert "\n" not in str(err.value) and err.value.parameter == "as_of"


def test_as_of__none_is_today_and_a_date_is_taken_as_it_is():
    assert dated.as_of(None).first == dt.datetime.now(dt.timezone.utc).date()
    assert dated.as_of(dt.date(2018, 2, 5)).text == CLAIM_DAY


# ---------------------------------------------------------------- memberships


def test_members__eu_on_the_claim_day_has_28_with_the_united_kingdom(defs):
    eu = dated.members("eu", CLAIM_DAY, definitions=defs)
    assert len(eu) == 28 and "GB" in eu
    # The UK was a member to the end of 2020-01-31 and not from 2020-02-01.
    assert "GB" in dated.members("eu", "2020-01-31")
    assert "GB" not in dated.members("eu", "2020-02-01")
    assert dated.members("eu") == set(defs["eu27"].members)  # today's list is eu27


@pytest.mark.parametrize(
    ("definition", "day", "count", "present", "absent"),
    [
        ("nato-europe", CLAIM_DAY, 27, {"ME", "AL"}, {"MK", "FI", "SE"}),
        ("nato-europe", "2020-03-27", 28, {"MK"}, {"FI"}),
        ("nato-europe", "2023-04-04", 29, {"FI"}, {"SE"}),
        ("nato-europe", "2017-06-04", 26, set(), {"ME"}),
        ("council-of-europe", CLAIM_DAY, 47, {"RU"}, set()),
        ("council-of-europe", "2022-03-15", 47, {"RU"}, set()),
        ("council-of-europe", "2022-03-16", 46, set(), {"RU"}),
        ("un-europe", "2006-06-27", 43, {"RS"}, {"ME"}),
        ("eu", "2004-04-30", 15, {"GB"}, {"PL"}),
    ],
)
def test_members__follow_each_sourced_accession_and_departure(
    defs, definition, day, count, present, absent
):
    now = dated.members(definition, day, definitions=defs)
    assert len(now) == count and present <= now and not absent & now


def test_members__a_fixed_list_is_the_same_at_every_date(defs):
    assert dated.members("eu27", "1990-01-01") == set(defs["eu27"].members)
    assert not defs["eu27"].dated and defs["eu"].dated


def test_members__before_the_sourced_history_is_refused(defs):
    with pytest.raises(
        ParameterError, match="before the history of definition 'council-of-europe'"
    ):
        dated.members("council-of-europe", "1980")


def test_history__every_dated_spell_names_a_source_of_its_definition(defs):
    for d in defs.values():
        for spell in d.history or ():
            if spell.since or spell.until:
                assert d.sources[spell.source].url.startswith("http"), (d.id, spell.member)


def test_changes__say_what_todays_lists_change_against_the_claim_day(defs):
    coe = dated.changes(defs["council-of-europe"], CLAIM_DAY, "2026-01-01")
    assert (coe.left, coe.joined, coe.count_before, coe.count_after) == (("RU",), (), 47, 46)
    nato = dated.changes(defs["nato-europe"], CLAIM_DAY, "2026-01-01")
    assert nato.joined == ("FI", "MK", "SE") and bool(nato)
    assert not dated.changes(defs["un-europe"], CLAIM_DAY, "2026-01-01")


def test_on__a_dated_copy_carries_the_day_the_count_and_the_last_change(defs):
    eu = defs["eu"].on(Day.parse(CLAIM_DAY))
    assert (eu.count, eu.as_of, eu.day.text) == (28, "2013-07-01", CLAIM_DAY)
    assert defs["eu"].day is None and defs["eu"].count == 27


def test_load_targets__as_of_selects_that_days_capitals():
    eu = load_targets(definition="eu", as_of=CLAIM_DAY)
    assert len(eu) == 28 and "London" in {t.name for t in eu}
    assert len(load_targets(definition="eu")) == 27
    coe = load_territories(definition="council-of-europe", as_of=CLAIM_DAY)
    assert "RU" in {t.iso_a2 for t in coe} and len(coe) == 47


def test_load_targets__today_as_of_changes_nothing():
    today = load_targets(definition="europe-all", as_of=dt.date.today())
    plain = load_targets(definition="europe-all")
    assert [(t.name, t.definitions) for t in today] == [(t.name, t.definitions) for t in plain]


# ---------------------------------------------------------------- the data file


def _definitions_file(tmp_path, history_row: str):
    text = f"""schema_version: 1
definitions:
  - id: club
    name: A club
    count: 1
    as_of: "2020-01-01"
    source: {{title: "T", url: "https://example.org", date: "n.d."}}
    members: ["AT"]
    history_from: "2000-01-01"
    sources:
      s1: {{title: "T", url: "https://example.org", date: "n.d."}}
    history:
      - {history_row}
"""
    path = tmp_path / "definitions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (
            '{member: "AT", since: "2010-02-30", source: s1}',
            "history[0].since: '2010-02-30' is not a real",
        ),
        ('{member: "AT", since: "2010-01-01", source: s9}', "source 's9' is not among"),
        ('{member: "AT", since: "2010-01-01"}', "a dated spell needs a source"),
        ('{member: "AT", since: "1990-01-01", source: s1}', "before history_from"),
        ('{member: "DE", since: "2010-01-01", source: s1}', "differences: AT, DE"),
    ],
)
def test_load_definitions__a_bad_date_or_source_is_one_line_naming_file_and_field(
    tmp_path, row, words
):
    path = _definitions_file(tmp_path, row)
    with pytest.raises(DataError) as err:
        load_definitions(path)
    text = str(err.value)
    assert "\n" not in text and str(path) in text and words in text


# ---------------------------------------------------------------- sites


def _in_kaliningrad(site) -> bool:
    return site.country == "RU" and 19.5 < site.lon < 23 and 54.2 < site.lat < 55.4


def test_sites__no_iskander_in_kaliningrad_oblast_in_2010_and_both_on_the_claim_day(catalog):
    def iskanders(day):
        return {
            s.id
            for s in dated.sites(catalog, day)
            if "iskander-m" in s.systems and _in_kaliningrad(s)
        }

    assert iskanders("2010-01-01") == set()
    assert iskanders(CLAIM_DAY) == {"chernyakhovsk", "kaliningrad"}


def test_sites__the_four_battlegroups_are_garrisons_from_2017_with_sourced_positions(catalog):
    for sid in ("tapa", "adazi", "rukla", "orzysz"):
        site = catalog.site(sid)
        assert catalog.role_of(site) == "garrison" and site.since.startswith("2017")
        assert site.source.url.startswith("http") and site.deployment_source is not None
        assert dated.site_status(site, "2016-12-31") == "not yet"
        assert dated.site_status(site, CLAIM_DAY) == "in place"


def test_site_status__a_past_deployment_is_gone_and_an_undated_one_says_so(catalog):
    siauliai = catalog.site("siauliai")
    assert dated.site_status(siauliai, "2017-07-22") == "in place"
    assert dated.site_status(siauliai, "2017-07-23") == "gone"
    assert dated.site_status(catalog.site("uzhur"), "2010") == dated.NOT_SOURCED
    assert dated.site_status(catalog.site("tskhinvali"), "2020") == dated.END_NOT_SOURCED
    assert "uzhur" in {s.id for s in dated.sites(catalog, "2010")}
    assert "uzhur" not in {s.id for s in dated.sites(catalog, "2010", undated=False)}


def test_site__a_bad_until_is_refused_with_file_and_field(tmp_path):
    path = tmp_path / "systems.yaml"
    path.write_text(
        """schema_version: 1
systems: []
sites:
  - {id: here, name: Here, lon: 20.0, lat: 50.0, since: "2017-07-10", until: "2017-06-01"}
""",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_catalog([path])
    assert str(path) in str(err.value) and "until 2017-06-01 is before since 2017-07-10" in str(
        err.value
    )


# ---------------------------------------------------------------- events


def test_events__list_each_dated_step_with_kind_subject_and_source(defs, catalog):
    steps = dated.events(defs, catalog)
    assert [e.date.first for e in steps] == sorted(e.date.first for e in steps)
    by = {(e.kind, e.subject, e.concerns[0]): e for e in steps}
    uk = by[("departure", "GB", "eu")]
    assert uk.date.text == "2020-02-01" and uk.source.publisher == "European Union"
    ru = by[("departure", "RU", "council-of-europe")]
    assert ru.date.text == "2022-03-16"
    assert by[("accession", "SE", "nato-europe")].date.text == "2024-03-07"
    assert by[("deployment", "kaliningrad", "iskander-m")].date.text == CLAIM_DAY
    assert by[("withdrawal", "siauliai", "patriot-pac-2-gem-t")].date.text == "2017-07-23"
    assert by[("deployment", "rukla", "garrison")].source.url.startswith("http")
    assert {e.kind for e in steps} == {"accession", "departure", "deployment", "withdrawal"}
    assert not any(e.subject == "uzhur" for e in steps)  # no sourced date, no event
    assert uk.as_dict()["source"]["url"].startswith("https://europa.eu/")
    assert uk.as_dict()["source"]["date"] is None  # n.d. in the data


# ---------------------------------------------------------------- checks and the report


def test_check__a_bundled_claim_is_judged_as_of_its_own_date_and_says_what_today_changes():
    from coverage.checks import Request, check

    v = check(Request(claim_id="grybauskaite-2018-capitals"))
    rows = {o.definition.id: o.count for o in v.by_definition}
    assert rows["eu"] == 28 and rows["nato-europe"] == 27 and rows["council-of-europe"] == 47
    reading = v.report.as_of
    assert (reading.day.text, reading.day_is, reading.other_is) == (
        CLAIM_DAY,
        "the claim's date",
        "today",
    )
    lists = {r.id: r for r in reading.lists}
    assert lists["council-of-europe"].without == ("RU",) and lists["council-of-europe"].count == 47
    assert lists["nato-europe"].with_ == ("FI", "MK", "SE")
    (step,) = lists["council-of-europe"].steps
    assert (step.kind, step.subject, step.date.text) == ("departure", "RU", "2022-03-16")
    source_notes = [n.text for n in v.report.notes_of("source")]
    assert any(
        "council-of-europe 46 members, not 47 (without RU)" in t and "(today) instead" in t
        for t in source_notes
    )


def test_check__as_of_another_day_compares_with_the_claims_own_date():
    from coverage.checks import Request, check

    v = check(Request(claim_id="grybauskaite-2018-capitals", as_of="2026-01-01"))
    rows = {o.definition.id: o.count for o in v.by_definition}
    assert rows["nato-europe"] == 30 and rows["council-of-europe"] == 46 and rows["eu"] == 27
    reading = v.report.as_of
    assert (reading.day_is, reading.other.text, reading.other_is) == (
        "asked",
        CLAIM_DAY,
        "the claim's date",
    )


def test_check__a_site_not_yet_there_on_the_claims_date_is_said_not_dropped():
    from coverage.checks import Request, check

    v = check(Request(claim_id="rutte-2025-madrid-london"))
    assert [s.id for s in v.sites] == ["krichev"]  # the claim's premise is still judged
    (site,) = v.report.as_of.sites
    assert (site.status, site.status_other) == ("not yet", "in place")
    assert any("Krichev" in n.text and "not yet as of 2025-09-12" in n.text for n in v.report.notes)


def test_check__a_bad_as_of_is_one_parameter_error_before_anything_loads():
    from coverage.checks import Request, check

    with pytest.raises(ParameterError, match=r"^as_of: '2018-02-30' is not a real date$"):
        check(Request(claim_id="grybauskaite-2018-capitals", as_of="2018-02-30"))


# ---------------------------------------------------------------- the command line


@pytest.mark.cli
def test_cli_claim__json_as_of_the_claims_date_with_the_eu_of_28(run_cli):
    import json

    done = run_cli("claim", "grybauskaite-2018-capitals", "--json", "--definition", "eu")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["as_of"] == CLAIM_DAY and out["definition"]["count"] == 28
    assert "London" in {t["name"] for t in out["targets"]} and out["targets_count"] == 28
    changes = {d["id"]: d for d in out["as_of_reading"]["definitions"]}
    assert changes["eu"]["without"] == ["GB"] and changes["eu"]["count_other"] == 27
    assert changes["eu"]["steps"][0]["source"]["date"] is None  # n.d. in the data


@pytest.mark.cli
def test_cli_sites__as_of_2010_holds_no_iskander_in_kaliningrad_oblast(run_cli):
    import json

    def iskanders(day):
        done = run_cli("sites", "--as-of", day, "--json")
        assert done.returncode == 0, done.stderr
        return {
            s["id"]
            for s in json.loads(done.stdout)
            if "iskander-m" in s["systems"] and s["country"] == "RU" and 19.5 < s["lon"] < 23
        }

    assert iskanders("2010-01-01") == set()
    assert iskanders(CLAIM_DAY) == {"chernyakhovsk", "kaliningrad"}


@pytest.mark.cli
def test_cli__a_bad_as_of_is_one_line_naming_the_option(run_cli):
    done = run_cli("sites", "--as-of", "5 Feb 2018")
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "--as-of" in line and "give YYYY-MM-DD, YYYY-MM or YYYY" in line


@pytest.mark.cli
def test_cli_definitions__as_of_counts_that_days_members_and_names_what_is_not_sourced(run_cli):
    import json

    done = run_cli("definitions", "--as-of", "1995-01-01", "--json")
    assert done.returncode == 0, done.stderr
    counts = {d["id"]: d["count"] for d in json.loads(done.stdout)}
    assert counts["eu"] == 15 and counts["nato-europe"] == 14 and counts["eu27"] == 27
    table = " ".join(run_cli("definitions", "--as-of", "1960").stdout.split())
    assert "No sourced list that day: council-of-europe (from 1989-05-05)" in table


# ---------------------------------------------------------------- figures published later


def _published_after(source_date: str | None, claim_date: str) -> bool:
    """Independent of coverage.dated: a date's first day after the claim period's last day."""
    if not source_date or source_date == "n.d.":
        return False
    parts = [int(x) for x in source_date.split("-")] + [1, 1]
    first = dt.date(*parts[:3])
    c = [int(x) for x in claim_date.split("-")]
    if len(c) == 1:
        last = dt.date(c[0], 12, 31)
    elif len(c) == 2:
        last = dt.date(c[0] + c[1] // 12, c[1] % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        last = dt.date(*c)
    return first > last


@pytest.fixture(scope="module")
def berlin_2015():
    from coverage.checks import Request, check

    return (
        check(Request(claim_id="grybauskaite-2015-berlin")),
        check(Request(claim_id="grybauskaite-2015-berlin", use_later_figures=True)),
    )


def test_check__figures_published_after_the_claims_day_are_left_out(berlin_2015):
    v, with_later = berlin_2015
    assert [e.layer.title for e in v.evaluations] == ["Iskander-M \u2014 estimated 500 km"]
    assert [e.layer.title for e in v.left_out] == [
        "Iskander-M \u2014 declared 50\u2013500 km",
        "Iskander-M \u2014 estimated 700 km",
    ]
    # Judged on 0 of 1 (Berlin is 529 km away): FALSE; with the later figures the
    # 700 km estimate reaches it, so it would depend on the range.
    assert v.verdict == "false" and with_later.verdict == "depends on range"
    reading = v.report.as_of
    assert [(f.key, f.published, f.used) for f in reading.late_figures] == [
        ("L1", "2015-07-13", False),
        ("L2", "2016-10", False),
    ]
    assert reading.with_later == {"reach": ("depends on range", "false")}
    notes = [n.text for n in v.report.notes]
    assert (
        "L1 Iskander-M \u2014 declared 50\u2013500 km (source published 2015-07-13) left out: "
        "published after 2015-03; with it, 0 of 1 in range."
    ) in notes
    assert "With them, the verdict would be DEPENDS ON RANGE, not FALSE." in notes
    # The CSIS page is undated: kept, and said so (never guessed).
    assert (
        "Publication date not sourced, so kept as of 2015-03: "
        "F1 Iskander-M \u2014 estimated 500 km."
    ) in notes
    # The left-out figures' sources keep their keys.
    keys = {row.key: row.source.date for row in v.report.sources}
    assert keys["L1"] == "2015-07-13" and keys["L2"] == "2016-10"


def test_check__use_later_figures_puts_them_back_number_for_number(berlin_2015):
    from coverage.claims import verdict_to_dict

    v, with_later = berlin_2015
    assert len(with_later.evaluations) == 3 and with_later.left_out == ()
    assert verdict_to_dict(with_later)["figures_left_out"] == []
    used = {e.layer.title: e for e in with_later.evaluations}
    out = verdict_to_dict(v)["figures_left_out"]
    assert [d["key"] for d in out] == ["L1", "L2"]
    for d, e in zip(out, v.left_out, strict=True):
        again = used[e.layer.title]
        assert d["left_out"] == "published after 2015-03"
        assert (d["targets_in_range"], d["holds"], d["range_needed_km"]) == (
            again.targets_in_range, again.holds, again.range_needed_km,
        )  # fmt: skip
        assert d["source"]["date"] == e.figure.source.date
    notes = [n.text for n in with_later.report.notes]
    assert any(t.startswith("Published after 2015-03, used as asked: F1 Iskander-M") for t in notes)


def test_evaluate_claim__left_out_figures_match_the_source_dates_of_the_data():
    """Every bundled claim against every figure's source date (data/systems.yaml)."""
    from coverage.claims import evaluate_claim, load_claims

    catalog = load_catalog()
    moved = {}
    for claim in load_claims().values():
        v = evaluate_claim(claim, catalog)
        figures = [f for s in claim.reading.systems for f in catalog.system(s).ranges]
        expected = {
            f"{f.km:g}:{f.kind}"
            for f in figures
            if _published_after(f.source.date if f.source else None, claim.date)
        }
        got = {f"{e.figure.km:g}:{e.figure.kind}" for e in v.left_out}
        assert got == expected, claim.id
        assert not {f"{e.figure.km:g}:{e.figure.kind}" for e in v.evaluations} & expected
        if got:
            moved[claim.id] = sorted(got)
    assert sorted(moved) == [
        "bild-2013-berlin-527-km",
        "faz-2019-9m729-eastern-northern-europe",
        "grybauskaite-2015-berlin",
        "news-pravda-2025-oreshnik-any-european-country",
        "rutte-2025-madrid-london",
        "zhuravlev-2024-oreshnik-london-15-min",
    ]


def test_evaluate_claim__use_later_figures_keyword():
    from coverage.claims import evaluate_claim, load_claims

    claim = load_claims()["faz-2019-9m729-eastern-northern-europe"]
    catalog = load_catalog()
    assert len(evaluate_claim(claim, catalog).evaluations) == 2
    assert len(evaluate_claim(claim, catalog, use_later_figures=True).evaluations) == 3
    with pytest.raises(ParameterError, match="use_later_figures: must be True or False"):
        evaluate_claim(claim, catalog, use_later_figures="yes")


def test_check__every_figure_published_later_is_refused_naming_the_parameter():
    from coverage.checks import Request, check

    request = Request(systems=("oreshnik",), sites=("kapustin-yar",), share=0.5, as_of="2020")
    with pytest.raises(ParameterError, match="every range figure was published after") as err:
        check(request)
    assert err.value.parameter == "use_later_figures"
    assert "Oreshnik \u2014 declared 5,500 km: 2024-12-19" in str(err.value)
    import dataclasses

    ok = check(dataclasses.replace(request, use_later_figures=True))
    assert len(ok.evaluations) == 4 and ok.left_out == ()


def test_check__ad_hoc_as_of_a_day_leaves_out_the_later_figures():
    from coverage.checks import Request, check

    v = check(Request(systems=("9m729",), share=0.5, as_of="2019-03-01"))
    assert [e.figure.km for e in v.evaluations] == [480.0, 2350.0]
    assert [e.figure.km for e in v.left_out] == [2500.0]
    today = check(Request(systems=("9m729",), share=0.5))
    assert today.left_out == () and len(today.evaluations) == 3


@pytest.mark.cli
def test_cli_claim__later_figures_are_left_out_and_the_flag_puts_them_back(run_cli):
    import json

    done = run_cli("claim", "grybauskaite-2015-berlin", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [d["key"] for d in out["figures_left_out"]] == ["L1", "L2"]
    assert len(out["evaluations"]) == 1 and out["reach_verdict"] == "false"
    reading = out["as_of_reading"]
    assert reading["with_figures_left_out"] == {
        "reach": {"verdict": "depends on range", "instead_of": "false"}
    }
    back = json.loads(
        run_cli("claim", "grybauskaite-2015-berlin", "--json", "--use-later-figures").stdout
    )
    assert back["figures_left_out"] == [] and len(back["evaluations"]) == 3
    assert back["reach_verdict"] == "depends on range"
    table = " ".join(run_cli("claim", "grybauskaite-2015-berlin").stdout.split())
    assert "left out: published after 2015-03" in table
    assert "L1 (iskander-m declared 50\u2013500 km (left out: published later)): " in table


@pytest.mark.cli
def test_cli__use_later_figures_on_every_command_that_judges_as_of_a_day(run_cli):
    for command in ("claim", "map", "timeline", "rings"):
        help_text = " ".join(run_cli(command, "--help").stdout.split())
        assert "--use-later-figures" in help_text and "published after the day" in help_text
    done = run_cli("claim", "--system", "oreshnik", "--site", "kapustin-yar", "--share", "0.5",
                   "--as-of", "2020")  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "every range figure was published after that day" in line
    assert "set --use-later-figures to judge with them" in line


@pytest.mark.cli
def test_cli_rings__as_of_leaves_out_the_figures_published_later_and_says_so(run_cli, tmp_path):
    import json

    out = tmp_path / "rings.geojson"
    args = ("rings", "--system", "iskander-m", "--site", "chernyakhovsk", "-o", str(out))
    done = run_cli(*args, "--as-of", "2016-01-01")
    assert done.returncode == 0, done.stderr
    figures = {f["properties"]["range_km"] for f in json.loads(out.read_text())["features"]}
    assert figures == {500.0}  # the 700 km estimate's source is of 2016-10
    assert (
        "left out, published after 2016-01-01: Iskander-M \u2014 estimated 700 km "
        "(source published 2016-10)"
    ) in done.stderr
    done = run_cli(*args, "--as-of", "2016-01-01", "--use-later-figures")
    figures = {f["properties"]["range_km"] for f in json.loads(out.read_text())["features"]}
    assert done.returncode == 0 and figures == {500.0, 700.0} and "left out" not in done.stderr


def test_scene__map_and_figures_say_which_figures_were_left_out(berlin_2015):
    from coverage.render.scene import scene_for

    v, with_later = berlin_2015
    notes = scene_for(v).notes
    assert any(
        n.startswith("L2 Iskander-M \u2014 estimated 700 km (source published 2016-10)")
        for n in notes
    )
    assert "With them, the verdict would be DEPENDS ON RANGE, not FALSE." in notes
    assert not any("left out: published after" in n for n in scene_for(with_later).notes)
