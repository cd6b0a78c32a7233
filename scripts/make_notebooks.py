"""Write notebooks/*.ipynb from the cell sources below (outputs stripped).

Run from the repository root: ``python scripts/make_notebooks.py``. Edit the cells
here rather than in Jupyter, so the notebooks stay short, reviewed and output-free.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks"

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str):
    return new_code_cell(text.strip("\n"))


NB1 = [
    md("""
# "Half of Europe's capitals": the Kaliningrad Iskander claim, step by step

On 5 February 2018 Lithuania's president Dalia Grybauskaitė said that Iskander missiles
in Kaliningrad put half of Europe's capitals in danger. Here we read the claim as a
check (Iskander-M from its Kaliningrad sites against Europe's capitals, at least half in
range), measure every capital's exact geodesic distance to the nearest site on WGS84,
and judge the claim at every published range figure. Distances are in km; coordinates
are lon/lat degrees.
"""),
    code("""
import pandas as pd

from coverage.claims import evaluate_claim, load_claims
from coverage.frames import verdict_gdf
from coverage.systems import load_catalog
from coverage.targets import load_targets

claims = load_claims()
catalog = load_catalog()
claim = claims["grybauskaite-2018-capitals"]
print(claim.speaker, claim.date)
print(claim.quote)
claim.reading
"""),
    md("""
The reading names the systems, the launch sites, the definition of "Europe's capitals"
and the share that must be in range. The range figures come from the catalogue, each
with its source: declared by the maker or operator, or estimated by outsiders.
"""),
    code("""
iskander = catalog.system("iskander-m")
pd.DataFrame(
    [{"kind": f.kind, "km": f.km, "min_km": f.min_km, "source": f.source.publisher}
     for f in iskander.ranges]
)
"""),
    code("""
targets = load_targets(definition=claim.reading.definition)
print(targets.label)
v = evaluate_claim(claim, catalog, targets)
print(v.summary)
"""),
    md("""
A verdict, a claim, an envelope and a target set show themselves in a notebook (as
HTML, every name escaped): the verdict gives the report's headline, its reason, the
counts per figure and the nearest targets.
"""),
    code("""
v
"""),
    code("""
v.envelopes[0]
"""),
    md("""
## Every capital, nearest first

`margin_km_...` is range minus distance: positive inside, negative outside (inside a
minimum range, such as Iskander's declared 50 km, it is the distance minus that minimum,
also negative). Whether a capital counts comes from the exact distance, never from a
drawn circle.
"""),
    code("""
table = verdict_gdf(v).drop(columns="geometry").sort_values("distance_km")
margins = [c for c in table.columns if c.startswith("margin_km_")]
table[["name", "country", "distance_km", "nearest_site", *margins]].round(1).head(15)
"""),
    code("""
from coverage.claims import ordinal

print(f"{v.required} of {len(v.targets)} capitals must be in range;"
      f" the {ordinal(v.required)} nearest is {v.range_needed_km:,.0f} km away.")
table.loc[table["distance_km"] <= v.range_needed_km, "name"].tolist()
"""),
    md("""
## Does the definition of "Europe's capitals" matter?

The same distances, judged under each definition (EU, NATO Europe, Council of Europe,
UN Europe, and the widest reading).
"""),
    code("""
labels = [f"{e.figure.title}" for e in v.evaluations]
pd.DataFrame(
    [
        {
            "definition": o.definition.id,
            "capitals": o.count,
            "needed": o.required,
            **{f"in range at {label}": n for label, n in zip(labels, o.in_range)},
            "would hold from (km)": round(o.range_needed_km),
            "verdict": o.verdict,
        }
        for o in v.by_definition
    ]
)
"""),
    md("""
## Turn the range

`explore` judges the same claim at a range of your own (km), under another definition
or from the other choice of origins (the towns, or anywhere in the oblast) and says
what changes; it needs no widgets, so it works in a script too.
"""),
    code("""
from coverage.notebook import explore, explore_widget

at_600 = explore(v, range_km=600, origin="areas")
print(at_600.line)
at_600.in_range
"""),
    md("""
