"""GeoDataFrames in and out: targets, sites, rings, reach and verdicts for pandas users.

Every GeoDataFrame returned here is in EPSG:4326 (WGS84 longitude/latitude degrees,
x = longitude); distances and ranges are kilometres. Whether a target is in range
comes from its exact geodesic distance (:func:`coverage.reach.measure`), never from
a drawn polygon: the ring polygons of :func:`rings_gdf` are for drawing.

Per-range columns are named ``margin_km_<figure>`` (range minus distance, km;
positive = inside; inside a minimum range, distance minus minimum) and
``in_range_<figure>``, as in every export (:mod:`coverage.fields`): the figure's key
made plain, ``given_500_km`` for a bare range or ``<system id> <figure title>``, e.g.
``iskander_m_declared_50_500_km``, for a system's figure.

A GeoDataFrame given to these functions must carry its CRS: one without a CRS is
refused with a :class:`~coverage.errors.ParameterError` naming the parameter, unless
``assume_crs=`` says what its coordinates are (``assume_crs=4326`` for lon/lat
degrees). Nothing is guessed: metres taken for degrees would give a wrong answer
without a word.

geopandas is imported by these functions, not when :mod:`coverage` is imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np
from pyproj import CRS
from pyproj.exceptions import ProjError

from . import _validate as _v
from .envelopes import Envelope, ad_hoc_figure, envelopes
from .errors import CoordinateError, DataError, ParameterError
from .exports import ring_properties, verdict_rows
from .geodesy import check_lonlat
from .reach import measure
from .systems import Catalog, Site, System
from .targets import Target, TargetSet

if TYPE_CHECKING:
    import geopandas

    from .claims import Verdict

__all__ = [
    "targets_to_gdf",
    "gdf_to_targets",
    "sites_gdf",
    "reach_gdf",
    "rings_gdf",
    "verdict_gdf",
]

_CRS = "EPSG:4326"

#: What ``assume_crs`` takes: anything :meth:`pyproj.CRS.from_user_input` accepts.
CRSLike = str | int | CRS


def _geopandas():
    try:
        import geopandas
    except ImportError as err:  # pragma: no cover - geopandas is a dependency
        raise ImportError("coverage.frames needs geopandas: pip install geopandas") from err
    return geopandas


def _points(lons: Sequence[float], lats: Sequence[float]):
    return _geopandas().points_from_xy(np.asarray(lons, float), np.asarray(lats, float), crs=_CRS)


def targets_to_gdf(targets: TargetSet | Iterable[Target]) -> geopandas.GeoDataFrame:
    """Return targets as a GeoDataFrame of points in EPSG:4326.

    Parameters
    ----------
    targets : TargetSet or iterable of Target
        Named points (lon/lat degrees).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``country``, ``iso_a2``, ``definitions`` (definition ids
        joined with ``","``, or None when the data carries no membership) and
        ``geometry`` (points, x = longitude), one row per target in order.

    Examples
    --------
    >>> from coverage.targets import load_targets
    >>> gdf = targets_to_gdf(load_targets(definition="eu27"))
    >>> len(gdf), gdf.crs.to_epsg()
    (27, 4326)
    >>> gdf.loc[gdf.name == "Vilnius", ["name", "iso_a2"]].values.tolist()
    [['Vilnius', 'LT']]
    """
    _v.target_sequence(targets)
    gpd = _geopandas()
    items = list(targets)
    data = {
        "name": [t.name for t in items],
        "country": [t.country for t in items],
        "iso_a2": [t.iso_a2 for t in items],
        "definitions": [
            ",".join(sorted(t.definitions)) if t.definitions is not None else None for t in items
        ],
    }
    return gpd.GeoDataFrame(
        data, geometry=_points([t.lon for t in items], [t.lat for t in items]), crs=_CRS
    )


def _to_lonlat(gdf, what: str, *, parameter: str, assume_crs: CRSLike | None = None):
    """Check that ``gdf`` is a GeoDataFrame with a CRS and bring it to EPSG:4326.

    ``what`` labels rows in later messages; ``parameter`` is the caller's parameter
    holding ``gdf``, named when it has no CRS and ``assume_crs`` is not given.
    """
    gpd = _geopandas()
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise DataError(f"{what}: expected a geopandas GeoDataFrame, got {type(gdf).__name__}")
    assumed = _assumed_crs(assume_crs)
    if gdf.crs is None:
        if assumed is None:
            raise ParameterError(
                f"{parameter}: the GeoDataFrame has no CRS; set one (.set_crs(4326) for "
                "lon/lat degrees) or pass assume_crs=...",
                parameter=parameter,
            )
        gdf = gdf.set_crs(assumed)
    elif assumed is not None and not gdf.crs.equals(assumed):
        raise ParameterError(
            f"assume_crs: {assumed.to_string()} differs from the CRS {parameter} carries, "
            f"{gdf.crs.to_string()}; drop assume_crs (it only applies to a GeoDataFrame "
            "without a CRS)",
            parameter="assume_crs",
        )
    if not gdf.crs.equals(_CRS):
        try:
            gdf = gdf.to_crs(_CRS)
        except (ProjError, ValueError) as err:  # CRSError is a ProjError
            raise CoordinateError(
                f"{what}: cannot reproject from {gdf.crs.to_string()} to {_CRS}: {err}"
            ) from err
    return gdf


def _assumed_crs(assume_crs: CRSLike | None) -> CRS | None:
    """Return ``assume_crs`` as a pyproj CRS (None stays None)."""
    if assume_crs is None:
        return None
    if isinstance(assume_crs, bool):
        raise ParameterError(
            f"assume_crs: expected a CRS, got {assume_crs!r}", parameter="assume_crs"
        )
    try:
        return CRS.from_user_input(assume_crs)
    except (ProjError, TypeError, ValueError) as err:  # CRSError is a ProjError
        raise ParameterError(
            f"assume_crs: not a CRS pyproj knows, got {assume_crs!r} (e.g. 4326 or 'EPSG:3035')",
            parameter="assume_crs",
        ) from err


def _point_lonlat(gdf, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of a GeoDataFrame of points (already in EPSG:4326)."""
    geoms = gdf.geometry
    missing = geoms.isna() | geoms.is_empty
    if missing.any():
        row = gdf.index[int(np.flatnonzero(missing.to_numpy())[0])]
        raise DataError(f"{what}: row {row!r} has no geometry; every row needs a point")
    types = geoms.geom_type
    not_point = (types != "Point").to_numpy()
    if not_point.any():
        i = int(np.flatnonzero(not_point)[0])
        raise DataError(
            f"{what}: row {gdf.index[i]!r} is a {types.iloc[i]}, expected a Point "
            "(use .centroid or .representative_point() for areas)"
        )
    lons, lats = geoms.x.to_numpy(float), geoms.y.to_numpy(float)
    bad = ~np.isfinite(lons) | ~np.isfinite(lats) | (np.abs(lons) > 180) | (np.abs(lats) > 90)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        check_lonlat(lons[i], lats[i], what=f"{what}: row {gdf.index[i]!r}")
    return lons, lats


