"""The report: one telling of a verdict, read by the JSON, the terminal box and notebooks."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from coverage.claims import evaluate_claim, load_claims, verdict_to_dict
from coverage.exports import to_json_text
from coverage.report import Report, report_for
from coverage.systems import load_catalog

BEFORE = Path(__file__).resolve().parent / "data" / "json_before"
CLAIMS = list(load_claims())
#: Keys the report adds or changes on purpose in ``claim --json``; everything else is
#: number for number what it was (tests/data/json_before).
ADDED = {
    "question",
    "reach_verdict",
    "reason",
    "no_range_because",
    "as_of",
    "as_of_reading",
    "figures_left_out",  # issue 23: figures published after the claim's day
}
CHANGED = {"verdict"}  # now the answer to the claim's own question


@pytest.fixture(scope="module")
def verdicts():
    catalog = load_catalog()
    claims = load_claims()
    return {cid: evaluate_claim(claims[cid], catalog) for cid in CLAIMS}


def _json(verdict) -> dict:
    return json.loads(to_json_text(verdict_to_dict(verdict)))


def test_bundled_claims__every_one_has_a_file_before():
    assert sorted(p.stem for p in BEFORE.glob("*.json")) == sorted(CLAIMS)


@pytest.mark.parametrize("claim_id", CLAIMS)
def test_verdict_to_dict__same_as_before_but_the_keys_added_on_purpose(verdicts, claim_id):
    before = json.loads((BEFORE / f"{claim_id}.json").read_text(encoding="utf-8"))
    now = _json(verdicts[claim_id])
    assert set(now) - set(before) == ADDED
    assert set(before) - set(now) == set()
    for key in set(before) - CHANGED:
        assert now[key] == before[key], key
    # The reach verdict moved to its own key; "verdict" answers the claim's question.
    assert now["reach_verdict"] == before["verdict"]
    if now["question"] == "reach":
        assert now["verdict"] == before["verdict"]
    assert now["no_range_because"] is None and now["range_needed_km"] is not None


@pytest.mark.parametrize("claim_id", CLAIMS)
def test_report__json_word_is_the_report_word(verdicts, claim_id):
    v = verdicts[claim_id]
    assert isinstance(v.report, Report) and v.report is v.report  # built once
    assert _json(v)["verdict"] == v.report.word == v.report.headline.word
    assert _json(v)["question"] == v.report.question


def test_report__defence_claim_answers_inside(verdicts):
    r = verdicts["blaszczak-2023-warsaw-patriot-defence"].report
    assert (r.question, r.word, r.reach) == ("defence", "inside", "true")
    assert r.headline.line.startswith("INSIDE \u2014 1 of 1 inside a defence envelope")
    (row,) = r.defence_targets
    assert row.target == "Warsaw" and row.inside and row.km == 40.0
    assert row.margin_km == pytest.approx(40.0 - row.distance_km)
    assert all(f.defended + f.undefended == f.in_range for f in r.figures)
    assert [n.kind for n in r.notes if n.kind == "not_modelled"] == ["not_modelled"]


@pytest.mark.parametrize(
    ("claim_id", "word", "line"),
    [
        (
            "russian-tv-2022-sarmat-berlin-106-s",
            "impossible",
            "IMPOSSIBLE \u2014 1.77 min (106 s) claimed for 529 km; model 5.6 min, fastest "
            "possible 5.1\u20135.2 min incl. 4.0 min boost (class figure, liquid-propellant "
            "ICBM: APS boost-phase study 2003; National Research Council 2012) [B1\u2013B3]",
        ),
        (
            "zhuravlev-2024-oreshnik-london-15-min",
            "consistent",
            "CONSISTENT \u2014 \u201csome 15 minutes\u201d (13.5\u201316.5 min) claimed for "
            "3,249 km; model 15.7 min, consistent 11.8\u201319.6 min",
        ),
        (
            "podberyozkin-2017-iskander-warsaw-2-min",
            "depends on range",
            "DEPENDS ON RANGE \u2014 \u201ca little over two minutes\u201d (2\u20132.5 min) "
            "claimed for 279 km: impossible or only on a depressed trajectory at 500 km, "
            "only on a depressed trajectory at 700 km (model 4.0 min)",
        ),
    ],
)
def test_report__time_headline_is_one_line_with_the_decisive_numbers(
    verdicts, claim_id, word, line
):
    r = verdicts[claim_id].report
    assert (r.question, r.word, r.headline.line) == ("time", word, line)
    assert r.reach == "true" and "\n" not in r.headline.line
    assert [f.time.verdict for f in r.figures] == [
        j["verdict"] for j in _json(verdicts[claim_id])["time_claim"]
    ]


def test_report__rows_per_figure_carry_the_verdict_numbers(verdicts):
    v = verdicts["grybauskaite-2018-capitals"]
    r = v.report
    assert [f.key for f in r.figures] == [f"F{i}" for i in range(1, len(v.evaluations) + 1)]
    for f, e in zip(r.figures, v.evaluations, strict=True):
        assert (f.in_range, f.count, f.holds) == (e.targets_in_range, len(v.targets), e.holds)
        assert f.max_km == e.range_km and f.defended is None
    keys = {s.key for s in r.sources}
    assert {f.source_key for f in r.figures} <= keys and "C1" in keys
    assert [d.used for d in r.definitions].count(True) == 1
    assert r.range_needed_detail.startswith("1,218.7 km (where the 26th target")


def test_report__boost_phase_sources_are_keyed(verdicts):
    r = verdicts["russian-tv-2022-sarmat-berlin-106-s"].report
    boosts = [s for s in r.sources if s.key.startswith("B")]
    assert [s.key for s in boosts] == ["B1", "B2", "B3"]
    assert boosts[0].source.url == "https://doi.org/10.1103/RevModPhys.76.S1"  # APS 2003
    assert boosts[2].about == "propellant of sarmat"  # decides the class figure
    assert "[B1\u2013B3]" in r.headline.line
    # A claim without a time has no boost source.
    assert not [s for s in verdicts["grybauskaite-2018-capitals"].report.sources if s.key[0] == "B"]


def test_report_for__refuses_what_is_not_a_verdict():
    from coverage.errors import ParameterError

    with pytest.raises(
        ParameterError, match="verdict: must be a Verdict, got 'grybauskaite' \\(str\\)"
    ):
        report_for("grybauskaite")


def test_repr_html__escapes_every_name(verdicts):
    import dataclasses

    v = verdicts["grybauskaite-2015-berlin"]
    evil = "<script>alert(1)</script>"
    claim = v.claim.model_copy(update={"quote": evil, "id": "x"})
    page = dataclasses.replace(v, claim=claim)._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Berlin" in page and page.count("<tr>") >= 2
    # Judged as of 2015-03 without the figures published later (issue 23), and saying so.
    assert "FALSE" in page
    assert "left out: published after 2015-03" in page


def _box_word(stdout: str) -> str:
    """The word of the box's ``Verdict:`` line (not the ``Reach verdict:`` line)."""
    (match,) = re.findall(r"^│ Verdict: ([A-Z ]+?)(?:  \(| —| *│)", stdout, flags=re.M)
    return match.lower()


