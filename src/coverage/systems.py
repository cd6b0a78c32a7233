"""Systems, their range figures and their basing sites: data/systems.yaml.

Each system keeps every range figure its sources give, declared (by the maker or
operator) and estimated (by an outside party) side by side, each with a source.
Sites carry coordinates (decimal degrees, longitude first) with a source for them.
The file is validated on load; a bad file raises one
:class:`~coverage.errors.DataError` line naming file, line and field.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator
from shapely.geometry import MultiPolygon, Polygon

from . import _validate as _v
from . import resources
from .datafile import ISO2, Model, _read_yaml, locate_line, validate
from .errors import (
    CoordinateError,
    CoverageError,
    DataError,
    FieldError,
    ParameterError,
    UnknownNameError,
)
from .geodesy import LonLat, antipodal_distance_km, check_lonlat

__all__ = [
    "Source",
    "RangeEstimate",
    "SourcedValue",
    "Propellant",
    "NuclearCapability",
    "System",
    "Site",
    "Catalog",
    "load_catalog",
    "area_site",
    "DEFAULT_SYSTEMS",
    "ANTIPODAL_KM",
]

#: The bundled catalogue.
DEFAULT_SYSTEMS: Path = resources.data_path("systems.yaml")
#: Geodesic distance from any point to its antipode on WGS84 (half a meridian), km.
ANTIPODAL_KM = antipodal_distance_km(0.0, 0.0)

Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
DateText = Annotated[str, Field(pattern=r"^(\d{4}(-\d{2}){0,2}|n\.d\.)$")]
#: A site's last day there; "not sourced" when it has left on a day no source gives.
UntilText = Annotated[str, Field(pattern=r"^(\d{4}(-\d{2}){0,2}|not sourced)$")]


class _Model(Model):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Model):
    """Where a figure or a location comes from."""

    title: Text
    publisher: Text | None = None
    url: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)]
    date: DateText = "n.d."

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def source_dict(source: Source | None) -> dict | None:
    """Return a source as JSON-ready data; a missing date (``n.d.`` in the data) is null."""
    if source is None:
        return None
    out = source.model_dump()
    if out.get("date") == "n.d.":
        out["date"] = None
    return out


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {value!r}")
    if value > ANTIPODAL_KM:
        raise ValueError(
            f"must be at most the antipodal distance, {ANTIPODAL_KM:,.1f} km (no point on Earth "
            f"is farther), got {value!r}"
        )
    return value


class RangeEstimate(_Model):
    """One range figure: kilometres, what it applies to, who says so.

    ``km`` is the maximum range and ``min_km`` the minimum (0 when none is given),
    both geodesic kilometres from the launcher.
    """

    kind: Literal["declared", "estimated", "given"]  # "given": typed in by the user, no source
    km: Annotated[float, Field(gt=0, allow_inf_nan=False, strict=True)]
    min_km: Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)] = 0.0
    against: Literal["surface", "aircraft", "ballistic missiles", "cruise missiles"] = "surface"
    label: Text | None = None
    source: Source | None = None  # required in data files; None only for a user's ad hoc range
    note: Text | None = None

    @field_validator("km", "min_km")
    @classmethod
    def _finite_km(cls, value: float) -> float:
        return _finite(value)

    @model_validator(mode="after")
    def _min_below_max(self):
        if self.min_km >= self.km:
            raise ValueError(f"min_km must be smaller than km, got {self.min_km} >= {self.km}")
        return self

    @property
    def title(self) -> str:
        """Short description, e.g. ``"declared 50–500 km"`` or ``"declared 400 km vs aircraft"``."""
        span = f"{self.min_km:,.0f}–{self.km:,.0f}" if self.min_km else f"{self.km:,.0f}"
        text = f"{self.kind} {span} km"
        if self.against != "surface":
            text += f" vs {self.against}"
        return text


class SourcedValue(_Model):
    """One sourced number with its unit in the field name (e.g. ``cruise_speed_kmh``)."""

    value: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    source: Source
    note: Text | None = None


class Propellant(_Model):
    """A missile's propellant class with its source; sets a class boost phase (coverage.stakes)."""

    kind: Literal["solid", "liquid"]
    source: Source