def _names(gdf, name: str, what: str) -> list[str]:
    if name not in gdf.columns:
        raise DataError(
            f"{what}: no column {name!r} for names; columns are {', '.join(map(str, gdf.columns))}"
            " (pass name=... to choose one)",
            field=name,
        )
    out = []
    for row, value in zip(gdf.index, gdf[name], strict=False):
        if not isinstance(value, str) or not value.strip():
            raise DataError(
                f"{what}: row {row!r} needs a non-empty text name in column {name!r}, "
                f"got {value!r}",
                field=name,
            )
        out.append(value.strip())
    return out


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def gdf_to_targets(
    gdf: geopandas.GeoDataFrame, *, name: str = "name", assume_crs: CRSLike | None = None
) -> TargetSet:
    """Return a GeoDataFrame of named points as a TargetSet.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One Point per row, in any CRS (reprojected to EPSG:4326 first); it must
        carry its CRS unless ``assume_crs`` is given. Optional columns
        ``country``, ``iso_a2`` (text) and ``definitions`` (definition ids, a list or
        text joined with ``","``) are kept.
    name : str, default "name"
        Column holding each target's name.
    assume_crs : str, int or pyproj.CRS, optional
        The CRS of ``gdf``'s coordinates when it carries none, e.g. ``4326`` for
        lon/lat degrees; refused if ``gdf`` carries a different one.

    Returns
    -------
    TargetSet
        Used as given (no definition applied).

    Raises
    ------
    DataError
        If ``gdf`` is not a GeoDataFrame, a row has no geometry or is not a Point,
        or the name column is missing or holds an empty or non-text name.
    ParameterError
        If ``gdf`` has no CRS and ``assume_crs`` is not given, or ``assume_crs`` is
        not a CRS or differs from the one ``gdf`` carries.
    CoordinateError
        If the CRS cannot be converted to EPSG:4326, or a point is not finite or
        outside [-180, 180] x [-90, 90] degrees.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> gdf = gpd.GeoDataFrame({"city": ["Riga"]}, geometry=[Point(24.105, 56.946)], crs=4326)
    >>> [(t.name, t.lon, t.lat) for t in gdf_to_targets(gdf, name="city")]
    [('Riga', 24.105, 56.946)]
    >>> bare = gdf.set_crs(None, allow_override=True)  # a CRS-less frame needs assume_crs
    >>> gdf_to_targets(bare, name="city", assume_crs=4326).targets[0].position
    LonLat(lon=24.105, lat=56.946)
    """
    _v.text(name, "name")
    what = "targets"
    gdf = _to_lonlat(gdf, what, parameter="gdf", assume_crs=assume_crs)
    if len(gdf) == 0:
        raise DataError(f"{what}: the GeoDataFrame has no rows")
    lons, lats = _point_lonlat(gdf, what)
    names = _names(gdf, name, what)
    columns = gdf.columns
    targets = []
    for i, (label, lon, lat) in enumerate(zip(names, lons, lats, strict=False)):
        row = gdf.iloc[i]
        membership = row["definitions"] if "definitions" in columns else None
        if isinstance(membership, str):
            membership = [m.strip() for m in membership.split(",") if m.strip()]
        elif membership is not None and not isinstance(membership, (list, tuple, set, np.ndarray)):
            membership = None
        targets.append(
            Target(
                name=label,
                lon=float(lon),
                lat=float(lat),
                country=_text_or_none(row["country"]) if "country" in columns else None,
                iso_a2=_text_or_none(row["iso_a2"]) if "iso_a2" in columns else None,
                definitions=frozenset(membership) if membership is not None else None,
            )
        )
    carries = any(t.definitions is not None for t in targets)
    return TargetSet(tuple(targets), None, "GeoDataFrame", None, carries, tuple(targets))


