"""One name per column: the field names, types, units and meanings of every table output.

:data:`FIELDS` is the single table of column names that every table output writes:
the GeoPackage (:mod:`coverage.gpkg`), the GeoParquet (:mod:`coverage.parquet`) and
the CSV, XLSX, GeoJSON properties and KML ``ExtendedData`` of :mod:`coverage.exports`;
the documentation's field page (``docs/guide/fields.md``) lists the same table. Names are
snake_case ASCII, one meaning each: a column called ``figure_kind`` is a range
figure's kind wherever it appears, and a site's kind is ``site_kind``.

Columns repeated per range figure or per system are patterns with ``<figure>`` or
``<system>`` in their name; :func:`per_figure` fills them in with the figure's key
made plain (:func:`plain_name`: ``iskander-m declared 50–500 km`` becomes
``iskander_m_declared_50_500_km``).

Types are the GeoPackage's (``TEXT``, ``REAL``, ``INTEGER``, ``BOOLEAN``, ``DATE``);
:data:`NUMPY` gives the array type each is written from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import _validate as _v
from .errors import ParameterError

__all__ = [
    "Field",
    "FIELDS",
    "NUMPY",
    "field",
    "per_figure",
    "figure_columns",
    "plain_name",
    "LAYERS",
]


@dataclass(frozen=True)
class Field:
    """One column: its name, type, unit and meaning.

    Attributes
    ----------
    name : str
        snake_case ASCII; a pattern with ``<figure>`` or ``<system>`` for repeated
        columns.
    type : {"TEXT", "REAL", "INTEGER", "BOOLEAN", "DATE"}
        GeoPackage column type.
    unit : str
        ``"km"``, ``"degrees"``, ``"persons"``, ``"minutes"``, ``"fraction"`` or ``""``.
    meaning : str
        One sentence.
    """

    name: str
    type: str
    unit: str
    meaning: str


_TABLE = (
    # targets
    ("name", "TEXT", "", "The target's name (a capital, a city, a country)."),
    ("country", "TEXT", "", "The target's country, in words."),
    ("iso_a2", "TEXT", "", "ISO 3166-1 alpha-2 code of the target's or site's country."),
    ("lon", "REAL", "degrees", "Longitude, WGS84 (for an area: a point inside it)."),
    ("lat", "REAL", "degrees", "Latitude, WGS84 (for an area: a point inside it)."),
    ("distance_km", "REAL", "km", "Exact geodesic distance to the nearest origin (WGS84)."),
    ("nearest_site", "TEXT", "", "Id of the nearest origin."),
    ("nearest_site_name", "TEXT", "", "Name of the nearest origin."),
    ("azimuth_deg", "REAL", "degrees", "Forward azimuth from the nearest origin (sectors only)."),
    ("state", "TEXT", "", "In range at every figure shown (all), some, or none."),
    ("labelled", "BOOLEAN", "", "Named on the map (in range at some figure)."),
    ("population", "INTEGER", "persons", "City proper (GeoNames); empty when unknown."),
    ("defended_by", "TEXT", "", "SYSTEM@SITE of the defences covering it, separated by ';'."),
    (
        "margin_km_<figure>",
        "REAL",
        "km",
        "Maximum range minus distance at this figure, positive inside; empty outside a sector.",
    ),
    (
        "in_range_<figure>",
        "BOOLEAN",
        "",
        "In range at this figure: min_range_km <= distance <= range_km from some origin.",
    ),
    (
        "flight_time_min_<system>",
        "REAL",
        "minutes",
        "Free flight time from the nearest origin on a minimum-energy path; empty without a model.",
    ),
    # envelopes and defences
    (
        "export_layer",
        "TEXT",
        "",
        "GeoJSON: the layer a feature belongs to, named as the GeoPackage's layers (targets, "
        "envelopes, defences, sites, launch_areas).",
    ),
    ("layer", "TEXT", "", "The map layer's title: one per figure of one system (style key)."),
    ("figure", "TEXT", "", "The range figure's key, as in JSON (margin_km_by_figure)."),
    ("label", "TEXT", "", "One envelope in words: system, figure and origin."),
    ("system_id", "TEXT", "", "System id; empty for a range given in km."),
    ("system_name", "TEXT", "", "System name; empty for a range given in km."),
    ("figure_kind", "TEXT", "", "declared, estimated or given."),
    ("against", "TEXT", "", "What the figure is against (surface, aircraft, ...)."),
    ("role", "TEXT", "", "threat or defence."),
    ("min_range_km", "REAL", "km", "Minimum range of the figure."),
    ("range_km", "REAL", "km", "Maximum range of the figure (as drawn, after any cap)."),
    ("site_id", "TEXT", "", "Id of the site (origin of an envelope)."),
    (
        "centre_lon",
        "REAL",
        "degrees",
        "Longitude of an envelope's origin (an area: a point inside).",
    ),
    (
        "centre_lat",
        "REAL",
        "degrees",
        "Latitude of an envelope's origin (an area: a point inside).",
    ),
    ("site_name", "TEXT", "", "Name of the site."),
    ("targets_in_range", "INTEGER", "", "Targets inside this layer's envelopes (exact distance)."),
    ("defence_id", "TEXT", "", "SYSTEM@SITE of a defence."),
    ("note", "TEXT", "", "How the envelope was derived or capped, in words."),
    ("used_for", "TEXT", "", "XLSX sources sheet: what the source backs (claim, figure, site)."),
    ("source_title", "TEXT", "", "Title of the source."),
    ("source_publisher", "TEXT", "", "Publisher of the source."),
    ("source_url", "TEXT", "", "Link to the source."),
    ("source_date", "TEXT", "", "Date of the source as published (YYYY, YYYY-MM or YYYY-MM-DD)."),
    # sites and launch areas
    ("site_kind", "TEXT", "", "launch, defence or garrison."),
    ("site_shape", "TEXT", "", "point or area."),
    ("unit", "TEXT", "", "The unit based there, in words."),
    ("since", "DATE", "", "Since when the site holds what is shown (first day of the period)."),
    ("since_text", "TEXT", "", "The same date as the data gives it (YYYY, YYYY-MM, YYYY-MM-DD)."),
    ("systems", "TEXT", "", "Names of the systems shown from the site, separated by ';'."),
    ("system_ids", "TEXT", "", "Ids of the systems the data bases at the site, separated by ';'."),
    (
        "origin_used",
        "BOOLEAN",
        "",
        "The verdict judges from this area (else the claim names it as another origin).",
    ),
    ("location_precision", "TEXT", "", "exact, approximate, town centre, user or area."),
    # verdict
    ("section", "TEXT", "", "headline, figure, note or source."),
    ("key", "TEXT", "", "F1... for figures and their sources, C1... S1... for other sources."),
    ("question", "TEXT", "", "reach, defence or time."),
    ("word", "TEXT", "", "The verdict word answering the claim's question."),
    ("line", "TEXT", "", "The headline in one line, with its numbers."),
    ("reason_code", "TEXT", "", "Why the headline is what it is (a stable code)."),
    ("text", "TEXT", "", "The row in words (reason, figure title, note, source about)."),
    ("value", "TEXT", "", "XLSX verdict sheet: the value of the row's key, as text or a number."),
    ("claim_id", "TEXT", "", "Id of the claim judged."),
    ("targets", "INTEGER", "", "Targets judged."),
    ("required", "INTEGER", "", "Targets that must be in range for the claim to hold."),
    ("share", "REAL", "fraction", "Targets in range over targets judged (0 to 1)."),
    ("holds", "BOOLEAN", "", "Whether the claim holds at this figure."),
    ("range_needed_km", "REAL", "km", "Range at which the claim would hold; empty if none."),
    ("people", "INTEGER", "persons", "Persons in range at this figure."),
)

#: Every column, by name.
FIELDS: dict[str, Field] = {row[0]: Field(*row) for row in _TABLE}

#: The numpy array type each GeoPackage type is written from (through GDAL).
NUMPY = {
    "TEXT": object,
    "REAL": np.float64,
    "INTEGER": np.int64,
    "BOOLEAN": np.bool_,
    "DATE": "datetime64[D]",
}

#: The columns of each layer of the GeoPackage, in order (per-figure columns follow
#: ``targets``' own).
LAYERS: dict[str, tuple[str, ...]] = {
    "targets": (
        "name",
        "country",
        "iso_a2",
        "lon",
        "lat",
        "distance_km",
        "nearest_site",
        "nearest_site_name",
        "azimuth_deg",
        "state",
        "labelled",
        "population",
        "defended_by",
    ),
    "envelopes": (
        "layer",
        "figure",
        "label",
        "system_id",
        "system_name",
        "figure_kind",
        "against",
        "role",
        "min_range_km",
        "range_km",
        "site_id",
        "site_name",
        "centre_lon",
        "centre_lat",
        "targets_in_range",
        "note",
        "source_title",
        "source_publisher",
        "source_url",
        "source_date",
    ),
    "sites": (
        "site_id",
        "site_name",
        "site_kind",
        "site_shape",
        "iso_a2",
        "lon",
        "lat",
        "unit",
        "since",
        "since_text",
        "systems",
        "system_ids",
        "location_precision",
    ),
    "launch_areas": ("site_id", "site_name", "iso_a2", "system_ids", "origin_used"),
    "verdict": (
        "section",
        "key",
        "claim_id",
        "question",
        "word",
        "line",
        "reason_code",
        "text",
        "system_id",
        "figure_kind",
        "against",
        "min_range_km",
        "range_km",
        "targets_in_range",
        "targets",
        "required",
        "share",
        "holds",
        "range_needed_km",
        "people",
        "source_title",
        "source_publisher",
        "source_url",
        "source_date",
    ),
}
LAYERS["defences"] = (*LAYERS["envelopes"][:-4], "defence_id", *LAYERS["envelopes"][-4:])


def field(name: str) -> Field:
    """Return the column called ``name``, or the pattern it is made from.

    Parameters
    ----------
    name : str
        A column name (``"distance_km"``, ``"margin_km_iskander_m_declared_50_500_km"``).

    Returns
    -------
    Field
        For a per-figure column, the pattern's Field with ``name`` filled in.

    Raises
    ------
    ParameterError
        If no column or pattern has that name.
    """
    _text(name, "name")
    if name in FIELDS:
        return FIELDS[name]
    for pattern in _PATTERNS:
        prefix = pattern.split("<", 1)[0]
        if name.startswith(prefix) and len(name) > len(prefix):
            base = FIELDS[pattern]
            return Field(name, base.type, base.unit, base.meaning)
    raise ParameterError(f"no column is called {name!r}", parameter="name")


def plain_name(key: str) -> str:
    """Return a key as snake_case ASCII (accents dropped, other runs of characters ``_``).

    Letters are folded to ASCII, thousands separators between digits dropped, every
    other run of characters becomes one ``_``, lower case.

    Parameters
    ----------
    key : str
        A figure's key, a system id or any label.

    Returns
    -------
    str
        Never empty (``"column"`` when nothing is left).

    Raises
    ------
    ParameterError
        If ``key`` is not text.

    Examples
    --------
    >>> plain_name("iskander-m declared 50–500 km")
    'iskander_m_declared_50_500_km'
    >>> plain_name("margin_km[iskander-m declared 50–500 km]")
    'margin_km_iskander_m_declared_50_500_km'
    >>> plain_name("in_range[given 1,000 km #2]")
    'in_range_given_1000_km_2'
    """
    _text(key, "key")
    text = "".join(
        c if c.isascii() else "" if unicodedata.combining(c) else " "
        for c in unicodedata.normalize("NFKD", key)
    )
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 1,000 -> 1000
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") or "column"


def per_figure(pattern: str, key: str) -> str:
    """Return the column of ``pattern`` for one figure's or system's key.

    Parameters
    ----------
    pattern : str
        ``"margin_km_<figure>"``, ``"in_range_<figure>"`` or ``"flight_time_min_<system>"``.
    key : str
        The figure's key (:func:`coverage.claims.figure_keys`) or the system's id.

    Examples
    --------
    >>> per_figure("in_range_<figure>", "given 1,000 km")
    'in_range_given_1000_km'
    >>> per_figure("flight_time_min_<system>", "iskander-m")
    'flight_time_min_iskander_m'
    """
    _pattern(pattern)
    _text(key, "key")
    head = pattern.split("<", 1)[0]
    return head + plain_name(key)


def figure_columns(pattern: str, keys: Sequence[str]) -> list[str]:
    """Return the columns of ``pattern`` for several keys, numbered where two would be equal.

    Parameters
    ----------
    pattern : str
        As :func:`per_figure`.
    keys : sequence of str
        The figures' keys (or systems' ids), in column order.

    Returns
    -------
    list of str
        One column per key; a name already taken gets ``_2``, ``_3``...

    Examples
    --------
    >>> figure_columns("in_range_<figure>", ["given 1,000 km", "given 1000 km"])
    ['in_range_given_1000_km', 'in_range_given_1000_km_2']
    """
    _pattern(pattern)
    if isinstance(keys, str) or not isinstance(keys, Sequence):
        raise ParameterError(
            f"keys: must be a sequence of text, got {type(keys).__name__}", parameter="keys"
        )
    out: list[str] = []
    taken: set[str] = set()
    for key in keys:
        name = base = per_figure(pattern, key)
        n = 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        out.append(name)
    return out


_PATTERNS = ("margin_km_<figure>", "in_range_<figure>", "flight_time_min_<system>")


def _text(value: object, parameter: str) -> None:
    if not isinstance(value, str):
        raise ParameterError(
            f"{parameter}: must be text, got {type(value).__name__}", parameter=parameter
        )


def _pattern(pattern: object) -> None:
    _v.choice(pattern, "pattern", _PATTERNS)
