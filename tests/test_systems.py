"""Loading systems, sites, definitions, targets and claims.

Each bad input gives the right one-line error.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from coverage import CoordinateError, DataError, UnknownNameError
from coverage.claims import load_claims
from coverage.systems import DEFAULT_SYSTEMS, load_catalog
from coverage.targets import load_definitions, load_targets

GOOD = (Path(__file__).parent / "data" / "minimal_systems.yaml").read_text(encoding="utf-8")


def write(tmp_path, text, name="systems.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_catalog__bundled__every_figure_and_site_sourced():
    catalog = load_catalog()
    required = {
        "iskander-m",
        "9m728",
        "9m729",
        "tochka-u",
        "kinzhal",
        "kalibr",
        "bastion-p",
        "oreshnik",
        "yars",
        "sarmat",
        "s-400",
        "patriot-pac-2-gem-t",
        "patriot-pac-3-mse",
        "samp-t",
        "iris-t-slm",
        "nasams",
        "thaad",
        "aegis-ashore-sm-3",
    }
    assert required <= set(catalog.systems)
    assert {
        "chernyakhovsk",
        "kaliningrad",
        "baltiysk",
        "luga",
        "krichev",
        "redzikowo",
        "deveselu",
        "uzhur",
    } <= set(catalog.sites)
    for system in catalog:
        assert system.ranges
        for figure in system.ranges:
            assert figure.source is not None and figure.source.url.startswith("http")
    for site in catalog.sites.values():
        assert site.source is not None and site.source.url.startswith("http")
    kinds_9m729 = {(f.kind, f.km) for f in catalog.system("9m729").ranges}
    assert ("declared", 480) in kinds_9m729 and any(
        k == "estimated" and km >= 2000 for k, km in kinds_9m729
    )


def test_load_catalog__user_file_added_to_bundled(tmp_path):
    catalog = load_catalog([DEFAULT_SYSTEMS, write(tmp_path, GOOD)])
    assert catalog.site("test-site").position == (10.0, 50.0)
    assert "iskander-m" in catalog.systems


@pytest.mark.parametrize(
    "old, new, line, field, message",
    [
        ("km: 300", "km: -50", 9, "systems[0].ranges[0].km", "greater than 0"),
        ("km: 300", "km: .nan", 9, "systems[0].ranges[0].km", "finite"),
        ("km: 300", "km: 30000", 9, "systems[0].ranges[0].km", "antipodal"),
        ("km: 300", "km: three hundred", 9, "systems[0].ranges[0].km", "number"),
        ("    lat: 50.0", "    lat: 91", 15, "sites[0].lat", "latitude"),
        ("    lon: 10.0", "    lon: 190", 14, "sites[0].lon", "longitude"),
        ("    name: Test missile\n", "", 3, "systems[0].name", "required"),
        ("role: ballistic", "role: laser", 5, "systems[0].role", "ballistic"),
        (
            "systems: [test-missile]",
            "systems: [test-missle]",
            16,
            "sites[0].systems[0]",
            "did you mean 'test-missile'",
        ),
        ("  - id: test-site", "  - id: Test Site", 12, "sites[0].id", "pattern"),
        ("kind: declared", "kind: rumoured", 8, "systems[0].ranges[0].kind", "declared"),
        ("    lon: 10.0", "    lon: true", 14, "sites[0].lon", "number"),
        ("    lat: 50.0", '    lat: "50"', 15, "sites[0].lat", "number"),
    ],
)
def test_load_catalog__bad_value__file_line_field(tmp_path, old, new, line, field, message):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(DataError, match=message) as info:
        load_catalog(path)
    err = info.value
    text = str(err)
    assert "\n" not in text
    assert text.startswith(f"{path}:{line}: {field}"), text
    assert (err.path, err.line, err.field) == (path, line, field)


def test_load_catalog__yaml_syntax_error__line(tmp_path):
    path = write(tmp_path, GOOD.replace("    name: Test site", "    name: [unclosed"))
    with pytest.raises(DataError, match="YAML syntax error") as info:
        load_catalog(path)
    assert info.value.line in (13, 14)


def test_load_catalog__duplicate_key_and_id(tmp_path):
    with pytest.raises(DataError, match="duplicate key 'name'"):
        load_catalog(
            write(tmp_path, GOOD.replace("    lon: 10.0", "    name: again\n    lon: 10.0"))
        )
    doubled = GOOD + "  - id: test-site\n    name: Again\n    lon: 1\n    lat: 1\n"
    with pytest.raises(DataError, match="duplicate site id 'test-site'"):
        load_catalog(write(tmp_path, doubled))


def test_load_catalog__missing_file_not_utf8_and_empty(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_catalog(tmp_path / "nope.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(GOOD.replace("Test site", "Test s\xeete").encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8") as info:
        load_catalog(latin)
    assert info.value.line == 13
    assert len(load_catalog(write(tmp_path, "")).systems) == 0


def test_catalog__unknown_names_suggest_close_ids():
    catalog = load_catalog()
    with pytest.raises(
        UnknownNameError, match=r"unknown system 'iskandar'; did you mean 'iskander-m'\?"
    ):
        catalog.system("iskandar")
    with pytest.raises(LookupError):  # the builtin still catches it
        catalog.site("chernyakovsk")


def test_load_definitions__counts():
    defs = load_definitions()
    assert {k: v.count for k, v in defs.items()} == {
        "europe-all": 51,
        "eu27": 27,
        "eu": 27,
        "nato-europe": 30,
        "council-of-europe": 46,
        "un-europe": 44,
    }


def test_load_targets__definitions_filter_bundled_capitals():
    assert len(load_targets()) == 51
    eu = load_targets(definition="eu27")
    assert len(eu) == 27 and eu.definition.id == "eu27"
    assert "Moscow" not in {t.name for t in eu}
    with pytest.raises(UnknownNameError, match="did you mean 'eu27'"):
        load_targets(definition="eu-27")


def feature(name, lon, lat, **props):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"name": name, **props},
    }


def test_load_targets__user_file_used_as_given(tmp_path):
    path = tmp_path / "mine.geojson"
    path.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": [feature("A", 1, 2), feature("B", -170, -60)]}
        )
    )
    targets = load_targets(path)
    assert [t.name for t in targets] == ["A", "B"] and targets.definition is None
    with pytest.raises(Exception, match="carry no 'definitions'"):
        load_targets(path, definition="eu27")


@pytest.mark.parametrize(
    "features, message, field",
    [
        ([feature("A", 1, 91)], "latitude", "features[0].geometry.coordinates"),
        (
            [
                feature("A", 1, 2),
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": []},
                    "properties": {"name": "P"},
                },
            ],
            "must be Point",
            "features[1].geometry.type",
        ),
        (
            [{"type": "Feature", "geometry": {"type": "Point"}, "properties": {"name": "X"}}],
            "coordinates",
            "features[0].geometry.coordinates",
        ),
        ([feature("", 1, 2)], "name", "features[0].properties.name"),
        ([], "no targets", None),
    ],
)
def test_load_targets__malformed_geojson__one_line(tmp_path, features, message, field):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, indent=1))
    with pytest.raises(DataError, match=message) as info:
        load_targets(path)
    assert info.value.field == field
    assert "\n" not in str(info.value)
    if features and field:
        assert info.value.line is not None


def test_load_targets__json_syntax_error__line(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",,}\n ]}')
    with pytest.raises(DataError, match="JSON syntax error") as info:
        load_targets(path)
    assert info.value.line == 3


def test_load_claims__bundled__default_first_and_references_known():
    claims = load_claims()
    assert next(iter(claims)) == "grybauskaite-2018-capitals"
    assert "grybauskaite-2018-countries" in claims
    catalog = load_catalog()
    defs = load_definitions()
    for claim in claims.values():
        assert claim.sources and claim.quote
        for s in claim.reading.systems:
            catalog.system(s)
        for s in claim.reading.sites:
            catalog.site(s)
        assert claim.reading.definition in defs


def test_coordinate_error_is_a_value_error():
    assert issubclass(CoordinateError, ValueError) and issubclass(DataError, ValueError)


def test_load_catalog__bare_no_for_norway__clear_message(tmp_path):
    path = write(tmp_path, GOOD.replace("    lon: 10.0", "    country: NO\n    lon: 10.0"))
    with pytest.raises(DataError, match='write Norway as "NO" in quotes') as info:
        load_catalog(path)
    assert info.value.field == "sites[0].country" and info.value.line == 14