_SLUG = re.compile(r"[^a-z0-9]+")


def _sites_from(
    sites: Any, what: str = "sites", *, assume_crs: CRSLike | None = None
) -> list[Site]:
    """Sites from a Site, a sequence of Site or a GeoDataFrame of named points."""
    if isinstance(sites, Site):
        return [sites]
    gpd = _geopandas()
    if isinstance(sites, gpd.GeoDataFrame):
        return _sites_from_gdf(sites, what, assume_crs)
    try:
        out = list(sites)
    except TypeError:
        raise DataError(
            f"{what}: expected a Site, a sequence of Site or a GeoDataFrame of points, "
            f"got {type(sites).__name__}"
        ) from None
    for i, s in enumerate(out):
        if not isinstance(s, Site):
            raise DataError(f"{what}[{i}]: expected a Site, got {type(s).__name__} {s!r}")
    if not out:
        raise ParameterError(f"{what}: no site given")
    return out


def _sites_from_gdf(
    sites: geopandas.GeoDataFrame, what: str, assume_crs: CRSLike | None
) -> list[Site]:
    """Sites from a GeoDataFrame of named points.

    Names from a ``site_name`` (as :func:`sites_gdf` writes) or ``name`` column, ids
    from ``site_id`` or ``id``, else made from the names.
    """
    gdf = _to_lonlat(sites, what, parameter="sites", assume_crs=assume_crs)
    if len(gdf) == 0:
        raise DataError(f"{what}: the GeoDataFrame has no rows")
    lons, lats = _point_lonlat(gdf, what)
    id_col = next((c for c in ("site_id", "id") if c in gdf.columns), None)
    name_col = next((c for c in ("site_name", "name") if c in gdf.columns), id_col or "name")
    names = _names(gdf, name_col, what)
    ids_given = gdf[id_col].tolist() if id_col is not None else [None] * len(gdf)
    out, seen = [], set()
    for i, (label, lon, lat, given) in enumerate(zip(names, lons, lats, ids_given, strict=False)):
        sid = _site_id(given, label, i)
        if sid in seen:
            sid = f"{sid}-{i + 1}"
        seen.add(sid)
        out.append(
            Site(id=sid, name=label, lon=float(lon), lat=float(lat), location_precision="user")
        )
    return out


