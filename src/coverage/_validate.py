"""Argument checks for the public API: wrong types become one ParameterError line.

Every public function calls these at its first lines, so that a caller who passes a
string for a number, ``None`` for a verdict, a lone pair for a list of points or one
id for a list of ids reads one line naming the parameter (``ParameterError.parameter``)
instead of a raw ``TypeError``, ``ValueError``, ``OverflowError`` or ``AttributeError``
from deep inside.

The rules, the same everywhere:

- **Numbers are numbers.** ``int``, ``float`` and numpy's real scalars and arrays are
  accepted; strings (``'4'``), bytes, booleans and ``None`` (unless the parameter is
  optional) are refused. NaN and +-inf are refused where ``finite=True`` (the
  default): a distance, a height or a share is never infinite.
- **A sequence is never a string.** A parameter that takes several ids or paths
  refuses a single ``str`` (or bytes) instead of reading it character by character:
  pass ``("iskander-m",)``, not ``"iskander-m"``. A parameter documented as "a path
  or several paths" (``load_catalog``) keeps taking one string as one path.
- **A point is a (lon, lat) pair**, and a list of points is a sequence of pairs: two
  bare floats given where points are expected are refused.
- **Objects are of their type.** A function that reads a verdict, a scene, a
  catalogue or envelopes refuses anything else, ``None`` included.

Each check returns the value it accepted (numbers as given, sequences as tuples) so
that a caller may keep using it. An iterator given for a sequence passes unchecked
(checking its items would consume them).
"""

from __future__ import annotations

import math
import numbers
import os
import re
import reprlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .errors import ParameterError

__all__: list[str] = []  # private: the public functions call these at their first lines

_shown = reprlib.Repr()
_shown.maxstring = 40
_shown.maxother = 40


def _got(value: Any) -> str:
    """Return a short description of a refused value for a message."""
    shown = " ".join(_shown.repr(value).split())  # one line, whatever the value holds
    return f"{shown} ({type(value).__name__})"


def _refuse(name: str, wanted: str, value: Any) -> ParameterError:
    """Return the error for ``value`` not being ``wanted``, naming ``name``."""
    return ParameterError(f"{name}: must be {wanted}, got {_got(value)}", parameter=name)


def is_number(value: Any) -> bool:
    """Return True for a real number that is not a bool (numpy real scalars included)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)  # np.bool_ is no Real


def number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    finite: bool = True,
    optional: bool = False,
    integer: bool = False,
) -> Any:
    """Check that ``value`` is one real number (not a string, bool or None) and return it.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The parameter's name, used in the message and as ``ParameterError.parameter``.
    low, high : float, optional
        Inclusive bounds (``low`` exclusive with ``low_open``).
    finite : bool, default True
        Refuse NaN and +-inf.
    optional : bool, default False
        Accept ``None`` (and return it).
    integer : bool, default False
        Require an integer (``int`` or a numpy integer).

    Raises
    ------
    ParameterError
        If the value is not such a number.
    """
    if value is None and optional:
        return None
    kind = "an integer" if integer else "a number"
    if not is_number(value) or (integer and not isinstance(value, numbers.Integral)):
        raise _refuse(name, kind, value)
    try:
        as_float = float(value)
    except OverflowError:
        raise _refuse(name, f"{kind} within the range of a float", value) from None
    if finite and not math.isfinite(as_float):
        raise _refuse(name, f"a finite {kind[2:] if integer else 'number'}", value)
    _check_bounds(as_float, value, name, low, high, low_open)
    return value


def _check_bounds(
    as_float: float, value: Any, name: str, low: float | None, high: float | None, low_open: bool
) -> None:
    """Raise if ``as_float`` lies outside the bounds (NaN passes: finiteness is separate)."""
    if low is not None and (as_float < low or (low_open and as_float == low)):
        relation = ">" if low_open else ">="
        raise _refuse(name, f"{relation} {low:g}", value)
    if high is not None and as_float > high:
        raise _refuse(name, f"<= {high:g}", value)


def numbers_array(
    value: Any, name: str, *, finite: bool = False, optional: bool = False, integer: bool = False
) -> Any:
    """Check that ``value`` is a number or an array-like of numbers and return a float array.

    Strings, bytes, booleans, ``None`` and ragged or object-typed sequences are
    refused; NaN and +-inf are refused only with ``finite=True`` (coordinates are
    checked for them by ``geodesy.check_lonlat`` with a message of their own);
    ``integer=True`` takes integers only (indices).

    Raises
    ------
    ParameterError
        If the value is not numbers.
    """
    import numpy as np

    if value is None and optional:
        return None
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise _refuse(name, "a number or an array of numbers", value)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        raise _refuse(name, "a number or an array of numbers", value) from None
    if array.dtype.kind not in ("iu" if integer else "iuf"):
        wanted = "an integer or an array of integers" if integer else "a number or numbers"
        raise _refuse(name, wanted, value)
    floats = array.astype(float, copy=False)
    if finite and not np.all(np.isfinite(floats)):
        raise _refuse(name, "finite numbers", value)
    return floats


def text(value: Any, name: str, *, optional: bool = False) -> str | None:
    """Check that ``value`` is a ``str`` (or ``None`` when optional) and return it."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _refuse(name, "a string", value)
    return value