The same call behind controls: move the range, pick a definition or the origins, and
the counts, the verdict and the map below them are redrawn (in JupyterLab, with
`pip install '.[notebook]'`).
"""),
    code("""
explore_widget(v)
"""),
    md("""
## The map

Rings are exact geodesic range rings (declared and estimated), capitals are coloured
by whether they are in range.
"""),
    code("""
from coverage.render.leaflet import verdict_map

verdict_map(v)
"""),
]

NB2 = [
    md("""
# Your own system, your own sites

Define a missile system and its launch sites, in Python or in YAML, draw its exact
geodesic range rings (also across the antimeridian and beyond a hemisphere), look at
them as a GeoDataFrame and on a map, and export them as GeoJSON, KML and CSV.
Ranges are km, coordinates lon/lat degrees.
"""),
    code("""
import tempfile
from pathlib import Path

from coverage.systems import NuclearCapability, RangeEstimate, Site, Source, System, load_catalog

source = Source(title="My notes", publisher="Me", url="https://example.org/notes", date="2025")
demo = System(
    id="demo-missile",
    name="Demo missile",
    role="ballistic",
    nuclear_capable=NuclearCapability(status="no"),
    ranges=[
        RangeEstimate(kind="declared", km=1500, source=source),
        RangeEstimate(kind="estimated", km=2000, min_km=100, source=source),
    ],
)
chukotka = Site(id="chukotka", name="Chukotka test site", lon=179.0, lat=65.0,
                systems=["demo-missile"])
demo.ranges
"""),
    md("""
The same in YAML, loaded with `load_catalog` (which validates it and names file,
line and field on any mistake).
"""),
    code('''
workdir = Path(tempfile.mkdtemp())
yaml_text = """
schema_version: 1
systems:
  - id: demo-missile
    name: Demo missile
    role: ballistic
    nuclear_capable: {status: "no"}
    ranges:
      - kind: declared
        km: 1500
        source: &notes {title: My notes, publisher: Me, url: "https://example.org/notes", date: "2025"}
      - {kind: estimated, km: 2000, min_km: 100, source: *notes}
sites:
  - {id: chukotka, name: Chukotka test site, lon: 179.0, lat: 65.0, systems: [demo-missile]}
"""
(workdir / "my_systems.yaml").write_text(yaml_text, encoding="utf-8")
mine = load_catalog(workdir / "my_systems.yaml")
mine.system("demo-missile").ranges == demo.ranges, mine.site("chukotka") == chukotka
'''),
    md("""
## Rings

`rings_gdf` draws one ring per site and range figure. The 1,500 km ring around
179°E 65°N crosses the antimeridian, so it is split at ±180° into two parts; the
Sarmat's 18,000 km from Uzhur is more than half the Earth, so the ring is the whole
world minus a cap around the antipode (a polygon with a hole).
"""),
    code("""
from coverage.frames import rings_gdf

rings_table = rings_gdf([chukotka], system=demo)
rings_table["parts"] = rings_table.geometry.apply(lambda g: len(getattr(g, "geoms", [g])))
rings_table[["label", "range_km", "min_range_km", "parts"]]
"""),
    code("""
catalog = load_catalog()
sarmat = catalog.system("sarmat")
uzhur = catalog.site("uzhur")
sarmat_table = rings_gdf(uzhur, system=sarmat)
sarmat_table["holes"] = sarmat_table.geometry.apply(lambda g: len(g.interiors))
sarmat_table[["label", "range_km", "holes"]]
"""),
    code("""
from coverage.envelopes import envelopes

rings = envelopes([chukotka], demo)
rings += envelopes([uzhur], sarmat.figures("declared")[0], system=sarmat)
[(r.label, r.geometry.geom_type) for r in rings]
"""),
    code("""
from coverage.render.leaflet import coverage_map

coverage_map(rings, sites=[chukotka, uzhur], title="Demo missile and Sarmat")
"""),
    md("""
## Export