def _site_id(given: Any, label: str, i: int) -> str:
    """Return row ``i``'s site id: the ``id`` given when it is a valid one, else its name's slug."""
    if isinstance(given, str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", given):
        return given
    return _SLUG.sub("-", label.lower()).strip("-")[:70] or f"site-{i + 1}"


def sites_gdf(sites: Sequence[Site] | Catalog) -> geopandas.GeoDataFrame:
    """Return sites as a GeoDataFrame of points in EPSG:4326.

    Parameters
    ----------
    sites : sequence of Site or Catalog
        A catalogue gives all its sites.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns (:mod:`coverage.fields`) ``site_id``, ``site_name``, ``iso_a2``,
        ``location_precision``, ``system_ids`` (joined with ``";"``) and ``geometry``.

    Examples
    --------
    >>> from coverage.systems import load_catalog
    >>> gdf = sites_gdf(load_catalog().sites_of("iskander-m"))
    >>> gdf[["site_id", "system_ids"]].head(2).values.tolist()
    [['chernyakhovsk', 'iskander-m'], ['kaliningrad', 'iskander-m;s-400;bastion-p']]
    """
    _v.sites_or_catalog(sites)
    gpd = _geopandas()
    items = list(sites.sites.values()) if isinstance(sites, Catalog) else _sites_from(sites)
    data = {
        "site_id": [s.id for s in items],
        "site_name": [s.name for s in items],
        "iso_a2": [s.country for s in items],
        "location_precision": [s.location_precision for s in items],
        "system_ids": [";".join(s.systems) for s in items],
    }
    return gpd.GeoDataFrame(
        data, geometry=_points([s.lon for s in items], [s.lat for s in items]), crs=_CRS
    )


def _envelopes(
    origins: Sequence[Site],
    range_km: float | Sequence[float] | None,
    system: System | None,
    min_km: float = 0.0,
) -> list[Envelope]:
    """Return the envelopes of ``range_km`` (each, with ``min_km``) and of the system's figures."""
    out: list[Envelope] = []
    if range_km is not None:
        values = [range_km] if isinstance(range_km, (Real, str)) else list(range_km)
        for value in values:
            if isinstance(value, bool) or not isinstance(value, Real):
                raise ParameterError(
                    f"range_km: expected a number of km, got {value!r}", parameter="range_km"
                )
            out += envelopes(origins, ad_hoc_figure(float(value), min_km=min_km))
    if system is not None:
        if not isinstance(system, System):
            raise ParameterError(
                f"system: expected a coverage System, got {type(system).__name__}",
                parameter="system",
            )
        out += envelopes(origins, system)
    return out


def reach_gdf(
    targets_gdf: geopandas.GeoDataFrame,
    sites: geopandas.GeoDataFrame | Sequence[Site] | Site,
    *,
    range_km: float | Sequence[float] | None = None,
    system: System | None = None,
    name: str = "name",
    assume_crs: CRSLike | None = None,
) -> geopandas.GeoDataFrame:
    """Return each target's distance to the nearest site and whether it is in range.

    Parameters
    ----------
    targets_gdf : geopandas.GeoDataFrame
        Named points in any CRS (reprojected to EPSG:4326), which it must carry
        unless ``assume_crs`` is given; see :func:`gdf_to_targets`.
    sites : geopandas.GeoDataFrame, Site or sequence of Site
        Launch points. A GeoDataFrame needs points, a CRS (or ``assume_crs``) and a
        ``name`` (or ``id``) column.
    range_km : float or sequence of float, optional
        Maximum range(s) in km, each > 0 and at most the antipodal distance.
    system : System, optional
        Adds a column pair for every range figure of the system (declared and
        estimated; a figure's ``min_km`` counts).
    name : str, default "name"
        Column of ``targets_gdf`` holding the names.
    assume_crs : str, int or pyproj.CRS, optional
        The CRS of a GeoDataFrame given without one (``targets_gdf`` or
        ``sites``), e.g. ``4326`` for lon/lat degrees.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``targets_gdf`` in EPSG:4326, always (same index and columns) plus
        ``distance_km`` (geodesic, WGS84, to the nearest site, km), ``nearest_site``
        (site id) and, per range, ``margin_km_<figure>`` (range minus distance, km;
        see :meth:`coverage.envelopes.Envelope.margins_km`) and ``in_range_<figure>`` (reached from
        at least one site: ``min_km <= distance <= range``). Labels:
        ``"given 500 km"`` for ``range_km``,
        ``"<system id> <figure title>"`` for a system's figures.

    Raises
    ------
    DataError
        As :func:`gdf_to_targets`, or if ``sites`` is not a Site, a sequence of Site
        or a GeoDataFrame of named points.
    CoordinateError
        If a coordinate is invalid or cannot be reprojected.
    ParameterError
        If a range is not a number, is <= 0 or beyond the antipodal distance, no
        site is given, or a GeoDataFrame has no CRS and ``assume_crs`` is not given.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> from coverage.systems import load_catalog
    >>> capitals = gpd.GeoDataFrame(
    ...     {"name": ["Vilnius", "Berlin"]},
    ...     geometry=[Point(25.2798, 54.6892), Point(13.4050, 52.5200)], crs="EPSG:4326")
    >>> out = reach_gdf(capitals, load_catalog().site("kaliningrad"), range_km=[500, 700])
    >>> cols = ["name", "nearest_site", "in_range_given_500_km", "in_range_given_700_km"]
    >>> out[cols].values.tolist()
    [['Vilnius', 'kaliningrad', True, True], ['Berlin', 'kaliningrad', False, True]]
    >>> round(float(out["distance_km"].iloc[0]), 1)
    307.0
    """
    _v.numbers_array(range_km, "range_km", finite=True, optional=True)
    _v.system(system, optional=True)
    _v.text(name, "name")
    lonlat = _to_lonlat(targets_gdf, "targets", parameter="targets_gdf", assume_crs=assume_crs)
    targets = gdf_to_targets(lonlat, name=name)
    site_list = _sites_from(sites, assume_crs=assume_crs)
    covering = _envelopes(site_list, range_km, system)
    out = lonlat.copy()
    if not covering:  # distances only
        dist = measure(site_list, list(targets.targets))
        out["distance_km"] = dist.nearest_km
        out["nearest_site"] = [site_list[int(i)].id for i in dist.nearest_index]
        return out
    from .claims import ad_hoc_claim, judge

    rows = verdict_rows(judge(ad_hoc_claim(1.0), covering, targets), given_order=True)
    for column in list(rows[0])[list(rows[0]).index("distance_km") :]:
        out[column] = [row[column] for row in rows]
    return out


def rings_gdf(
    sites: geopandas.GeoDataFrame | Sequence[Site] | Site,
    *,
    range_km: float | Sequence[float] | None = None,
    min_km: float = 0.0,
    system: System | str | None = None,
    catalog: Catalog | None = None,
    assume_crs: CRSLike | None = None,
) -> geopandas.GeoDataFrame:
    """Return geodesic range rings as a GeoDataFrame of polygons in EPSG:4326.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame, Site or sequence of Site
        Ring centres.
    range_km : float or sequence of float, optional
        Maximum range(s) in km; one ring per site and range.
    min_km : float, default 0.0
        Minimum range in km for ``range_km`` rings; above 0 they are annuli.
    system : System or str, optional
        One ring per site and range figure of the system (a system id needs
        ``catalog``).
    catalog : Catalog, optional
        Resolves a system id; with neither ``range_km`` nor ``system``, each site is
        drawn with every figure of the catalogue systems it hosts.
    assume_crs : str, int or pyproj.CRS, optional
        The CRS of ``sites`` when it is a GeoDataFrame without one, e.g. ``4326``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns of :func:`coverage.exports.ring_properties` (``site_id``,
        ``centre_lon``/``centre_lat`` degrees, ``system_id``, ``kind``, ``range_km``,
        ``min_range_km``, ``label``, source...) and ``geometry``: Polygon or
        MultiPolygon (split at the antimeridian; beyond a hemisphere, the world minus
        a cap), for display only.

    Raises
    ------
    ParameterError
        If nothing says which ranges to draw, a range is invalid, or ``sites`` is a
        GeoDataFrame without a CRS and ``assume_crs`` is not given.
    UnknownNameError
        If a system id is not in the catalogue.
    DataError, CoordinateError
        If ``sites`` is not valid (see :func:`reach_gdf`).

    Examples
    --------
    >>> from coverage.systems import load_catalog
    >>> cat = load_catalog()
    >>> gdf = rings_gdf(cat.site("uzhur"), range_km=18000)  # beyond a hemisphere
    >>> gdf.geometry.iloc[0].geom_type, len(gdf.geometry.iloc[0].interiors)
    ('Polygon', 1)
    >>> rings_gdf(cat.sites_of("iskander-m"), system="iskander-m", catalog=cat)["label"].iloc[0]
    'Iskander-M, declared 50–500 km, from Chernyakhovsk'
    """
    _v.numbers_array(range_km, "range_km", finite=True, optional=True)
    _v.number(min_km, "min_km")
    _v.system_or_id(system)
    _v.catalog(catalog, optional=True)
    gpd = _geopandas()
    site_list = _sites_from(sites, assume_crs=assume_crs)
    if isinstance(system, str):
        if catalog is None:
            raise ParameterError(f"system {system!r} is an id: pass catalog=load_catalog() too")
        system = catalog.system(system)
    drawn = _envelopes(site_list, range_km, system, min_km)
    if not drawn and catalog is None:
        raise ParameterError("give range_km=..., system=... or catalog=...", parameter="range_km")
    if not drawn:  # each site with every figure of the systems it hosts
        drawn = [
            e
            for site in site_list
            for sid in site.systems
            for e in envelopes([site], catalog.system(sid))
        ]
    rows = [ring_properties(e) for e in drawn]
    return gpd.GeoDataFrame(rows, geometry=[e.geometry for e in drawn], crs=_CRS)


def verdict_gdf(verdict: Verdict) -> geopandas.GeoDataFrame:
    """Return a verdict's targets with distances, margins and membership per figure.

    Parameters
    ----------
    verdict : Verdict
        From :func:`coverage.claims.evaluate_claim`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per target, nearest first, columns of
        :func:`coverage.exports.verdict_rows`: ``name``, ``country``, ``iso_a2``,
        ``lon``, ``lat`` (degrees), ``distance_km`` (to the nearest site, km),
        ``nearest_site``, then ``margin_km_<figure>`` and ``in_range_<figure>`` per
        range figure; ``geometry`` points in EPSG:4326.

    Examples
    --------
    >>> from coverage.claims import evaluate_claim, load_claims
    >>> from coverage.systems import load_catalog
    >>> v = evaluate_claim(load_claims()["grybauskaite-2018-capitals"], load_catalog())
    >>> gdf = verdict_gdf(v)
    >>> gdf[["name", "nearest_site"]].iloc[0].tolist()
    ['Vilnius', 'chernyakhovsk']
    >>> int(gdf["in_range_iskander_m_declared_50_500_km"].sum())
    4
    """
    _v.verdict(verdict)
    gpd = _geopandas()
    rows = verdict_rows(verdict)
    columns = list(rows[0]) if rows else ["name", "distance_km"]
    return gpd.GeoDataFrame(
        rows,
        columns=columns,
        geometry=_points([r["lon"] for r in rows], [r["lat"] for r in rows]),
        crs=_CRS,
    )
