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
## Every capital, nearest first

`margin_km[...]` is range minus distance: positive inside, negative outside (inside a
minimum range, such as Iskander's declared 50 km, it is the distance minus that minimum,
also negative). Whether a capital counts comes from the exact distance, never from a
drawn circle.
"""),
    code("""
table = verdict_gdf(v).drop(columns="geometry").sort_values("distance_km")
margins = [c for c in table.columns if c.startswith("margin_km[")]
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
## The map

Rings are exact geodesic range rings (declared and estimated), capitals are coloured
by whether they are in range.
"""),
    code("""
from coverage.maps import verdict_map

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
from coverage.maps import coverage_map

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
    ):
        print(write(name, cells))


if __name__ == "__main__":
    main()
