"""Air and missile defences: radar horizon, cover by threat class, the --defence contract."""

from __future__ import annotations

import json
import math

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given
from hypothesis import strategies as st

from coverage import radar_horizon_km
from coverage.checks import Request, check
from coverage.claims import verdict_to_dict
from coverage.defences import (
    ASSUMED_RADAR_HEIGHT_M,
    DEFAULT_THREAT_ALTITUDE_M,
    Defence,
    cover,
    parse_defence,
)
from coverage.errors import ParameterError
from coverage.systems import load_catalog
from coverage.targets import load_targets

GEOD = Geodesic.WGS84
R_KM = (2 * 6378.137 + 6356.752314245179) / 3  # mean radius of WGS84, about 6,371.0088 km


@given(
    radar=st.floats(0.0, 100.0),
    target=st.floats(0.0, 20_000.0),
    k=st.floats(0.5, 3.0),
)
def test_radar_horizon_km__matches_the_formula(radar, target, k):
    expected = math.sqrt(2 * k * R_KM * radar / 1000) + math.sqrt(2 * k * R_KM * target / 1000)
    assert radar_horizon_km(radar, target, k=k) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("radar", "target", "km"),
    # Held-out values (rfessentials) and the research table (k = 4/3).
    [(30, 100, 63.8), (30, 5, 31.8), (4, 10, 21.3), (38.8, 1000, 156.0), (25, 50, 49.8)],
)
def test_radar_horizon_km__published_values(radar, target, km):
    assert round(radar_horizon_km(radar, target), 1) == km


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"radar_height_m": -1, "target_height_m": 5}, "radar_height_m"),
        ({"radar_height_m": 4, "target_height_m": float("nan")}, "target_height_m"),
        ({"radar_height_m": 4, "target_height_m": 5, "k": 0}, "k"),
    ],
)
def test_radar_horizon_km__bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        radar_horizon_km(**kwargs)


def test_cover__no_figure_against_the_class__no_cover(catalog):
    # IRIS-T SLM has a figure against aircraft only: against ballistic missiles, nothing.
    iris = Defence(catalog.system("iris-t-slm"), catalog.site("warsaw-babice"))
    c = cover(iris, "ballistic missiles", list(load_targets().targets))
    assert c.envelope is None and c.km is None and not any(c.covers)


def test_cover__cruise_missiles__aircraft_figure_capped_at_the_horizon(catalog):
    patriot = Defence(catalog.system("patriot-pac-2-gem-t"), catalog.site("warsaw-babice"))
    c = cover(patriot, "cruise missiles", list(load_targets().targets))
    horizon = radar_horizon_km(ASSUMED_RADAR_HEIGHT_M, DEFAULT_THREAT_ALTITUDE_M["cruise missiles"])
    smallest_aircraft = min(f.km for f in patriot.system.ranges if f.against == "aircraft")
    assert c.km == pytest.approx(min(smallest_aircraft, horizon))
    assert c.derived and "aircraft" in c.derived
    assert set(c.assumed) == {"radar_height_m", "threat_altitude_m"}
    assert "capped at the" in c.envelope.title
    # Given heights are used as given and not marked as assumed.
    given_heights = cover(
        patriot, "cruise missiles", [], threat_altitude_m=100.0, radar_height_m=30.0
    )
    assert given_heights.assumed == ()
    assert given_heights.km == pytest.approx(min(smallest_aircraft, radar_horizon_km(30, 100)))


def test_cover__ballistic__smallest_sourced_figure_no_horizon(catalog):
    mse = Defence(catalog.system("patriot-pac-3-mse"), catalog.site("warsaw-babice"))
    c = cover(mse, "ballistic missiles", [])
    figures = [f.km for f in mse.system.ranges if f.against == "ballistic missiles"]
    assert c.km == min(figures) and c.horizon_km is None and c.radar_height_m is None