class NuclearCapability(_Model):
    """Whether a system can carry nuclear warheads, and who says so."""

    status: Literal["yes", "no", "disputed"]
    source: Source | None = None
    note: Text | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _yaml_booleans(cls, value):
        # YAML 1.1 reads a bare yes/no as a boolean; accept it rather than punish it.
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value


class System(_Model):
    """A missile or air-defence system with its range figures."""

    id: Id
    name: Text
    designations: list[Text] = Field(default_factory=list)
    role: Literal["ballistic", "cruise", "air-launched ballistic", "air defence", "missile defence"]
    nuclear_capable: NuclearCapability
    ranges: list[RangeEstimate] = Field(min_length=1)
    # Optional sourced figures for the time to target (coverage.stakes); absent
    # where no source gives them.
    cruise_speed_kmh: SourcedValue | None = None
    boost_s: SourcedValue | None = None
    # Where no boost phase of its own is sourced, the propellant class gives a
    # class figure for ICBMs (coverage.stakes.boost_bound).
    propellant: Propellant | None = None
    notes: Text | None = None

    @field_validator("ranges")
    @classmethod
    def _sourced(cls, ranges: list[RangeEstimate]) -> list[RangeEstimate]:
        for j, figure in enumerate(ranges):
            if figure.source is None:
                raise ValueError(f"ranges[{j}] has no source; every figure needs one")
            if figure.kind == "given":
                raise ValueError(
                    f"ranges[{j}].kind must be 'declared' or 'estimated' in a catalogue"
                )
        return ranges

    def figures(self, kind: str | None = None) -> list[RangeEstimate]:
        """Return the range figures, optionally only those of one kind."""
        return [r for r in self.ranges if kind is None or r.kind == kind]