def flag(value: Any, name: str) -> bool:
    """Check that ``value`` is a bool (``True``/``False``; numpy's bool too)."""
    if not (isinstance(value, bool) or type(value).__name__ == "bool_"):
        raise _refuse(name, "True or False", value)
    return bool(value)


def choice(value: Any, name: str, options: Iterable[Any], *, optional: bool = False) -> Any:
    """Check that ``value`` is one of ``options`` (strings compared exactly)."""
    if value is None and optional:
        return None
    allowed = tuple(options)
    if not isinstance(value, str) or value not in allowed:
        shown = ", ".join(repr(o) for o in allowed)
        raise _refuse(name, f"one of {shown}", value)
    return value


def _items(value: Any, name: str, wanted: str) -> tuple:
    """Return the items of a non-string iterable as a tuple, or raise naming ``wanted``.

    An iterator (a generator, say) gives ``()``: reading its items to check them
    would consume them, so it passes unchecked and its items are checked where used.
    """
    if isinstance(value, (str, bytes)):
        raise ParameterError(
            f"{name}: must be {wanted}, got the single string {_shown.repr(value)}; "
            f"pass a sequence such as ({_shown.repr(value)},)",
            parameter=name,
        )
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise _refuse(name, wanted, value)
    if isinstance(value, Iterator):
        return ()
    return tuple(value)


#: What an id looks like in the data files: lower-case words joined by hyphens.
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def slug(value: Any, name: str) -> str:
    """Check that ``value`` is an id of the data files' form (``iskander-m``), <= 80 chars."""
    text(value, name)
    if len(value) > 80 or not SLUG.fullmatch(value):
        raise _refuse(name, "an id of lower-case letters, digits and hyphens", value)
    return value


def id_sequence(
    value: Any, name: str, *, slugs: bool = False, nonempty: bool = False
) -> tuple[str, ...]:
    """Check that ``value`` is a sequence of string ids, never one bare string.

    With ``slugs=True`` every id must be of the data files' form (see :func:`slug`);
    with ``nonempty=True`` there must be at least one.

    Raises
    ------
    ParameterError
        If ``value`` is a string (it would be read character by character), not
        iterable, or holds something other than strings.
    """
    items = _items(value, name, "a sequence of ids (strings)")
    if nonempty and not items:
        raise _refuse(name, "a sequence of at least one id", value)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise _refuse(f"{name}[{i}]", "an id (a string)", item)
        if slugs:
            slug(item, f"{name}[{i}]")
    return items


def path(value: Any, name: str, *, optional: bool = False) -> Any:
    """Check that ``value`` is a path: a ``str`` or an ``os.PathLike``."""
    if value is None and optional:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise _refuse(name, "a path (str or os.PathLike)", value)
    return value


def path_sequence(value: Any, name: str) -> tuple:
    """Check that ``value`` is a sequence of paths, never one bare string."""
    items = _items(value, name, "a sequence of paths")
    for i, item in enumerate(items):
        path(item, f"{name}[{i}]")
    return items


def paths(value: Any, name: str) -> Any:
    """Check a "path or several paths" parameter: one str/PathLike, or a sequence of them."""
    if isinstance(value, (str, os.PathLike)):
        return value
    return path_sequence(value, name)