def test_parse_defence__refuses_threats_and_bad_text(catalog):
    assert parse_defence("patriot-pac-3-mse@warsaw-babice", catalog).id == (
        "patriot-pac-3-mse@warsaw-babice"
    )
    with pytest.raises(ParameterError, match="not an air or missile defence"):
        parse_defence("iskander-m@kaliningrad", catalog)
    with pytest.raises(ParameterError, match="SYSTEM@SITE"):
        parse_defence("patriot", catalog)


@pytest.mark.parametrize(
    "request_",
    [
        Request(
            defences=(
                "patriot-pac-3-mse@warsaw-babice",
                "patriot-pac-2-gem-t@siauliai",
                "s-400@kaliningrad",
            )
        ),
        Request(
            systems=("kalibr",),
            points=((20.0, 54.9),),
            defences=("patriot-pac-2-gem-t@warsaw-babice", "samp-t@rzeszow-jasionka"),
            threat_altitude_m=30.0,
        ),
    ],
)
def test_check__defended_by_matches_geographiclib(request_):
    out = json.loads(json.dumps(verdict_to_dict(check(request_))))
    catalog = load_catalog()
    for target in out["targets"]:
        expected = []
        for d in out["defences"]:
            if d["km"] is None:
                continue
            site = catalog.site(d["site"])
            s = GEOD.Inverse(site.lat, site.lon, target["lat"], target["lon"])["s12"] / 1000
            assert abs(s - d["km"]) > 1e-6  # no tie at the edge in these cases
            if d["min_km"] <= s <= d["km"]:
                expected.append(f"{d['system']}@{d['site']}")
        assert target["defended_by"] == expected, target["name"]
    for e in out["evaluations"]:
        assert e["in_range_defended"] + e["in_range_undefended"] == e["targets_in_range"]