GeoJSON (RFC 7946: lon/lat, counter-clockwise exteriors, split at the antimeridian),
KML (Google Earth; holes as inner boundaries) and CSV (one row per ring, no geometry).
Files are written atomically.
"""),
    code("""
from coverage.exports import render_rings, write_text

for fmt in ("geojson", "kml", "csv"):
    path = write_text(workdir / f"rings.{fmt}", render_rings(rings, fmt))
    print(path.name, path.stat().st_size, "bytes")
print((workdir / "rings.csv").read_text(encoding="utf-8").splitlines()[0])
"""),
]

NB3 = [
    md("""
# Definitions and ranges: what changes the answer

"Half of Europe's capitals" depends on which capitals count and which range you
believe. Here the Iskander claim is re-judged under every definition and at declared
and estimated ranges, and the number of capitals in range is plotted against range.
"""),
    code("""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from coverage.claims import evaluate_claim, load_claims
from coverage.reach import measure
from coverage.systems import load_catalog
from coverage.targets import load_definitions, load_targets

catalog = load_catalog()
claim = load_claims()["grybauskaite-2018-capitals"]
definitions = load_definitions()
sites = [catalog.site(s) for s in claim.reading.sites]
list(definitions)
"""),
    md("""
## Declared against estimated ranges
"""),
    code("""
rows = []
for kind in ("declared", "estimated"):
    v = evaluate_claim(claim, catalog, kind=kind)
    for e in v.evaluations:
        rows.append({"kind": kind, "range_km": e.range_km, "min_km": e.figure.min_km,
                     "in range": e.targets_in_range, "of": len(v.targets), "holds": e.holds})
    print(f"{kind:>9}: {v.verdict}")
pd.DataFrame(rows)
"""),
    md("""
## Every definition

For each definition, the distance from each capital to the nearest Iskander site, then
the share of capitals within a range from 0 to 3,000 km. The claim holds where a curve
is at or above the claimed share.
"""),
    code("""
ranges_km = np.linspace(0, 3000, 601)
share = claim.reading.share
curves, table = {}, []
for definition_id in definitions:
    targets = load_targets(definition=definition_id)
    nearest = measure(sites, list(targets.targets)).nearest_km
    curves[definition_id] = (nearest[None, :] <= ranges_km[:, None]).mean(axis=1)
    needed = int(np.ceil(share * len(nearest) - 1e-9))
    table.append({"definition": definition_id, "capitals": len(nearest), "needed": needed,
                  "holds from (km)": round(float(np.sort(nearest)[needed - 1]))})
pd.DataFrame(table)
"""),
    code("""
fig, ax = plt.subplots(figsize=(8, 4.5))
for definition_id, curve in curves.items():
    ax.step(ranges_km, curve, where="post", label=definition_id)
ax.axhline(share, color="black", linestyle="--", linewidth=1, label=f"claim: {share:.0%}")
for figure in catalog.system("iskander-m").ranges:
    style = "-" if figure.kind == "declared" else ":"
    ax.axvline(figure.km, color="grey", linestyle=style, linewidth=1)
    ax.annotate(figure.title, (figure.km, 0.02), rotation=90, fontsize=8, color="grey",
                xytext=(3, 0), textcoords="offset points")
ax.set_xlabel("range (km, geodesic from the nearest site)")
ax.set_ylabel("share of capitals in range")
ax.set_xlim(0, 3000)
ax.set_ylim(0, 1)
ax.set_title("Iskander-M from Kaliningrad: Europe's capitals in range")
ax.legend(loc="lower right", fontsize=8)
plt.show()
"""),
    md("""
## Read a point off the curves

Each step of a curve is one capital coming into range. `explore` gives the capitals
behind a point: here, under the EU's definition at 1,000 km. The control below does
the same for any range, definition and origin.
"""),
    code("""
from coverage.notebook import explore, explore_widget

v = evaluate_claim(claim, catalog)
eu_1000 = explore(v, range_km=1000, definition="eu27")
print(eu_1000.line)
eu_1000.in_range
"""),
    code("""
explore_widget(v, range_km=1000)
"""),
    md("""
## Launchers anywhere, ranges uncertain: many sites at once