def point(value: Any, name: str) -> tuple[Any, Any]:
    """Check that ``value`` is one ``(lon, lat)`` pair of numbers and return it."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise _refuse(name, "a (lon, lat) pair of numbers", value)
    pair = tuple(value)
    if len(pair) != 2 or not all(is_number(v) for v in pair):
        raise _refuse(name, "a (lon, lat) pair of numbers", value)
    return pair


def point_sequence(value: Any, name: str) -> tuple[tuple[Any, Any], ...]:
    """Check that ``value`` is a sequence of ``(lon, lat)`` pairs (not one bare pair)."""
    items = _items(value, name, "a sequence of (lon, lat) pairs")
    return tuple(point(item, f"{name}[{i}]") for i, item in enumerate(items))


def instance(value: Any, name: str, kind: type | tuple[type, ...], *, optional: bool = False):
    """Check that ``value`` is an instance of ``kind`` (``None`` only when optional)."""
    if value is None and optional:
        return None
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        wanted = " or ".join(k.__name__ for k in kinds)
        raise _refuse(name, f"a {wanted}", value)
    return value


def instances(value: Any, name: str, kind: type | tuple[type, ...]) -> tuple:
    """Check that ``value`` is a sequence whose every item is an instance of ``kind``."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    wanted = " or ".join(k.__name__ for k in kinds)
    if isinstance(value, kinds):
        raise _refuse(name, f"a sequence of {wanted} (not a single one)", value)
    items = _items(value, name, f"a sequence of {wanted}")
    for i, item in enumerate(items):
        instance(item, f"{name}[{i}]", kind)
    return items


# Typed shortcuts; the classes are imported on use to keep import order free.


def verdict(value: Any, name: str = "verdict", *, optional: bool = False):
    """Check that ``value`` is a :class:`~coverage.claims.Verdict`."""
    from .claims import Verdict

    return instance(value, name, Verdict, optional=optional)


def catalog(value: Any, name: str = "catalog", *, optional: bool = False):
    """Check that ``value`` is a :class:`~coverage.systems.Catalog`."""
    from .systems import Catalog

    return instance(value, name, Catalog, optional=optional)


def system(value: Any, name: str = "system", *, optional: bool = False):
    """Check that ``value`` is a :class:`~coverage.systems.System`."""
    from .systems import System

    return instance(value, name, System, optional=optional)


def site(value: Any, name: str = "site"):
    """Check that ``value`` is a :class:`~coverage.systems.Site`."""
    from .systems import Site

    return instance(value, name, Site)


def sites(value: Any, name: str = "sites") -> tuple:
    """Check that ``value`` is a sequence of :class:`~coverage.systems.Site`."""
    from .systems import Site

    return instances(value, name, Site)


def envelope(value: Any, name: str = "envelope"):
    """Check that ``value`` is an :class:`~coverage.envelopes.Envelope`."""
    from .envelopes import Envelope

    return instance(value, name, Envelope)


def envelope_sequence(value: Any, name: str) -> tuple:
    """Check that ``value`` is a sequence of :class:`~coverage.envelopes.Envelope`."""
    from .envelopes import Envelope

    return instances(value, name, Envelope)


def layer(value: Any, name: str = "layer"):
    """Check that ``value`` is a :class:`~coverage.envelopes.Layer`."""
    from .envelopes import Layer

    return instance(value, name, Layer)


def targets(value: Any, name: str = "targets", *, optional: bool = False):
    """Check that ``value`` is a :class:`~coverage.targets.TargetSet`."""
    from .targets import TargetSet

    return instance(value, name, TargetSet, optional=optional)


def target_sequence(value: Any, name: str = "targets") -> tuple:
    """Check that ``value`` is a TargetSet or a sequence of :class:`~coverage.targets.Target`."""
    from .targets import Target, TargetSet

    if isinstance(value, TargetSet):
        return value.targets
    return instances(value, name, Target)


def scene(value: Any, name: str = "scene"):
    """Check that ``value`` is a :class:`~coverage.render.scene.Scene`."""
    from .render.scene import Scene

    return instance(value, name, Scene)


def request(value: Any, name: str = "request"):
    """Check that ``value`` is a :class:`~coverage.checks.Request` of well-typed fields."""
    from .checks import Request

    instance(value, name, Request)
    _request_fields(value)
    return value


def _request_fields(req: Any) -> None:
    """Check the types of a Request's fields, named as the fields (the CLI maps them)."""
    text(req.claim_id, "claim_id", optional=True)
    for field in ("systems", "sites", "areas", "defences"):
        id_sequence(getattr(req, field), field)
    point_sequence(req.points, "points")
    path_sequence(req.area_files, "area_files")
    number(req.range_km, "range_km", optional=True)
    number(req.min_range_km, "min_range_km")
    for field in ("threat_altitude_m", "radar_height_m", "share", "tolerance_km"):
        number(getattr(req, field), field, optional=True)
    text(req.definition, "definition", optional=True)
    text(req.kind, "kind")
    for field in ("systems_file", "targets_file", "claims_file"):
        path(getattr(req, field), field, optional=True)
    flag(req.territories, "territories")
    flag(req.use_later_figures, "use_later_figures")
    _sector_field(req.sector, "sector")


