"""The API's own contract: a public function answers or raises a CoverageError, nothing else.

Every function named in ``coverage.__all__`` and in each public module's ``__all__``
(found with ``inspect``; parameters from its signature) is fed wrong types, wrong
shapes, NaN, +-inf, ``None``, a lone string where a sequence is expected and a lone
pair where points are expected, mixed with good values of the kinds the API takes.
Whatever comes out must be a result or one line of a :class:`CoverageError` subclass:
never a raw ``TypeError``, ``ValueError``, ``OverflowError`` or ``AttributeError``.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import math
import pkgutil
import reprlib
from types import FunctionType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coverage
from coverage import render
from coverage.errors import CoverageError, ParameterError

pytestmark = pytest.mark.fuzz


def _public_modules() -> list[str]:
    """Return the package and its public modules (private ``_x`` and the CLI left out)."""
    names = ["coverage"]
    names += [f"coverage.{m.name}" for m in pkgutil.iter_modules(coverage.__path__)]
    names += [f"coverage.render.{m.name}" for m in pkgutil.iter_modules(render.__path__)]
    return [n for n in names if not n.rsplit(".", 1)[-1].startswith("_") and n != "coverage.cli"]


def _public_functions() -> list[tuple[str, object]]:
    """Return ``(qualified name, function)`` for every public function, each once."""
    found: dict[int, tuple[str, object]] = {}
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                found.setdefault(id(obj), (f"{obj.__module__}.{name}", obj))
    return sorted(found.values(), key=lambda item: item[0])


FUNCTIONS = _public_functions()


def _public_methods() -> list[tuple[type, str]]:
    """Return ``(class, method name)`` for the public methods of the public classes."""
    found = set()
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            cls = getattr(module, name)
            if not inspect.isclass(cls) or issubclass(cls, BaseException):
                continue
            for attr, member in vars(cls).items():
                if not attr.startswith("_") and isinstance(member, (classmethod, FunctionType)):
                    found.add((cls, attr))
    return sorted(found, key=lambda item: (item[0].__module__, item[0].__name__, item[1]))


METHODS = _public_methods()

#: Values no parameter of the API takes in the place they are sent to.
HOSTILE = [
    None,
    math.nan,
    math.inf,
    -math.inf,
    True,
    "4",
    "abc",
    "",
    b"x",
    (20.5, 54.7),
    [],
    [[1, 2]],
    {},
    object(),
    -1,
    0,
    10**400,
    1e308,
    np.array([np.nan]),
    np.array(["a"]),
    np.float64(np.inf),
]


@functools.cache
def _good() -> list[object]:
    """Return good values of the kinds the API takes: numbers, ids, objects, a verdict."""
    from coverage.checks import Request, check
    from coverage.envelopes import ad_hoc_figure, ad_hoc_site, envelopes, group
    from coverage.render.static_geometry import Projection
    from coverage.sectors import Sector
    from coverage.systems import load_catalog
    from coverage.targets import load_targets

    catalog = load_catalog()
    site = ad_hoc_site(20.51, 54.71)
    ring = envelopes([site], ad_hoc_figure(500.0))
    verdict = check(Request(range_km=1000.0, points=((20.51, 54.71),)))
    return [
        20.5,
        54.7,
        500.0,
        2,
        "iskander-m",
        ("iskander-m",),
        ((20.5, 54.7),),
        site,
        [site],
        catalog,
        catalog.system("iskander-m"),
        ring,
        ring[0],
        group(ring)[0],
        Sector(0.0, 90.0),
        load_targets(),
        verdict,
        verdict.distances,
        Projection(20.51, 54.71),
        *_good_objects(verdict),
    ]


def _good_objects(verdict) -> list[object]:
    """Good values of the classes whose methods are fed: report, scene, cover, area ..."""
    from coverage.areas import load_areas
    from coverage.checks import Request, check
    from coverage.datafile import JsonStream
    from coverage.gpkg import geopackage_tables
    from coverage.notebook import explore, explore_widget
    from coverage.render.scene import scene_for
    from coverage.render.static import layout
    from coverage.tables import definitions_table
    from coverage.targets import DEFAULT_CAPITALS, load_definitions
    from coverage.where import swap_hint

    claim = check(Request(claim_id="blaszczak-2023-warsaw-patriot-defence"))
    scene = scene_for(claim)
    hint = swap_hint(54.71, 20.51, [("Vilnius", 25.28, 54.69)])
    return [
        claim.report,
        scene,
        scene.range_control,
        layout(scene),
        geopackage_tables(scene, verdict=claim)[0],
        claim.defences[0],
        next(iter(load_areas().values())),
        definitions_table(load_definitions().values()),
        explore(verdict, range_km=800.0),
        explore_widget(verdict),
        JsonStream(DEFAULT_CAPITALS, array="features"),
        *([hint] if hint is not None else []),
        *_dated_objects(),
    ]


def _dated_objects() -> list[object]:
    """Good values of the dated and time classes: day, event, readings, timeline, tables."""
    from coverage import dated
    from coverage.defences import horizon_table
    from coverage.stakes import boost_bound
    from coverage.systems import load_catalog
    from coverage.targets import load_definitions
    from coverage.timeline import timeline

    eu = load_definitions()["eu"]
    dated_steps = timeline("grybauskaite-2018-capitals")
    reading = dated_steps.verdict.report.as_of  # the claim checked as of its own date
    # A claim of 2013 judged without the figures published after it (LateFigure).
    late = timeline("bild-2013-berlin-527-km").verdict.report.as_of.late_figures[0]
    return [
        late,
        dated_steps,
        dated_steps.steps[0],
        dated_steps.steps[0].counts[0],
        dated.as_of("2018-02-05"),
        dated.events()[0],
        reading,
        reading.lists[0],
        reading.sites[0],
        boost_bound(load_catalog().system("sarmat")),
        horizon_table(4.0, 50.0),
        eu,
        eu.history[0],
    ]


def _arguments(function, draw) -> tuple[list, dict]:
    """Draw arguments for ``function``: one hostile, the rest hostile or good."""
    params = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if not params:
        return [], {}
    chosen = [p for p in params if p.default is p.empty or draw(st.booleans())]
    if not chosen:
        chosen = [params[0]]
    bad = draw(st.sampled_from(chosen))
    pool = HOSTILE + _good()
    args, kwargs = [], {}
    for p in params:
        if p not in chosen:
            continue
        if p is bad:
            value = draw(
                st.sampled_from([v for v in HOSTILE if not _same(v, p.default)] or HOSTILE)
            )
        else:
            value = draw(st.sampled_from(pool))
        if p.kind == p.KEYWORD_ONLY:
            kwargs[p.name] = value
        else:
            args.append(value)
    return args, kwargs


def _same(value, default) -> bool:
    """Return True when ``value`` is the parameter's own default (then it is no attack)."""
    try:
        return type(value) is type(default) and bool(value == default)
    except (TypeError, ValueError):
        return False