What if the launchers could stand anywhere in the oblast, and the range were anywhere
between the declared 500 km and the estimated 700 km? Sample 5,000 launch points over
a box around Kaliningrad oblast (it takes in some sea and neighbouring land, so this
errs in the claim's favour) and 10,000 ranges. `coverage.bulk.nearest_site` gives
each capital's exact distance to the nearest of the 5,000 points without measuring
every pair; each sampled range then needs only a comparison.
"""),
    code("""
from coverage.bulk import nearest_site

rng = np.random.default_rng(1)
launch_lon, launch_lat = rng.uniform(19.6, 22.9, 5_000), rng.uniform(54.3, 55.3, 5_000)
capitals = load_targets(definition="europe-all")
lon = np.array([t.lon for t in capitals.targets])
lat = np.array([t.lat for t in capitals.targets])
near = nearest_site(launch_lon, launch_lat, lon, lat)  # .distance_km, .site_index

ranges = rng.uniform(500, 700, 10_000)
in_range = (near.distance_km[None, :] <= ranges[:, None]).sum(axis=1)
needed = int(np.ceil(share * len(lon) - 1e-9))
print(f"capitals in range: {in_range.min()} to {in_range.max()} of {len(lon)}; "
      f"the claim needs {needed}; even from anywhere in the box it would need "
      f"{np.sort(near.distance_km)[needed - 1]:,.0f} km")
"""),
]


NB4 = [
    md("""
# How long would it take? The flight-time model and its limits

News reports give times to target that nobody checks: Russian state television said a
Sarmat from Kaliningrad would reach Berlin in 106 seconds; a Duma deputy said an
Oreshnik would reach London in about 15 minutes. This notebook builds the model
threat-coverage uses to check them (`coverage.stakes`), tests it against a numerical
integration of Newton's law, and then shows where it stops being right. Distances are
km over the WGS84 ellipsoid; the flight model itself lives on a sphere.

**The model: minimum-energy free flight.** On a spherical, non-rotating Earth without
air (radius R = 6371.0088 km, gravitational parameter mu = 3.986004418e14 m³/s²), a
missile that burns out at the surface and must land a ground range s away needs the
least speed when it flies the *minimum-energy* ellipse. Bate, Mueller & White,
*Fundamentals of Astrodynamics* (Dover, 1971), §6.2, give it in closed form, with the
range angle psi = s / R:

- Q = v² R / mu = 2 sin(psi/2) / (1 + sin(psi/2)), so the burnout speed is v = sqrt(Q mu / R);
- the flight-path angle above the horizontal is gamma = (pi − psi) / 4;
- a = R / (2 − Q), e = sqrt(1 + Q (Q − 2) cos² gamma), cos E = (e − cos(psi/2)) / (1 − e cos(psi/2));
- the free-flight time is t = 2 sqrt(a³ / mu) (pi − E + e sin E), the apogee a (1 + e) − R.
"""),
    code("""
import numpy as np
import pandas as pd

from coverage import stakes

ranges_km = np.array([300, 500, 1_000, 2_000, 3_000, 5_500, 10_000])
path = stakes.min_energy_flight_time_s(ranges_km)
g = 9.80665e-3  # km/s², for the flat-Earth comparison
pd.DataFrame({
    "ground range km": ranges_km,
    "burnout speed km/s": path.burnout_speed_km_s.round(2),
    "angle deg": path.flight_path_angle_deg.round(1),
    "apogee km": path.apogee_km.round(0),
    "free flight min": (path.time_s / 60).round(1),
    "flat Earth sqrt(2s/g) min": (np.sqrt(2 * ranges_km / g) / 60).round(1),
})
"""),
    md("""
These are the numbers of the table in the project's research notes (§2a): 4.2 minutes
for 300 km, 5.5 for 500 km, 15 for 3,000 km, 32 for 10,000 km. The flat-Earth
throw sqrt(2s/g) is close below 1,000 km and a quarter too short at 10,000 km, where
gravity weakens with height and the Earth curves away under the missile.

## Check the closed form against Newton

A closed form is easy to get wrong (one public copy of it forgets an `arccos`). So we
launch a point mass from the surface at the burnout speed and angle above, integrate
the inverse-square law numerically with scipy, stop when it comes back to the surface,
and compare the time and the ground range.
"""),
    code("""
from scipy.integrate import solve_ivp

R = stakes.EARTH_RADIUS_KM * 1e3  # m
MU = stakes.MU


def fly(speed_km_s, angle_deg):
    \"\"\"Integrate from burnout at (R, 0) until the surface; return (seconds, ground km).\"\"\"
    v, gamma = speed_km_s * 1e3, np.radians(angle_deg)
    state = [R, 0.0, v * np.sin(gamma), v * np.cos(gamma)]  # x, y, vx (up), vy (along)

    def newton(t, s):
        r3 = np.hypot(s[0], s[1]) ** 3
        return [s[2], s[3], -MU * s[0] / r3, -MU * s[1] / r3]

    def landed(t, s):
        return np.hypot(s[0], s[1]) - R

    landed.terminal, landed.direction = True, -1
    out = solve_ivp(newton, [0, 1e5], state, events=landed, rtol=1e-10, atol=1e-6,
                    first_step=1.0)
    t = out.t_events[0][-1]
    x, y = out.y_events[0][-1][:2]
    return t, np.arctan2(y, x) * stakes.EARTH_RADIUS_KM


rows = []
for s, v, a, t in zip(ranges_km, path.burnout_speed_km_s, path.flight_path_angle_deg, path.time_s):
    t_num, s_num = fly(v, a)
    rows.append({"ground range km": s, "closed form min": t / 60, "integrated min": t_num / 60,
                 "time difference %": 100 * (t_num - t) / t, "integrated range km": s_num})
check = pd.DataFrame(rows).round(3)
print("largest time difference: %.4f %%" % check["time difference %"].abs().max())
check
"""),
    md("""
The closed form and the integration agree to a small fraction of a percent (the
project's tests hold them to 0.1 % from 100 to 15,000 km).

## Reported times, judged

The bundled claims about time are judged with these numbers, read as said: the words
give an interval (`coverage.stakes.read_time_words`: "some 15 minutes" is 13.5 to 16.5,
"a little over two minutes" 2 to 2.5, a bare "106 seconds" exactly that), and the
whole interval is judged. The verdict bands (`coverage.stakes.judge_time`):
*impossible* when the claimed time is shorter than the straight chord through the
Earth flown at the system's highest speed (its minimum-energy burnout speed at maximum
range) plus the boost phase (the system's sourced figure, else for an ICBM its
propellant class's: about 3 minutes solid, 4 liquid, per the American Physical
Society's boost-phase study of 2003); *only on a depressed trajectory* between that
bound and the consistency band; *consistent* within ±25 % of the model; *slower than
the model* above it. An interval across a boundary is given every band it touches.
"""),
    code("""
from coverage.claims import evaluate_claim, load_claims
from coverage.systems import load_catalog

claims, catalog = load_claims(), load_catalog()
for claim_id in ["russian-tv-2022-sarmat-berlin-106-s", "zhuravlev-2024-oreshnik-london-15-min",
                 "podberyozkin-2017-iskander-warsaw-2-min"]:
    claim = claims[claim_id]
    verdict = evaluate_claim(claim, catalog)
    print(f"{claim.speaker} ({claim.date}): {claim.quote}")
    print(f"  source: {claim.sources[0].publisher}, {claim.sources[0].url}")
    for e, j in zip(verdict.evaluations, stakes.time_claim(verdict)):
        print(f"  at {e.layer.title}: {j.text}")
"""),
    md("""
## Where the model stops being right

**1. The boost phase is missing.** The formula starts at burnout. For long-range
missiles the rocket burns for minutes first. David Wright (Union of Concerned
Scientists) reported North Korea's lofted test of July 2017 as about 54 minutes for
about 960 km with an apogee near 4,500 km
(https://blog.ucsusa.org/david-wright/nk-longest-missile-test-yet). The free flight of
that *lofted* ellipse (the research notes derive it from the same geometry: with apogee
radius r_a, nu = pi − psi/2, e = (r_a − R) / (r_a + R cos nu), a = r_a / (1 + e),
cos E = (e + cos nu) / (1 + e cos nu), t = 2 (pi − E + e sin E) sqrt(a³/mu)) takes
about 50.5 minutes: the missing minutes are the boost.
"""),
    code("""
def lofted_time_min(ground_km, apogee_km):
    \"\"\"Free flight on the ellipse through both surface points with a given apogee, minutes.\"\"\"
    r_a = R + apogee_km * 1e3
    nu = np.pi - ground_km / stakes.EARTH_RADIUS_KM / 2
    e = (r_a - R) / (r_a + R * np.cos(nu))
    a = r_a / (1 + e)
    big_e = np.arccos((e + np.cos(nu)) / (1 + e * np.cos(nu)))
    return 2 * (np.pi - big_e + e * np.sin(big_e)) * np.sqrt(a**3 / MU) / 60


print(f"lofted, 960 km with a 4,500 km apogee: {lofted_time_min(960, 4_500):.1f} min "
      "free flight (reported: about 54 min in all)")
print(f"the same 960 km on the minimum-energy path: "
      f"{stakes.min_energy_flight_time_s(960).time_s / 60:.1f} min")
"""),
    md("""
**2. Real missiles need not fly the minimum-energy path, so it is not a lower
bound.** A lofted path arrives later: the Oreshnik fired from Kapustin Yar at Dnipro
on 21 November 2024 was reported by Ukraine's military intelligence (HUR) at about 15
minutes (https://insajderi.org/kjo-eshte-raketa-e-re-e-putinit-ukrainasit-publikojne-foto),
twice the minimum-energy time. A depressed (flatter, faster) path arrives sooner:
Iskander-M's 9M723 is described as quasi-ballistic on a flatter trajectory
(https://francais.rt.com/international/43348-systeme-missile-balistique-iskander-m). The only hard bound
is physical: no path is shorter than the straight chord, no missile of that range
flies faster than its burnout speed, and none arrives before its boost phase is over,
so the claim of 106 seconds for Sarmat to Berlin (impossible: the boost of a
liquid-propellant ICBM alone lasts about 4 minutes) and of a little over two minutes
for Iskander to Warsaw can be tested against it.
"""),
    code("""
from coverage.geodesy import distance_km

places = stakes.load_places()
def place(name, country):
    i = next(k for k, n in enumerate(places.name) if n == name and places.country[k] == country)
    return places.lon[i], places.lat[i]

# Kapustin Yar is taken at the town (GeoNames): the launch pad is not published.
d = float(distance_km(*place("Kapustin Yar", "RU"), *place("Dnipro", "UA")))
met = stakes.min_energy_flight_time_s(d).time_s / 60
print(f"Kapustin Yar to Dnipro: {d:,.0f} km; minimum-energy free flight {met:.1f} min; "
      f"reported about 15 min")
warsaw = stakes.fastest_time_s(279, 500) / 60
print(f"Iskander (500 km figure) over 279 km, chord at burnout speed: at least {warsaw:.1f} min")
"""),
    md("""
**3. The Earth turns.** A missile fired east gains the Earth's rotation (2 pi x 6,378 km
per sidereal day of 86,164 s: about 465 m/s at the equator), one fired west loses it; range and time change with the azimuth.
The model ignores it, as it ignores the air, the Earth's flattening and the warhead's
re-entry.

**What to take away.** The minimum-energy free-flight time is a yardstick, not a
prediction: give it with its model ("about 5.6 min of free flight on a
minimum-energy path"), add a boost phase only where a source gives one, and call a
claimed time impossible only when even the chord at top speed is slower. That is what
`threat-coverage claim` prints beside every distance (`flight_time_min` and
`flight_time_model` in `--json`).
"""),
]


NB5 = [
    md("""
# Claim of the day: judge a claim of your own

You read a claim in the news: a missile system, a place it is based, and what it
"puts in range". This notebook walks you through checking it: write the claim down as
a reading (which systems, from where, against which targets, what share), judge it,
read the verdict, see how the answer moves with the definition of "Europe's capitals"
and with where the launchers stand, and export a figure for your article.

The quote below is an **example** for practice, not something anyone said: replace
it, the speaker and the reading with the claim you want to check. Distances are
geodesic km on WGS84; whether a capital counts comes from its exact distance.
"""),
    md("""
## 1. Write the claim down

A claims file is YAML (the bundled one is `data/claims.yaml`; its comments explain
each field). `reading` is the check: the systems (ids of `threat-coverage systems`),
the launch sites (ids of `threat-coverage sites`) and launch areas, the targets and
their definition, and the share that must be in range ("every" = 1.0, "half" = 0.5).
"""),
    code('''
import tempfile
from pathlib import Path

workdir = Path(tempfile.mkdtemp())  # your files go here; nothing is written beside the notebook
claim_yaml = """
schema_version: 1
claims:
  - id: my-claim
    speaker: "Example only (replace with the speaker)"
    date: "2026-01-01"
    quote: "Iskanders in Kaliningrad can hit every NATO capital in Europe"
    reading:
      systems: [iskander-m]
      sites: [chernyakhovsk, kaliningrad]
      areas: [kaliningrad-oblast]
      targets: capitals
      definition: nato-europe
      share: 1.0
"""
claims_file = workdir / "my_claims.yaml"
claims_file.write_text(claim_yaml, encoding="utf-8")

from coverage.claims import load_claims

my_claim = load_claims(claims_file)["my-claim"]  # a mistake is named by line and field
my_claim
'''),
    md("""
## 2. Judge it

`check` makes the same call as `threat-coverage claim my-claim --claims my_claims.yaml`.
The verdict shows its report: the headline, why, the counts at each range figure and
the nearest capitals.
"""),
    code("""
from coverage.checks import Request, check

verdict = check(Request(claim_id="my-claim", claims_file=claims_file))
verdict
"""),
    code("""
print(verdict.summary)
print(verdict.range_needed_text)
"""),
    md("""
## 3. Change the definition and the origin

Which capitals count as "NATO capitals in Europe", and do the launchers stand in the
towns or anywhere in the oblast? `explore` re-judges at each choice.
"""),
    code("""
import pandas as pd

from coverage.notebook import explore, origin_choices

rows = []
for definition in ["nato-europe", "eu27", "europe-all"]:
    for origin in origin_choices(verdict):
        e = explore(verdict, definition=definition, origin=origin)
        rows.append({"definition": definition, "from": origin,
                     **e.counts, "verdict": e.verdict.verdict})
pd.DataFrame(rows)
"""),
    md("""
And at a range of your own: what would it take? Move the slider, or call `explore`
with `range_km=`.
"""),
    code("""
from coverage.notebook import explore_widget

explore_widget(verdict)
"""),
    md("""
## 4. Export a figure

A static figure (PNG, SVG or PDF) for an article: the same map as
`threat-coverage claim my-claim --claims my_claims.yaml --map my-claim.png`.
"""),
    code("""
from IPython.display import Image

from coverage.render.static import render_verdict

path = render_verdict(verdict, workdir / "my-claim.png", size_px=(1200, 675))
print(path.name, path.stat().st_size, "bytes")
Image(filename=path)
"""),
]


def write(name: str, cells) -> Path:
    nb = new_notebook(
        cells=cells, metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}}
    )
    for cell in nb.cells:
        cell.pop("id", None)  # nbformat adds random ids; keep files stable between runs
    nb.nbformat_minor = 4
    nbformat.validate(nb)
    path = OUT / name
    OUT.mkdir(exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return path


def main() -> None:
    for name, cells in (
        ("01_kaliningrad_claim.ipynb", NB1),
        ("02_your_own_system.ipynb", NB2),
        ("03_definitions_and_ranges.ipynb", NB3),
        ("04_flight_times.ipynb", NB4),
        ("05_claim_of_the_day.ipynb", NB5),
    ):
        print(write(name, cells))


if __name__ == "__main__":
    main()