class Site(_Model):
    """A basing point, or a launch area. Decimal degrees (WGS84), longitude first.

    A point site has ``lon``/``lat``. An area site names a launch area of
    ``data/areas.geojson`` (``area: kaliningrad-oblast``) or carries its outline
    (``geometry``, a shapely Polygon or MultiPolygon in lon/lat degrees with
    geodesic edges); its ``lon``/``lat`` are then a point inside it, for labels,
    unless given. Launchers may stand anywhere in an area: distances are to its
    nearest point (see :mod:`coverage.areas`). A point site may face one way:
    ``sector: [FROM, TO]`` (degrees clockwise from true north, see
    :class:`coverage.sectors.Sector`); an area has no single direction, so it
    cannot.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    id: Id
    name: Text
    country: ISO2 | None = None
    # strict: a bool or a quoted string is an error
    lon: Annotated[float | None, Field(strict=True)] = None
    lat: Annotated[float | None, Field(strict=True)] = None
    area: Id | None = None
    sector: tuple[float, float] | None = None
    role: Literal["launch", "defence", "garrison"] | None = None
    geometry: Annotated[Any, Field(exclude=True, repr=False)] = None
    location_precision: Literal["exact", "approximate", "town centre", "user", "area"] = (
        "approximate"
    )
    systems: list[Id] = Field(default_factory=list)
    unit: Text | None = None
    since: DateText | None = None
    until: UntilText | None = None
    source: Source | None = None
    deployment_source: Source | None = None
    until_source: Source | None = None
    notes: Text | None = None

    @field_validator("since", "until", mode="before")
    @classmethod
    def _date_as_text(cls, value):
        return value.isoformat() if hasattr(value, "isoformat") else value

    @field_validator("since", "until")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None and value not in ("n.d.", "not sourced"):
            from .dated import checked_text

            checked_text(value)  # "2018-02-30" is refused too
        return value

    @model_validator(mode="after")
    def _until_after_since(self):
        from .dated import Day

        if self.until in (None, "not sourced") or self.since in (None, "n.d."):
            return self
        if Day.parse(self.until).last < Day.parse(self.since).first:
            raise ValueError(f"until {self.until} is before since {self.since}")
        return self

    @field_validator("lon")
    @classmethod
    def _lon(cls, value: float | None) -> float | None:
        return None if value is None else _checked(value, 0.0)[0]

    @field_validator("lat")
    @classmethod
    def _lat(cls, value: float | None) -> float | None:
        return None if value is None else _checked(0.0, value)[1]

    @model_validator(mode="after")
    def _point_or_area(self):
        if self.area is not None or self.geometry is not None:
            if self.geometry is None:
                object.__setattr__(self, "geometry", _bundled_area(self.area).geometry)
            elif not isinstance(self.geometry, (Polygon, MultiPolygon)):
                raise ValueError(
                    "geometry must be a shapely Polygon or MultiPolygon, "
                    f"got {type(self.geometry).__name__}"
                )
            if self.sector is not None:
                raise ValueError(
                    "sector: an area has no single azimuth to measure from; give sectors to "
                    "point sites only"
                )
            if self.lon is None or self.lat is None:
                inside = self.geometry.representative_point()
                object.__setattr__(self, "lon", float(inside.x))
                object.__setattr__(self, "lat", float(inside.y))
        elif self.lon is None or self.lat is None:
            raise ValueError("a point site needs lon and lat (or give area: ID for a launch area)")
        if self.sector is not None:
            from .sectors import Sector

            try:
                Sector(*self.sector)
            except CoverageError as err:
                raise ValueError(str(err)) from None
        return self

    @property
    def kind(self) -> str:
        """``"point"``, or ``"area"`` for a launch area."""
        return "point" if self.geometry is None else "area"

    @property
    def position(self) -> LonLat:
        """The site as ``LonLat(lon, lat)`` (for an area, a point inside it)."""
        return LonLat(self.lon, self.lat)


def area_site(area_id: str) -> Site:
    """Return a bundled launch area (``data/areas.geojson``) as an area Site.

    Raises
    ------
    UnknownNameError
        If no bundled area has that id; the message suggests close ids.
    """
    _v.text(area_id, "area_id")
    return _area_site(area_id)


def _area_site(area_id: str) -> Site:
    """Return :func:`area_site` of a checked id."""
    areas = _areas_once()
    if area_id not in areas:
        raise UnknownNameError("area", area_id, areas)
    area = areas[area_id]
    s = area.source
    return Site(
        id=area.id,
        name=area.name,
        area=area.id,
        location_precision="area",
        source=Source(title=s.title, publisher=s.publisher, url=s.url, date=s.date),
    )


def _ad_hoc_site(lon: float, lat: float, name: str | None = None) -> Site:
    """Return a point Site given by the user, of checked numbers (the coordinates are checked here).

    The private twin of :func:`coverage.envelopes.ad_hoc_site`, beside :func:`_area_site`:
    the request's origins are made here, whatever their kind.

    Raises
    ------
    CoordinateError
        If the coordinates are invalid.
    ParameterError
        If ``name`` is not valid text for a site's name.
    """
    check_lonlat(lon, lat, what=f"point {name or ''}".strip())
    label = name or f"{lon:g}, {lat:g}"
    try:
        return Site(
            id="point", name=label, lon=float(lon), lat=float(lat), location_precision="user"
        )
    except FieldError as err:
        message = err.errors[0]["msg"]
        raise ParameterError(f"name: {message}", parameter="name") from None


def _bundled_area(area_id: str):
    """Return the bundled launch area with this id, as a pydantic ValueError if unknown."""
    areas = _areas_once()
    if area_id not in areas:
        raise ValueError(str(UnknownNameError("area", area_id, areas)))
    return areas[area_id]


@functools.lru_cache(maxsize=1)
def _areas_once():
    from .areas import load_areas

    return load_areas()


def _checked(lon: float, lat: float) -> tuple[float, float]:
    """Validate one coordinate pair with the geodesy rules, as a pydantic ValueError."""
    try:
        lon_a, lat_a = check_lonlat(lon, lat)
    except CoordinateError as err:
        raise ValueError(str(err)) from None
    return float(lon_a), float(lat_a)


class _CatalogFile(_Model):
    schema_version: Literal[1] = 1
    systems: list[System] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self):
        for kind, items in (("system", self.systems), ("site", self.sites)):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise ValueError(f"duplicate {kind} id {item.id!r}")
                seen.add(item.id)
        return self


@dataclass(frozen=True)
class Catalog:
    """Systems and sites by id, as loaded from one or more files."""

    systems: dict[str, System] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    paths: tuple[Path, ...] = ()

    def system(self, system_id: str) -> System:
        """Return a system by id.

        Raises
        ------
        UnknownNameError
            If no system has that id; the message suggests close ids.
        """
        _v.text(system_id, "system_id")
        return self._system(system_id)

    def _system(self, system_id: str) -> System:
        """Return :meth:`system` of a checked id."""
        try:
            return self.systems[system_id]
        except KeyError:
            raise UnknownNameError("system", system_id, self.systems) from None

    def site(self, site_id: str) -> Site:
        """Return a site by id.

        Raises
        ------
        UnknownNameError
            If no site has that id; the message suggests close ids.
        """
        _v.text(site_id, "site_id")
        return self._site(site_id)

    def _site(self, site_id: str) -> Site:
        """Return :meth:`site` of a checked id."""
        try:
            return self.sites[site_id]
        except KeyError:
            raise UnknownNameError("site", site_id, self.sites) from None

    def role_of(self, site: Site) -> str:
        """Return what a site is: ``"launch"``, ``"defence"`` or ``"garrison"``.

        The site's own ``role`` where its data gives one; else ``"defence"`` when every
        system based there is an air or missile defence, and ``"launch"`` otherwise.
        """
        _v.site(site)
        if site.role is not None:
            return site.role
        roles = [self.systems[s].role for s in site.systems if s in self.systems]
        if roles and all(r in ("air defence", "missile defence") for r in roles):
            return "defence"
        return "launch"

    def sites_of(self, system_id: str) -> list[Site]:
        """Return the sites where a system is based."""
        _v.text(system_id, "system_id")
        return self._sites_of(system_id)

    def _sites_of(self, system_id: str) -> list[Site]:
        """Return :meth:`sites_of` of a checked id."""
        self._system(system_id)
        return [s for s in self.sites.values() if system_id in s.systems]

    def __iter__(self) -> Iterator[System]:
        return iter(self.systems.values())


def load_catalog(
    path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = DEFAULT_SYSTEMS,
) -> Catalog:
    """Load and validate systems and sites from YAML.

    Parameters
    ----------
    path : str, os.PathLike or iterable of them, default the bundled data/systems.yaml
        One file, or several merged in order (a user's file after the bundled one;
        an id defined twice is an error).

    Returns
    -------
    Catalog

    Raises
    ------
    DataError
        If a file cannot be read, is not valid YAML, or does not match the schema:
        the message names file, line and field, e.g.
        ``systems.yaml:41: systems[3].ranges[0].km: Input should be greater than 0, got -50``;
        also when a site of a file other than the bundled one lies more than
        :data:`coverage.where.SITE_TOLERANCE_KM` outside the country its ``country``
        code names (:func:`coverage.where.check_site_countries`).
    """
    _v.paths(path, "path")
    return _load_catalog(path)


def _load_catalog(path) -> Catalog:
    """Return :func:`load_catalog` of a checked path or paths."""
    paths = [Path(path)] if isinstance(path, (str, os.PathLike)) else [Path(p) for p in path]
    systems: dict[str, System] = {}
    sites: dict[str, Site] = {}
    for p in paths:
        data = _read_yaml(p)
        if data is None:
            data = {}
        parsed = validate(_CatalogFile, data, path=p)
        _merge(parsed, data, systems, sites, p)
        if p != Path(DEFAULT_SYSTEMS):  # the bundled sites are checked by the tests
            from .where import check_site_countries

            check_site_countries(parsed.sites, data, p)
    return Catalog(systems=systems, sites=sites, paths=tuple(paths))


def _merge(parsed: _CatalogFile, data, systems: dict, sites: dict, path: Path) -> None:
    """Add one file's systems and sites, checking ids across files and references."""
    for i, system in enumerate(parsed.systems):
        if system.id in systems:
            raise DataError(
                f"system id {system.id!r} is already defined in an earlier file",
                path=path,
                line=locate_line(data, ("systems", i, "id")),
                field=f"systems[{i}].id",
            )
        systems[system.id] = system
    for i, site in enumerate(parsed.sites):
        if site.id in sites:
            raise DataError(
                f"site id {site.id!r} is already defined in an earlier file",
                path=path,
                line=locate_line(data, ("sites", i, "id")),
                field=f"sites[{i}].id",
            )
        for j, system_id in enumerate(site.systems):
            if system_id not in systems:
                raise DataError(
                    str(UnknownNameError("system", system_id, systems)),
                    path=path,
                    line=locate_line(data, ("sites", i, "systems", j)),
                    field=f"sites[{i}].systems[{j}]",
                )
        sites[site.id] = site