def _call(function, args, kwargs):
    """Call ``function``; return None, or the error if it is not a one-line CoverageError."""
    try:
        function(*args, **kwargs)
    except CoverageError as err:
        if "\n" in str(err):
            return err
    except Exception as err:  # noqa: BLE001 - the contract is what comes out, whatever it is
        return err
    return None


@pytest.mark.parametrize("name, function", FUNCTIONS, ids=[name for name, _ in FUNCTIONS])
def test_public_function__wrong_arguments__result_or_coverage_error(
    name, function, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # functions that write files write them here
    budget = max(8, settings.default.max_examples // 4)

    @settings(max_examples=budget)
    @given(st.data())
    def run(data):
        args, kwargs = _arguments(function, data.draw)
        err = _call(function, args, kwargs)
        shown = reprlib.Repr()
        shown.maxstring = shown.maxother = 60
        assert err is None, (
            f"{name}(*{shown.repr(args)}, **{shown.repr(kwargs)}) raised "
            f"{type(err).__name__}: {shown.repr(str(err))}"
        )

    run()


@pytest.mark.parametrize(
    "cls, method", METHODS, ids=[f"{c.__module__}.{c.__name__}.{m}" for c, m in METHODS]
)
def test_public_method__wrong_arguments__result_or_coverage_error(
    cls, method, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    instance = next((value for value in _good() if type(value) is cls), None)
    if instance is None:
        pytest.skip(f"no {cls.__name__} among the good values: only its functions are fed")
    bound = getattr(instance, method)
    budget = max(8, settings.default.max_examples // 4)

    @settings(max_examples=budget)
    @given(st.data())
    def run(data):
        args, kwargs = _arguments(bound, data.draw)
        err = _call(bound, args, kwargs)
        assert err is None, f"{cls.__name__}.{method}: {type(err).__name__}: {err}"[:500]

    run()


def test_public_functions__found_from_all():
    names = {name for name, _ in FUNCTIONS}
    assert {"coverage.geodesy.range_ring", "coverage.checks.check"} <= names
    assert "coverage.claims.verdict_to_dict" in names
    assert len(FUNCTIONS) > 100


# The cases the third bad-input round found, each pinned with what a reader sees.


def test_radar_horizon_km__string_height__refused_like_request():
    from coverage.geodesy import radar_horizon_km

    with pytest.raises(ParameterError, match="radar_height_m") as caught:
        radar_horizon_km("4", 50)
    assert caught.value.parameter == "radar_height_m"


def test_check__one_string_for_systems__refused_not_read_per_character():
    from coverage.checks import Request, check

    with pytest.raises(ParameterError, match=r"systems: .*single string") as caught:
        check(Request(systems="iskander-m", points=((20.5, 54.7),)))
    assert "'i'" not in str(caught.value)
    assert caught.value.parameter == "systems"


def test_check__one_string_for_area_files__refused_not_read_per_character():
    from coverage.checks import Request, check

    with pytest.raises(ParameterError, match="area_files") as caught:
        check(Request(range_km=500.0, area_files="a"))
    assert "file not found" not in str(caught.value)


def test_check__point_given_as_two_floats__refused_naming_points():
    from coverage.checks import Request, check

    with pytest.raises(ParameterError, match=r"points\[0\]: must be a \(lon, lat\) pair"):
        check(Request(range_km=500.0, points=(20.5, 54.7)))


def test_sector_contains__string__refused():
    from coverage.sectors import Sector

    with pytest.raises(ParameterError, match="azimuth_deg"):
        Sector(0.0, 90.0).contains("abc")


def test_step_line__names_not_a_mapping_of_strings__refused_naming_names():
    # The contract fed Step.line a float for ``names``: AttributeError ('get').
    from coverage.timeline import timeline

    step = timeline("grybauskaite-2018-capitals").steps[0]  # 1990: no Iskander there yet
    assert step.absent == ("chernyakhovsk", "kaliningrad")
    assert "Not in place that day: chernyakhovsk, Kaliningrad (" in step.line(
        {"kaliningrad": "Kaliningrad"}
    )
    with pytest.raises(ParameterError, match=r"^names: must be a Mapping, got nan") as caught:
        step.line(math.nan)
    assert caught.value.parameter == "names"
    with pytest.raises(ParameterError, match=r"^names\['kaliningrad'\]: must be a string, got 5"):
        step.line({"kaliningrad": 5})


def test_verdict_to_dict__none__refused_naming_verdict():
    from coverage.claims import verdict_to_dict

    with pytest.raises(ParameterError, match="verdict: must be a Verdict, got None"):
        verdict_to_dict(None)


def test_parse_size__infinite__refused():
    from coverage.render.static import parse_size

    with pytest.raises(ParameterError, match="size"):
        parse_size((math.inf, 400))


@pytest.mark.parametrize("value", ["500", True, None, math.nan, math.inf])
def test_range_ring__not_a_number__refused_naming_max_km(value):
    from coverage.geodesy import range_ring

    with pytest.raises(ParameterError, match="max_km"):
        range_ring(20.5, 54.7, value)


# Issue 22 item 6: repeated defences are merged in the library, with a warning.


def test_check__10000_copies_of_one_defence__counted_once_with_a_warning():
    import time

    from coverage.checks import Request, check
    from coverage.claims import verdict_to_dict
    from coverage.errors import CoverageWarning

    once = check(Request(defences=("patriot-pac-3-mse@warsaw-babice",)))
    start = time.perf_counter()
    with pytest.warns(CoverageWarning, match=r"'patriot-pac-3-mse@warsaw-babice' x10,000"):
        many = check(Request(defences=("patriot-pac-3-mse@warsaw-babice",) * 10_000))
    assert time.perf_counter() - start < 10
    assert [c.defence.id for c in many.defences] == ["patriot-pac-3-mse@warsaw-babice"]
    assert verdict_to_dict(many) == verdict_to_dict(once)


def test_check__two_defences_one_repeated__both_kept_in_first_order():
    from coverage.checks import Request, check
    from coverage.errors import CoverageWarning

    given = (
        "patriot-pac-2-gem-t@warsaw-babice",
        "samp-t@rzeszow-jasionka",
        "patriot-pac-2-gem-t@warsaw-babice",
    )
    with pytest.warns(CoverageWarning, match="x2"):
        v = check(Request(systems=("kalibr",), points=((20.0, 54.9),), defences=given))
    assert [c.defence.id for c in v.defences] == list(given[:2])


def test_load_catalog__one_string__is_one_path_not_characters(tmp_path):
    # "a path or several paths": one string is one path, never read per character.
    from coverage.errors import DataError
    from coverage.systems import load_catalog

    with pytest.raises(DataError, match="nowhere.yaml") as caught:
        load_catalog(str(tmp_path / "nowhere.yaml"))
    assert "n: file not found" not in str(caught.value)


@pytest.mark.parametrize(
    "call, parameter",
    [
        (lambda: __import__("coverage.checks").checks.check(None), "request"),
        (lambda: __import__("coverage.exports").exports.verdict_csv(None), "verdict"),
        (lambda: __import__("coverage.render.leaflet").render.leaflet.verdict_map(None), "verdict"),
        (lambda: __import__("coverage.report").report.report_for(None), "verdict"),
        (lambda: __import__("coverage.geodesy").geodesy.range_rings([0], [0], [10**400]), "max_km"),
        (lambda: __import__("coverage.bulk").bulk.within_ring(0, 0, "500", [0], [0]), "max_km"),
    ],
)
def test_public_function__wrong_type__parameter_error_naming_it(call, parameter):
    with pytest.raises(ParameterError) as caught:
        call()
    assert caught.value.parameter == parameter
    assert str(caught.value).startswith(f"{parameter}: must be")


# Issue 22 item 7: the library's pydantic models, built in code, refuse like its functions.


def _public_models() -> list[type]:
    """Return every pydantic model named in a public module's ``__all__``, each once."""
    from pydantic import BaseModel

    found: dict[int, type] = {}
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseModel):
                found.setdefault(id(obj), obj)
    return sorted(found.values(), key=lambda cls: (cls.__module__, cls.__name__))


MODELS = _public_models()


@functools.cache
def _model_examples() -> dict[type, object]:
    """Return one valid instance of every public model, from the bundled data."""
    from coverage.claims import DEFAULT_CLAIM, load_claims
    from coverage.systems import load_catalog
    from coverage.targets import load_definitions

    catalog = load_catalog()
    system = catalog.system("iskander-m")
    claim = load_claims()[DEFAULT_CLAIM]
    timed = next(s for s in catalog.systems.values() if s.cruise_speed_kmh is not None)
    fuelled = next(s for s in catalog.systems.values() if s.propellant is not None)
    examples = [
        catalog.site("chernyakhovsk"),
        system,
        system.ranges[0],
        system.ranges[0].source,
        system.nuclear_capable,
        timed.cruise_speed_kmh,
        fuelled.propellant,
        load_definitions()["eu"].history[0],
        claim,
        claim.reading,
        load_definitions()["eu27"],
    ]
    return {type(e): e for e in examples}


def _build(model, how: str, fields: dict):
    """Build ``model`` from ``fields`` by keyword (``init``) or from a mapping."""
    if how == "init":
        return model(**fields)
    return model.model_validate(fields)


def test_public_models__found_from_all_with_an_example_each():
    names = {cls.__name__ for cls in MODELS}
    assert {"Site", "System", "RangeEstimate", "Source", "Claim", "Reading"} <= names
    assert set(MODELS) <= set(_model_examples()), set(MODELS) - set(_model_examples())


@pytest.mark.parametrize("model", MODELS, ids=[cls.__name__ for cls in MODELS])
def test_public_model__wrong_fields__built_or_field_error(model):
    from coverage.errors import FieldError

    example = _model_examples()[model]
    valid = {name: getattr(example, name) for name in model.model_fields}
    assert _build(model, "init", valid) == example  # the example itself is accepted
    pool = HOSTILE + [math.nan, "x" * 3000, {"a": 1}, ["a"], 10**30]

    @settings(max_examples=max(20, settings.default.max_examples // 2))
    @given(st.data())
    def run(data):
        bad = data.draw(st.lists(st.sampled_from(sorted(valid)), min_size=1, max_size=3))
        fields = dict(valid)
        for name in bad:
            fields[name] = data.draw(st.sampled_from(pool))
        if data.draw(st.booleans()):  # an unknown field, or a missing one
            fields.pop(bad[0]) if data.draw(st.booleans()) else fields.update(no_such_field=1)
        how = data.draw(st.sampled_from(["init", "model_validate"]))
        try:
            _build(model, how, fields)
        except FieldError as err:
            assert "\n" not in str(err), str(err)
            assert isinstance(err, ParameterError) and isinstance(err, ValueError)
            assert err.model == model.__name__ and str(err).startswith(model.__name__)
            assert err.field is None or err.field.split("[")[0].split(".")[0] in {
                *fields,
                *model.model_fields,
            }
        except CoverageError as err:
            assert "\n" not in str(err), str(err)

    run()


@pytest.mark.parametrize(
    "build, message, field",
    [
        (lambda m: m.Site(id=None), r"^Site\.id: Input should be a valid string, got None", "id"),
        (
            lambda m: m.RangeEstimate(kind="given", km=math.inf),
            r"^RangeEstimate\.km: Input should be a finite number, got inf$",
            "km",
        ),
        (
            lambda m: m.RangeEstimate(kind="given", km=500.0, min_km=600.0),
            r"^RangeEstimate: min_km must be smaller than km, got 600.0 >= 500.0$",
            None,
        ),
        (
            lambda m: m.Site(id="x", name="x", lon=math.nan, lat=54.0),
            r"^Site\.lon: longitude must be a finite number",
            "lon",
        ),
        (lambda m: m.System("iskander-m"), r"^System: fields are given by name", None),
        (
            lambda m: m.Source.model_validate_json("{"),
            r"^Source: Invalid JSON: EOF while parsing",
            None,
        ),
    ],
)
def test_model__built_wrong__one_field_error_line_naming_the_field(build, message, field):
    import re

    from coverage import systems
    from coverage.errors import FieldError

    with pytest.raises(FieldError) as caught:
        build(systems)
    assert re.search(message, str(caught.value)), str(caught.value)
    assert caught.value.field == field and caught.value.parameter == field
    assert isinstance(caught.value, ValueError)


def test_model__data_file__still_names_file_line_and_field(tmp_path):
    from coverage.errors import DataError
    from coverage.systems import load_catalog

    good = load_catalog.__globals__["DEFAULT_SYSTEMS"].read_text(encoding="utf-8")
    bad = good.replace("km: ", "km: -", 1)
    path = tmp_path / "systems.yaml"
    path.write_text(bad, encoding="utf-8")
    line = bad[: bad.index("km: -")].count("\n") + 1
    with pytest.raises(DataError, match=rf"^{path}:{line}: systems\[\d+\]\.ranges\[\d+\]\.km: "):
        load_catalog(path)