@pytest.mark.cli
@pytest.mark.parametrize("claim_id", CLAIMS)
def test_claim_box__verdict_line_is_the_report_word(run_cli, verdicts, claim_id):
    proc = run_cli("claim", claim_id)
    assert proc.returncode == 0, proc.stderr
    v = verdicts[claim_id]
    assert _box_word(proc.stdout) == _json(v)["verdict"] == v.report.word
    if v.report.question != "reach":  # the reach verdict keeps its own label
        assert f"Reach verdict: {v.report.reach.upper()}" in proc.stdout


@pytest.mark.cli
def test_claim__sector_example_says_outside_the_sector(run_cli):
    args = ("claim", "--range-km", "300", "--at", "20.0,54.9", "--sector", "300,60")
    proc = run_cli(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    v = json.loads(proc.stdout)
    assert v["range_needed_km"] is None and v["no_range_because"] == "outside_sector"
    assert v["reason"]["code"] == "outside_sector"
    assert "outside the sector" in v["summary"] and "minimum range" not in v["summary"]
    box = " ".join(run_cli(*args).stdout.split())
    assert "no maximum range would make it hold: too many targets lie outside the sector" in box
    assert "minimum range" not in box.split("Range needed", 1)[1].split("╰")[0]


def test_verdict_xlsx__verdict_sheet_reads_the_report(verdicts):
    import io

    import openpyxl

    from coverage.exports import verdict_xlsx

    for claim_id in ("blaszczak-2023-warsaw-patriot-defence", "grybauskaite-2018-capitals"):
        v = verdicts[claim_id]
        book = openpyxl.load_workbook(io.BytesIO(verdict_xlsx(v)))
        sheet = dict(book["verdict"].iter_rows(min_row=2, values_only=True))
        assert sheet["verdict"] == v.report.word and sheet["question"] == v.report.question
        assert sheet["reach_verdict"] == v.verdict and sheet["headline"] == v.report.headline.line
        assert sheet["reason_code"] == v.report.headline.reason.code
        assert sheet["note_source"].startswith("people: at least so many in range")


def test_tables__name_no_command_line_option(verdicts):
    from rich.console import Console

    from coverage.systems import load_catalog
    from coverage.tables import (
        hidden_targets,
        sites_table,
        systems_table,
        verdict_renderable,
    )

    console = Console(width=100, record=True, file=io.StringIO())
    v = verdicts["grybauskaite-2018-capitals"]
    catalog = load_catalog()
    for table in (
        verdict_renderable(v, max_rows=5, console_width=100),
        systems_table(catalog, console_width=100),
        sites_table(catalog),
    ):
        console.print(table)
    text = console.export_text()
    assert not re.search(r"--(all|wide|json)\b", text)
    assert hidden_targets(v, 5) == len(v.targets) - 5 == 46
    assert "\u2026 46 more targets not shown" in text
    assert hidden_targets(v, None) == 0 and hidden_targets(v, 100) == 0