def _sector_field(value: Any, name: str) -> None:
    """Check a sector field: a Sector, a ``"FROM,TO"`` string or None."""
    from .sectors import Sector

    instance(value, name, (Sector, str), optional=True)


def coordinate_arrays(
    lon: Any, lat: Any, names: tuple[str, str] = ("lon", "lat"), *, ndim: int | None = None
) -> None:
    """Check that ``lon`` and ``lat`` are numbers or arrays of numbers of one shape.

    With ``ndim`` the arrays must have that many dimensions (1: flat arrays).
    """
    lon_a = numbers_array(lon, names[0])
    lat_a = numbers_array(lat, names[1])
    if ndim is not None and lon_a.ndim != ndim:
        raise _refuse(names[0], f"an array of {ndim} dimension(s)", lon)
    if lon_a.shape != lat_a.shape:
        raise ParameterError(
            f"{names[1]}: must have the shape of {names[0]}, {lon_a.shape}, got {lat_a.shape}",
            parameter=names[1],
        )


def sequence(value: Any, name: str, wanted: str = "a sequence") -> tuple:
    """Check that ``value`` is a non-string iterable and return its items as a tuple."""
    return _items(value, name, wanted)


def mapping(value: Any, name: str, *, optional: bool = False) -> Any:
    """Check that ``value`` is a mapping (a dict of ids, for instance)."""
    return instance(value, name, Mapping, optional=optional)


def polygonal(value: Any, name: str = "area") -> Any:
    """Check that ``value`` is a shapely Polygon or MultiPolygon."""
    from shapely.geometry import MultiPolygon, Polygon

    return instance(value, name, (Polygon, MultiPolygon))


def geometry(value: Any, name: str = "geom", *, optional: bool = False) -> Any:
    """Check that ``value`` is a shapely geometry."""
    from shapely.geometry.base import BaseGeometry

    return instance(value, name, BaseGeometry, optional=optional)


def claim(value: Any, name: str = "claim") -> Any:
    """Check that ``value`` is a :class:`~coverage.claims.Claim`."""
    from .claims import Claim

    return instance(value, name, Claim)


def folium_map(value: Any, name: str = "m") -> Any:
    """Check that ``value`` is a ``folium.Map``."""
    import folium

    return instance(value, name, folium.Map)


def frame(value: Any, name: str) -> Any:
    """Check that ``value`` is a ``geopandas.GeoDataFrame``."""
    import geopandas

    return instance(value, name, geopandas.GeoDataFrame)


def site_or_sites(value: Any, name: str = "sites") -> Any:
    """Check a "GeoDataFrame, Site or sequence of Sites" parameter."""
    import geopandas

    from .systems import Site

    if isinstance(value, (geopandas.GeoDataFrame, Site)):
        return value
    return sites(value, name)


def size(value: Any, name: str = "size_px") -> Any:
    """Check a size in pixels: None, a ``"WxH"`` string or a pair of positive integers."""
    if value is None or isinstance(value, str):
        return value
    pair = sequence(value, name, "a (width, height) pair of integers or a 'WxH' string")
    if len(pair) != 2:
        raise _refuse(name, "a (width, height) pair of integers or a 'WxH' string", value)
    for i, item in enumerate(pair):
        number(item, f"{name}[{i}]", integer=True, low=1)
    return value


def model_type(value: Any, name: str = "model") -> Any:
    """Check that ``value`` is a pydantic model class."""
    from pydantic import BaseModel

    if not (isinstance(value, type) and issubclass(value, BaseModel)):
        raise _refuse(name, "a pydantic model class", value)
    return value


def envelope_sequence_or_none(value: Any, name: str) -> Any:
    """Check an optional sequence of envelopes (``None`` passes)."""
    return None if value is None else envelope_sequence(value, name)


def range_figures(value: Any, name: str = "figures") -> Any:
    """Check a System, a RangeEstimate, or a sequence of RangeEstimates."""
    from .systems import RangeEstimate, System

    if isinstance(value, (System, RangeEstimate)):
        return value
    return instances(value, name, RangeEstimate)


def system_or_id(value: Any, name: str = "system") -> Any:
    """Check an optional System given as the object or its id."""
    from .systems import System

    return instance(value, name, (System, str), optional=True)


def sites_or_catalog(value: Any, name: str = "sites") -> Any:
    """Check a Catalog or a sequence of Sites."""
    from .systems import Catalog

    return value if isinstance(value, Catalog) else sites(value, name)


def content(value: Any, name: str = "text") -> Any:
    """Check text to write: ``str``, ``bytes`` or a function returning either."""
    if not (isinstance(value, (str, bytes)) or callable(value)):
        raise _refuse(name, "str, bytes or a function returning them", value)
    return value