@pytest.mark.cli
def test_claim_json__defence_contract(run_cli):
    proc = run_cli(
        "claim",
        "--defence",
        "patriot-pac-3-mse@warsaw-babice",
        "--threat-altitude-m",
        "30",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    v = json.loads(proc.stdout)
    (d,) = v["defences"]
    for key in (
        "system",
        "site",
        "against",
        "km",
        "min_km",
        "figure_km",
        "horizon_km",
        "radar_height_m",
        "threat_altitude_m",
    ):
        assert key in d
    assert d["against"] == "ballistic missiles" and d["horizon_km"] is None
    warsaw = next(t for t in v["targets"] if t["name"] == "Warsaw")
    assert warsaw["defended_by"] == ["patriot-pac-3-mse@warsaw-babice"]
    assert all("in_range_defended" in e and "in_range_undefended" in e for e in v["evaluations"])
    assert "shield" not in proc.stdout.lower() and "not modelled" in v["defences_not_modelled"]


@pytest.mark.cli
def test_sites_json__kind_launch_defence_garrison(run_cli):
    proc = run_cli("sites", "--json")
    assert proc.returncode == 0, proc.stderr
    kinds = {s["id"]: s["kind"] for s in json.loads(proc.stdout)}
    assert kinds["chernyakhovsk"] == "launch"
    assert kinds["siauliai"] == "defence" and kinds["warsaw-babice"] == "defence"
    assert kinds["redzikowo"] == "defence"  # every system there is a defence
    assert {kinds[x] for x in ("tapa", "adazi", "orzysz")} == {"garrison"}
    for s in json.loads(proc.stdout):
        assert {"id", "name", "lon", "lat", "kind", "systems"} <= set(s)


# ------------------------------------------------------------------ a claim about defence

DEFENCE_CLAIM = "blaszczak-2023-warsaw-patriot-defence"


@pytest.mark.cli
def test_claim_about_defence__json_numbers_against_geographiclib(run_cli):
    proc = run_cli("claim", DEFENCE_CLAIM, "--json")
    assert proc.returncode == 0, proc.stderr
    v = json.loads(proc.stdout)
    # The claim carries its source (URL, publisher, date) and the quote.
    assert v["claim"]["quote"].startswith("Warsaw receives missile defence")
    (first, *_) = v["claim"]["sources"]
    assert first["url"].startswith("https://caliber.az/") and first["date"] == "2023-10-05"
    d = v["defence_claim"]
    assert d["against"] == "ballistic missiles" == v["threat_class"]
    assert d["defences"] == ["patriot-pac-3-mse@warsaw-babice"]
    catalog = load_catalog()
    site = catalog.site("warsaw-babice")
    (warsaw,) = load_targets().only(["PL"]).targets
    (row,) = d["targets"]
    (item,) = row["defences"]
    expected = GEOD.Inverse(site.lat, site.lon, warsaw.lat, warsaw.lon)["s12"] / 1000.0
    assert item["distance_km"] == pytest.approx(expected, abs=1e-6)
    # The smallest sourced figure against ballistic missiles decides: 40 km (WP Tech).
    assert item["km"] == 40.0
    assert item["margin_km"] == pytest.approx(40.0 - expected, abs=1e-6)
    assert item["inside"] is True and d["verdict"] == "inside"
    assert d["targets_inside"] == d["targets_count"] == 1
    assert "not modelled" in d["not_modelled"]
    # The threat side is judged as any claim: Warsaw in Iskander-M range from both origins.
    assert v["verdict"] == "inside" and v["question"] == "defence"
    assert v["reach_verdict"] == "true" and [o["verdict"] for o in v["by_origin"]] == ["true"] * 2
    assert "shield" not in proc.stdout.lower() and "protected" not in proc.stdout.lower()


@pytest.mark.cli
def test_claim_about_defence__table_shows_the_numbers(run_cli):
    proc = run_cli("claim", DEFENCE_CLAIM)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    assert "Claim about defence: INSIDE" in text
    assert "Warsaw is 8.4 km from patriot-pac-3-mse@warsaw-babice" in text
    assert "by 31.6 km" in text and "not modelled" in text
    assert "shield" not in text.lower()


def test_defence_claim__outside_when_the_footprint_does_not_reach(catalog):

    from coverage.claims import evaluate_claim, load_claims
    from coverage.defences import defence_claim

    claim = load_claims()[DEFENCE_CLAIM]
    # Šiauliai's battery (July 2017) against Iskander-M, judged for Vilnius and Riga.
    reading = claim.reading.model_copy(
        update={"only": ["LT", "LV"], "defences": ["patriot-pac-3-mse@siauliai"]}
    )
    v = evaluate_claim(claim.model_copy(update={"reading": reading}), catalog)
    d = defence_claim(v)
    assert d["verdict"] == "outside" and d["targets_inside"] == 0
    site = catalog.site("siauliai")
    for row, target in zip(d["targets"], v.targets.targets, strict=True):
        (item,) = row["defences"]
        km = GEOD.Inverse(site.lat, site.lon, target.lat, target.lon)["s12"] / 1000.0
        assert item["distance_km"] == pytest.approx(km, abs=1e-6)
        assert (
            item["margin_km"] == pytest.approx(item["km"] - km, abs=1e-6) and item["margin_km"] < 0
        )


def test_reading__against_must_match_the_threat(catalog):
    from coverage.claims import evaluate_claim, load_claims

    claim = load_claims()[DEFENCE_CLAIM]
    reading = claim.reading.model_copy(update={"against": "cruise missiles"})
    with pytest.raises(ParameterError) as err:
        evaluate_claim(claim.model_copy(update={"reading": reading}), catalog)
    assert err.value.parameter == "against"


def test_check__request_defences_add_to_the_claims_own():
    v = check(Request(claim_id=DEFENCE_CLAIM, defences=("patriot-pac-3-mse@sochaczew",)))
    ids = [c.defence.id for c in v.defences]
    assert ids == ["patriot-pac-3-mse@warsaw-babice", "patriot-pac-3-mse@sochaczew"]
    d = verdict_to_dict(v)["defence_claim"]
    # Sochaczew's town centre is about 46 km from central Warsaw: beyond 40 km.
    sochaczew = d["targets"][0]["defences"][1]
    assert sochaczew["inside"] is False and sochaczew["margin_km"] < 0
    assert d["verdict"] == "inside"  # Babice's envelope still holds Warsaw