def float_sized(value: Any, name: str = "value") -> Any:
    """Refuse an integer too large to be a float (it cannot be written as a number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number(value, name, finite=False)
    return value


_JSON_SCALARS = (str, int, float, bool, type(None))


def _numpy_scalar(value: Any) -> bool:
    """Return True for a numpy scalar (numpy imported only when the value is numpy's)."""
    if type(value).__module__ != "numpy":
        return False
    import numpy as np

    return isinstance(value, np.generic)


def json_data(value: Any, name: str = "obj") -> Any:
    """Check that ``value`` is made of dicts, lists, tuples, strings, numbers and None."""
    stack = [(value, name)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, Mapping):
            for key, sub in item.items():
                if not isinstance(key, (str, int, float, bool, type(None))):
                    raise _refuse(f"{where} key", "a string, number or None", key)
                stack.append((sub, f"{where}[{key!r}]"))
        elif isinstance(item, (list, tuple)):
            stack.extend((sub, f"{where}[{i}]") for i, sub in enumerate(item))
        elif not isinstance(item, _JSON_SCALARS) and not _numpy_scalar(item):
            raise _refuse(where, "JSON data (dict, list, str, number, bool or None)", item)
        else:
            float_sized(item, where)
    return value


def strings(value: Any, name: str) -> tuple:
    """Check that ``value`` is a sequence of strings, never one bare string."""
    items = _items(value, name, "a sequence of strings")
    for i, item in enumerate(items):
        text(item, f"{name}[{i}]")
    return items


def layer_sequence(value: Any, name: str = "layers") -> tuple:
    """Check that ``value`` is a sequence of :class:`~coverage.envelopes.Layer`."""
    from .envelopes import Layer

    return instances(value, name, Layer)


def sites_or_none(value: Any, name: str) -> Any:
    """Check an optional sequence of Sites (``None`` passes)."""
    return None if value is None else sites(value, name)


def definition_sequence(value: Any, name: str = "definitions") -> tuple:
    """Check that ``value`` is a sequence of :class:`~coverage.targets.Definition`."""
    from .targets import Definition

    return instances(value, name, Definition)


def target(value: Any, name: str = "target") -> Any:
    """Check that ``value`` is a :class:`~coverage.targets.Target`."""
    from .targets import Target

    return instance(value, name, Target)


def output(value: Any, name: str = "path_or_file", *, optional: bool = False) -> Any:
    """Check an output: a path, or a binary file object with ``write``."""
    if value is None and optional:
        return None
    if isinstance(value, (str, os.PathLike)) or callable(getattr(value, "write", None)):
        return value
    raise _refuse(name, "a path or a file object", value)


def named_points(value: Any, name: str) -> tuple:
    """Check a sequence of ``(name, lon, lat)`` triples."""
    items = _items(value, name, "a sequence of (name, lon, lat)")
    for i, item in enumerate(items):
        triple = sequence(item, f"{name}[{i}]", "a (name, lon, lat) triple")
        if len(triple) != 3 or not isinstance(triple[0], str):
            raise _refuse(f"{name}[{i}]", "a (name, lon, lat) triple", item)
        number(triple[1], f"{name}[{i}] lon", finite=False)
        number(triple[2], f"{name}[{i}] lat", finite=False)
    return items


def flags(value: Any, name: str) -> tuple:
    """Check that ``value`` is a sequence of bools (numpy's bool included)."""
    items = _items(value, name, "a sequence of True/False")
    for i, item in enumerate(items):
        flag(item, f"{name}[{i}]")
    return items


def broadcastable(*named: tuple[Any, str]) -> None:
    """Check that arrays of numbers broadcast together; ``named`` holds (value, name) pairs."""
    import numpy as np

    arrays = [numbers_array(value, name) for value, name in named]
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{name} {a.shape}" for a, (_, name) in zip(arrays, named, strict=True))
        raise ParameterError(
            f"{named[-1][1]}: shapes do not broadcast together: {shapes}",
            parameter=named[-1][1],
        ) from None


def distances(value: Any, name: str = "distances") -> Any:
    """Check that ``value`` is a :class:`~coverage.reach.Distances`."""
    from .reach import Distances

    return instance(value, name, Distances)


def indices(value: Any, name: str) -> Any:
    """Check a flat sequence (or 1-D array) of integer indices."""
    array = numbers_array(value, name, integer=True)
    if array.ndim != 1:
        raise _refuse(name, "a flat sequence of integer indices", value)
    return value
