"""A renderer-free map: what any renderer draws, decided once.

A :class:`Scene` holds everything a map shows, as plain data: the envelopes grouped
into layers with one style each (:class:`EnvelopeLayer`), the sites by kind
(:class:`SiteMark`), the targets with their state and numbers (:class:`TargetMark`),
the view to fit, the verdict line, the sources, credits and what is not modelled, and
for claim maps a range control (:class:`RangeControl`). Renderers (the Leaflet page
of :mod:`coverage.maps`, the static figures of :mod:`coverage.render.static`, the KML
of :mod:`coverage.exports`) draw a scene; none of them decides membership or picks a
colour of its own.

- **Membership and numbers come from a verdict only** (:func:`scene_for`); a scene
  of envelopes without a verdict (:func:`scene_of`) judges the targets shown with
  :func:`coverage.claims.judge` first, by exact geodesic distance, never by a
  drawn polygon.
- **One style table** (:func:`layer_styles`): a threat system has one colour in
  every output, in order of first appearance (:data:`THREAT_PALETTE`; a range typed
  in km is :data:`GIVEN_COLOUR`); declared figures are solid, estimated dashed,
  given dotted. Air and missile defences are outline-led (a strong line, an almost
  clear fill) in their own colours, one per class of threat they engage
  (:data:`DEFENCE_COLOURS`), so attack and defence never look alike.
- Geometry is lon/lat degrees, as :attr:`coverage.envelopes.Envelope.geometry`
  gives it (split at +-180); nothing here projects or clips.

Nothing here imports folium or matplotlib.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from .. import _validate as _v
from .. import resources
from ..envelopes import Envelope, Layer, ad_hoc_figure, group
from ..errors import ParameterError

if TYPE_CHECKING:
    from ..claims import Verdict
    from ..systems import Site, Source
    from ..targets import TargetSet

__all__ = [
    "THREAT",
    "DEFENCE",
    "THREAT_PALETTE",
    "GIVEN_COLOUR",
    "DEFENCE_COLOURS",
    "TARGET_STYLES",
    "SITE_STYLES",
    "PIN_SEPARATION_PX",
    "MAX_LABELS",
    "DOT_SEPARATION_PX",
    "Style",
    "MarkStyle",
    "EnvelopeLayer",
    "SiteMark",
    "TargetMark",
    "RangeControl",
    "Scene",
    "layer_styles",
    "envelope_styles",
    "scene_for",
    "scene_of",
    "borders",
]

#: Role of a layer or site that threatens.
THREAT = "threat"
#: Role of an air or missile defence.
DEFENCE = "defence"
#: Colours of threat systems, in order of first appearance (no greens or teals:
#: those are the defences').
THREAT_PALETTE = (
    "#c0392b",
    "#7b3fa0",
    "#d4760a",
    "#8c564b",
    "#c2408f",
    "#b8860b",
    "#e2452b",
    "#5b2c6f",
)
#: Colour of a range typed in km (no system).
GIVEN_COLOUR = "#333333"
#: Colour of a defence by the class of threat its figure is against.
DEFENCE_COLOURS = {
    "ballistic missiles": "#00796b",
    "cruise missiles": "#2e7d32",
    "aircraft": "#1565c0",
    "surface": "#37474f",
}
_DASH = {"declared": None, "estimated": "9 6", "given": "2 6"}
_FILL = {"declared": 0.10, "estimated": 0.06, "given": 0.08}
_DEFENCE_FILL = 0.03
#: Pins of sites closer than this on screen are set apart by renderers (pixels).
PIN_SEPARATION_PX = 16
#: More targets in range than this are not named permanently (names on hover only):
#: placing that many labels without overlap would slow every zoom.
MAX_LABELS = 300
#: Target dots closer than this on screen are set apart by renderers (pixels).
DOT_SEPARATION_PX = 8
_SAME_PLACE_DEG = 1e-4  # about 11 m: sites this close get fixed offsets


@dataclass(frozen=True)
class Style:
    """How one layer is drawn, in every renderer.

    Attributes
    ----------
    colour : str
        ``"#rrggbb"``.
    fill_opacity : float
        0 (clear) to 1.
    weight : float
        Line width in CSS pixels (points in print: 1 px = 0.75 pt).
    dash : str or None
        SVG dash pattern in pixels (``"9 6"``), None for a solid line.
    role : {"threat", "defence"}
    """

    colour: str
    fill_opacity: float
    weight: float
    dash: str | None
    role: str

    @property
    def rgb(self) -> tuple[int, int, int]:
        """The colour as ``(r, g, b)``, 0-255."""
        value = self.colour.lstrip("#")
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)

    @property
    def dash_px(self) -> tuple[float, ...] | None:
        """The dash pattern as numbers of pixels (e.g. ``(9.0, 6.0)``), None if solid."""
        return None if self.dash is None else tuple(float(x) for x in self.dash.split())


@dataclass(frozen=True)
class MarkStyle:
    """How a point mark is drawn: colour ``"#rrggbb"``, symbol and size in pixels.

    ``symbol`` is ``"circle"``, ``"triangle"`` (launch sites), ``"square"`` (defence
    sites) or ``"diamond"`` (garrisons).
    """

    colour: str
    symbol: str
    size_px: float


#: Targets by state: in range at every figure shown, at some only, at none.
TARGET_STYLES = {
    "all": MarkStyle("#b2182b", "circle", 10),
    "some": MarkStyle("#f0a030", "circle", 10),
    "none": MarkStyle("#6b7f95", "circle", 10),
}
#: What a target's state means, in words.
TARGET_WORDS = {
    "all": "in range at every figure shown",
    "some": "in range at some figures only",
    "none": "out of range at every figure shown",
}
#: Sites by kind.
SITE_STYLES = {
    "launch": MarkStyle("#7f1d1d", "triangle", 16),
    "defence": MarkStyle("#00695c", "square", 13),
    "garrison": MarkStyle("#1a237e", "diamond", 14),
}
SITE_WORDS = {
    "launch": "Launch sites",
    "defence": "Air and missile defence sites",
    "garrison": "Garrisons",
}


# --------------------------------------------------------------------------- styles


def _role(layer: Layer) -> str:
    from ..defences import DEFENCE_ROLES

    system = layer.system
    return DEFENCE if system is not None and system.role in DEFENCE_ROLES else THREAT


def _against(layer: Layer) -> str | None:
    return layer.figure.against if _role(layer) == DEFENCE else None


def layer_styles(layers: Sequence[Layer], *, against: str | None = None) -> list[Style]:
    """Return the style of each layer: the one style table of every renderer.

    Parameters
    ----------
    layers : sequence of Layer
        In drawing order; threat systems take :data:`THREAT_PALETTE` colours in order
        of first appearance.
    against : str, optional
        The class of threat the defences are judged against (a verdict's
        ``threat_class``); by default each defence figure's own ``against``.

    Returns
    -------
    list of Style
    """
    _v.layer_sequence(layers)
    _v.text(against, "against", optional=True)
    colours: dict[str, str] = {}
    out = []
    for layer in layers:
        kind = layer.kind
        if _role(layer) == DEFENCE:
            cls = against or layer.figure.against
            colour = DEFENCE_COLOURS.get(cls, DEFENCE_COLOURS["surface"])
            out.append(Style(colour, _DEFENCE_FILL, 2.5, _DASH.get(kind), DEFENCE))
            continue
        if layer.system is None:
            colour = GIVEN_COLOUR
        else:
            colour = colours.setdefault(
                layer.system.id, THREAT_PALETTE[len(colours) % len(THREAT_PALETTE)]
            )
        weight = 2.5 if kind == "declared" else 2.0
        out.append(Style(colour, _FILL.get(kind, 0.08), weight, _DASH.get(kind), THREAT))
    return out


def envelope_styles(items: Sequence[Envelope]) -> dict[tuple, Style]:
    """Return the style of each envelope's layer, keyed by ``Envelope.layer_key``.

    For outputs that take envelopes rather than a scene (KML): the same colours as a
    map of the same envelopes.
    """
    _v.envelope_sequence(items, "items")
    layers = group(items)
    return {la.first.layer_key: s for la, s in zip(layers, layer_styles(layers), strict=True)}


# --------------------------------------------------------------------------- the parts


@dataclass(frozen=True, eq=False)
class EnvelopeLayer:
    """One figure of one system from all its origins, as drawn.

    Attributes
    ----------
    key : str
        Stable id within the scene (``"L0"``, ``"L1"``... threats first, then
        ``"D0"``... defences); keys of :attr:`TargetMark.in_range`.
    title : str
        Plain text, unique within the scene (``"Iskander-M \u2014 declared 50\u2013500 km"``).
    layer : Layer
        The envelopes (membership, figure, source, origins).
    geometry : shapely Polygon or MultiPolygon
        The union of the envelopes' display boundaries, lon/lat degrees, split at
        +-180 (display only).
    style : Style
    role : {"threat", "defence"}
    against : str or None
        For a defence: the class of threat this envelope engages.
    in_range_count : int or None
        Targets inside, from the verdict (None when no targets are judged).
    note : str or None
        How the envelope was derived (radar horizon cap, aircraft figure used
        against cruise missiles), in words.
    """

    key: str
    title: str
    layer: Layer
    geometry: Any
    style: Style
    role: str
    against: str | None = None
    in_range_count: int | None = None
    note: str | None = None

    @property
    def origins(self) -> tuple[Site, ...]:
        """The origins, once each."""
        return self.layer.origins

    @property
    def source(self) -> Source | None:
        """The source of the range figure (None for a range given in km)."""
        return self.layer.figure.source

    @property
    def kind(self) -> str:
        """``"declared"``, ``"estimated"`` or ``"given"``."""
        return self.layer.kind

    @property
    def legend_group(self) -> str:
        """The legend heading: the system for threats, the class engaged for defences."""
        if self.role == DEFENCE:
            return f"Defences against {self.against}"
        return self.layer.system.name if self.layer.system is not None else "Given range"


@dataclass(frozen=True, eq=False)
class SiteMark:
    """A site on the map.

    Attributes
    ----------
    id, name : str
    lon, lat : float
        Degrees (for an area, a point inside it).
    kind : {"launch", "defence", "garrison"}
    shape : {"point", "area"}
    date : str or None
        Since when the site holds what is shown (``since`` in the data).
    note : str or None
        The unit, e.g. ``"NATO enhanced Forward Presence battlegroup Estonia"``.
    systems : tuple of str
        Names of the systems shown from this site.
    site : Site
    offset_px : (float, float)
        Screen offset (right, down; pixels) that sets the pin apart from other pins
        at the same place; renderers also set apart pins closer than
        :data:`PIN_SEPARATION_PX` at their own scale.
    """

    id: str
    name: str
    lon: float
    lat: float
    kind: str
    shape: str
    date: str | None
    note: str | None
    systems: tuple[str, ...]
    site: Site
    offset_px: tuple[float, float] = (0.0, 0.0)

    @property
    def style(self) -> MarkStyle:
        """The mark's style (:data:`SITE_STYLES`)."""
        return SITE_STYLES[self.kind]


@dataclass(frozen=True, eq=False)
class TargetMark:
    """A target with its state and every number a popup shows, from the verdict.

    Attributes
    ----------
    id : str
        ``"t0"``, ``"t1"``... in the verdict's target order.
    name, country : str, str or None
    lon, lat : float
        Degrees (for a territory: its capital, where it is marked).
    state : {"all", "some", "none"}
        In range at every threat figure shown, at some, at none (a map of defences
        only: inside every defence envelope, some, none).
    in_range : Mapping of str to bool
        Per layer key (threats and defences).
    margins_km : Mapping of str to float
        Per layer key: maximum range minus distance, km (``-inf`` outside a sector).
    distance_km : float or None
        To the nearest origin (for a territory: from its nearest point), km.
    nearest : str or None
        The nearest origin's name.
    lines : tuple of str
        Times to target and population, as plain text (:func:`coverage.stakes.target_lines`).
    population : int or None
        City proper, GeoNames.
    defended_by : tuple of str
        ``"SYSTEM@SITE"`` of the defences whose envelope against the threat's class
        contains the target by exact distance.
    label : bool
        Named permanently on the map: in range at some figure (as ``state``), unless
        more than :data:`MAX_LABELS` are.
    need_km : float
        Smallest maximum range that reaches it from the shown origins, with the
        verdict's smallest minimum range (``inf``: none); what the range control
        compares with.
    """

    id: str
    name: str
    country: str | None
    lon: float
    lat: float
    state: str
    in_range: Mapping[str, bool]
    margins_km: Mapping[str, float]
    distance_km: float | None
    nearest: str | None
    lines: tuple[str, ...] = ()
    population: int | None = None
    defended_by: tuple[str, ...] = ()
    label: bool = False
    need_km: float = math.inf

    @property
    def style(self) -> MarkStyle:
        """The mark's style (:data:`TARGET_STYLES`)."""
        return TARGET_STYLES[self.state]


@dataclass(frozen=True, eq=False)
class RangeControl:
    """A range slider for a claim map: the envelope and the count at any range.

    Attributes
    ----------
    max_km, step_km : float
        The slider runs from 0 to ``max_km`` in steps of ``step_km`` (km).
    min_km : float
        The minimum range used (the verdict's smallest), km.
    value_km : float
        Where it starts: the claim's largest range figure, on a step.
    rings : tuple of (float, geometry)
        Per step with anything to draw: the range (km) and the envelope from the
        shown origins at that range (lon/lat degrees, within the default drawing
        tolerance of that range).
    required, total : int
        Targets needed for the claim to hold, and targets judged.
    """

    max_km: float
    step_km: float
    min_km: float
    value_km: float
    rings: tuple[tuple[float, Any], ...]
    required: int
    total: int

    def count(self, targets: Sequence[TargetMark], km: float) -> int:
        """Return how many targets a maximum range of ``km`` reaches (exact distances)."""
        return sum(1 for t in targets if t.need_km <= km)


@dataclass(frozen=True, eq=False)
class Scene:
    """Everything a map shows, for any renderer.

    Attributes
    ----------
    title : str
        The map's heading.
    verdict : str or None
        ``"true"``, ``"false"``, ``"depends on range"``, or None for a map that
        claims nothing.
    verdict_line : str
        One line: the verdict word and the counts, e.g. ``"FALSE \u2014 10 of 51
        at 700 km; 26 needed"``; the layers otherwise.
    layers : tuple of EnvelopeLayer
        Threats first, then defences.
    sites : tuple of SiteMark
    targets : tuple of TargetMark
    view : (west, south, east, north)
        Degrees: the envelopes, the targets in range at some figure and the
        nearest ones out. West/east may lie beyond +-180 when the envelopes cross
        the antimeridian (unwrapped around their origins).
    wrap : bool
        Some envelope touches +-180.
    credits : tuple of str
        Attribution lines (borders, targets).
    notes : tuple of str
        What is not modelled, population and time models: plain text.
    targets_label : str
        The definition or file the targets come from.
    territory : bool
        Targets are countries judged on their territory (marked at the capital).
    verdict_obj : Verdict or None
        The verdict drawn (for the panel's details).
    range_control : RangeControl or None
        For a claim map with a verdict.
    threat_class : str or None
        With defences: the class of threat they are judged against.
    """

    title: str
    verdict: str | None
    verdict_line: str
    layers: tuple[EnvelopeLayer, ...]
    sites: tuple[SiteMark, ...]
    targets: tuple[TargetMark, ...]
    view: tuple[float, float, float, float]
    wrap: bool
    credits: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    targets_label: str = ""
    territory: bool = False
    verdict_obj: Any = field(default=None, repr=False)
    range_control: RangeControl | None = None
    threat_class: str | None = None

    @property
    def threats(self) -> tuple[EnvelopeLayer, ...]:
        """The threat layers."""
        return tuple(la for la in self.layers if la.role == THREAT)

    @property
    def defences(self) -> tuple[EnvelopeLayer, ...]:
        """The defence layers."""
        return tuple(la for la in self.layers if la.role == DEFENCE)

    def legend_groups(self) -> list[tuple[str, tuple[EnvelopeLayer, ...]]]:
        """Return ``(heading, layers)`` for the legend: threats by system, defences by class."""
        groups: dict[str, list[EnvelopeLayer]] = {}
        for la in self.layers:
            groups.setdefault(la.legend_group, []).append(la)
        return [(k, tuple(v)) for k, v in groups.items()]

    def state_counts(self) -> dict[str, int]:
        """Return how many targets are in each state."""
        out: dict[str, int] = {}
        for t in self.targets:
            out[t.state] = out.get(t.state, 0) + 1
        return out


# --------------------------------------------------------------------------- building


def scene_for(
    verdict: Verdict,
    *,
    panel: bool = True,
    garrisons: Sequence[Site] | None = None,
    range_control: bool = True,
    title: str | None = None,
) -> Scene:
    """Return the scene of a verdict: its envelopes, defences, targets and sites.

    Membership and every number come from the verdict (``verdict.evaluations``,
    ``verdict.defences``, ``verdict.reaches``).

    Parameters
    ----------
    verdict : Verdict
        From :func:`coverage.claims.evaluate_claim`, :func:`coverage.checks.check`
        (with ``defences``) or :func:`coverage.claims.judge`.
    panel : bool, default True
        The verdict is a claim to show (verdict word, range control). False for a
        check that claims nothing (an ad hoc range with no share).
    garrisons : sequence of Site, optional
        Garrison sites to mark; by default, for a claim, the bundled catalogue's
        garrisons inside the view (NATO battlegroups on the Kaliningrad map).
    range_control : bool, default True
        Add the range slider's data (claims only).
    title : str, optional
        The heading; by default ``"Claim check: SPEAKER, DATE"``.

    Returns
    -------
    Scene

    Raises
    ------
    CoordinateError, ParameterError
        As the envelopes' geometry.
    """
    _v.verdict(verdict)
    _v.flag(panel, "panel")
    _v.sites_or_none(garrisons, "garrisons")
    _v.flag(range_control, "range_control")
    _v.text(title, "title", optional=True)
    return _build(
        list(verdict.envelopes),
        verdict=verdict,
        show_claim=panel,
        sites=verdict.sites,
        garrisons=garrisons,
        range_control=range_control and panel,
        title=title,
    )


def scene_of(
    covering: Sequence[Envelope],
    *,
    targets: TargetSet | None = None,
    verdict: Verdict | None = None,
    sites: Sequence[Site] = (),
    title: str | None = None,
    judged: Verdict | None = None,
    garrisons: Sequence[Site] | None = None,
) -> Scene:
    """Return the scene of envelopes, optionally with targets and a verdict.

    Parameters
    ----------
    covering : sequence of Envelope
        What each figure covers from each origin; may be empty when there are sites
        or targets.
    targets : TargetSet, optional
        By default the verdict's. Without a verdict they are judged on ``covering``
        (:func:`coverage.claims.judge`, exact distances).
    verdict : Verdict, optional
        A claim's verdict to show.
    sites : sequence of Site
        Sites to mark besides the envelopes' origins.
    title : str, optional
    judged : Verdict, optional
        A verdict deciding membership without being shown as a claim.
    garrisons : sequence of Site, optional
        Garrisons to mark; by default, when ``verdict`` is given, the bundled ones
        inside the view (as :func:`scene_for`), else none.

    Raises
    ------
    ParameterError
        If there is nothing to draw, ``targets`` differ from the verdict's, or an
        item of ``covering`` is not an Envelope.
    """
    _v.envelope_sequence(covering, "covering")
    _v.targets(targets, optional=True)
    _v.verdict(verdict, optional=True)
    _v.sites(sites)
    _v.text(title, "title", optional=True)
    _v.verdict(judged, "judged", optional=True)
    _v.sites_or_none(garrisons, "garrisons")
    from ..claims import ad_hoc_claim, judge

    covering = list(covering)
    group(covering)  # refuses anything that is not an Envelope
    judged = verdict if verdict is not None else judged
    if judged is not None and targets is None:
        targets = judged.targets
    if judged is not None and tuple(targets.targets) != tuple(judged.targets.targets):
        raise ParameterError(
            "targets differ from the verdict's targets; leave out targets= to show "
            "the verdict's, or build the verdict on these targets",
            parameter="targets",
        )
    if judged is None and covering and targets is not None and len(targets):
        judged = judge(ad_hoc_claim(1.0), covering, targets)
    return _build(
        covering,
        verdict=judged,
        show_claim=verdict is not None,
        sites=tuple(sites),
        garrisons=garrisons,
        range_control=verdict is not None,
        title=title,
        targets=targets,
    )


def _build(
    covering: list[Envelope],
    *,
    verdict: Verdict | None,
    show_claim: bool,
    sites: Sequence[Site],
    garrisons: Sequence[Site] | None,
    range_control: bool,
    title: str | None,
    targets: TargetSet | None = None,
) -> Scene:
    from .. import stakes

    if targets is None and verdict is not None:
        targets = verdict.targets
    threat_layers = group(covering)
    defence_covers = [c for c in (verdict.defences if verdict is not None else ()) if c.envelope]
    against = verdict.threat_class if verdict is not None else None
    styles = layer_styles(threat_layers)
    # Layers in drawing order: threats, then the defences' envelopes against the class.
    by_key = {}
    if verdict is not None:
        by_key = {e.layer.first.layer_key: e for e in verdict.evaluations}
    drafts: list[dict] = []
    for i, (layer, style) in enumerate(zip(threat_layers, styles, strict=True)):
        ev = by_key.get(layer.first.layer_key)
        drafts.append(
            {
                "key": f"L{i}",
                "layer": layer,
                "style": style,
                "role": style.role,
                "against": _against(layer),
                "in_range": None if ev is None else ev.in_range,
                "margins": None if ev is None else ev.margins_km,
                "count": None if ev is None else ev.targets_in_range,
                "note": layer.first.cap_note,
            }
        )
    for i, c in enumerate(defence_covers):
        layer = Layer((c.envelope,))
        (style,) = layer_styles([layer], against=c.against)
        note = "; ".join(x for x in (c.derived, c.envelope.cap_note) if x) or None
        drafts.append(
            {
                "key": f"D{i}",
                "layer": layer,
                "style": style,
                "role": DEFENCE,
                "against": c.against,
                "in_range": c.covers,
                "margins": getattr(c, "margins_km", None) or None,
                "count": sum(c.covers),
                "note": note,
                "defence_id": c.defence.id,
            }
        )
    titles = _unique_titles(drafts)
    layers = tuple(
        EnvelopeLayer(
            key=d["key"],
            title=t,
            layer=d["layer"],
            geometry=_union(d["layer"]),
            style=d["style"],
            role=d["role"],
            against=d["against"],
            in_range_count=d["count"],
            note=d["note"],
        )
        for d, t in zip(drafts, titles, strict=True)
    )

    # Targets, from the verdict.
    marks: list[TargetMark] = []
    need = None
    control = None
    if targets is not None and len(targets) and verdict is not None:
        lowest = None
        if verdict.evaluations:
            lowest = min((e.layer for e in verdict.evaluations), key=lambda la: la.figure.min_km)
            need = lowest.reach_km(verdict.distances)
        lead = THREAT if any(d["role"] == THREAT for d in drafts) else DEFENCE
        for j, r in enumerate(verdict.reaches):
            in_range = {}
            margins = {}
            for d in drafts:
                if d["in_range"] is None:
                    continue
                in_range[d["key"]] = bool(d["in_range"][j])
                if d["margins"] is not None:
                    margins[d["key"]] = float(d["margins"][j])
            # A target's state follows the threats, or the defences on a map of defences only.
            flags = [
                in_range[d["key"]] for d in drafts if d["role"] == lead and d["key"] in in_range
            ]
            state = _state(flags)
            marks.append(
                TargetMark(
                    id=f"t{j}",
                    name=r.target.name,
                    country=r.target.country,
                    lon=float(r.target.lon),
                    lat=float(r.target.lat),
                    state=state,
                    in_range=in_range,
                    margins_km=margins,
                    distance_km=float(r.distance_km),
                    nearest=r.nearest_site.name,
                    lines=tuple(stakes.target_lines(verdict, j)) if verdict.evaluations else (),
                    population=stakes.target_population(r.target),
                    defended_by=tuple(
                        c.defence.id for c in verdict.defences if c.covers and c.covers[j]
                    ),
                    label=any(flags),
                    need_km=float(need[j]) if need is not None else math.inf,
                )
            )
        if sum(m.label for m in marks) > MAX_LABELS:  # names on hover only
            from dataclasses import replace

            marks = [replace(m, label=False) for m in marks]
    elif targets is not None and len(targets):
        near = _nearest(targets, _origins(covering, sites))
        for j, t in enumerate(targets.targets):
            km, name = near[j]
            marks.append(
                TargetMark(
                    id=f"t{j}",
                    name=t.name,
                    country=t.country,
                    lon=float(t.lon),
                    lat=float(t.lat),
                    state="none",
                    in_range={},
                    margins_km={},
                    distance_km=km,
                    nearest=name,
                )
            )

    # Sites: the envelopes' origins, the verdict's, those asked for, then garrisons.
    site_list = _origins(covering, [*(verdict.sites if verdict is not None else ()), *sites])
    defence_sites = [c.defence.site for c in defence_covers]
    view = _view(layers, marks, site_list)
    if garrisons is None:
        garrisons = _garrisons_inside(view) if show_claim else ()
    site_marks = _site_marks(site_list, defence_sites, garrisons, layers, marks)
    if not layers and not site_marks and not marks:
        raise ParameterError(
            "nothing to draw: give at least one envelope, site or target", parameter="covering"
        )
    view = _view(layers, marks, [s.site for s in site_marks])

    if range_control and verdict is not None and need is not None and marks and lowest is not None:
        control = _range_control(verdict, lowest, need)

    credits = [_border_credit()]
    if targets is not None and targets.attribution:
        credits.append(targets.attribution)
    notes: list[str] = []
    if verdict is not None and verdict.evaluations:
        notes.extend(stakes.panel_lines(verdict))
    if verdict is not None and verdict.defence_claim is not None:
        notes.append("Defence claimed: " + verdict.defence_claim["text"])
    if defence_covers or any(la.role == DEFENCE for la in layers):
        from ..defences import NOT_MODELLED

        notes.append("Defences: " + NOT_MODELLED)
    plain = "Range rings"
    if layers and all(la.role == DEFENCE for la in layers):
        plain = "Air and missile defence envelopes"
    heading = title or (_verdict_title(verdict) if show_claim and verdict else plain)
    return Scene(
        title=heading,
        verdict=_verdict_word(verdict) if show_claim and verdict is not None else None,
        verdict_line=_verdict_line(verdict, layers, show_claim),
        layers=layers,
        sites=tuple(site_marks),
        targets=tuple(marks),
        view=view,
        wrap=any(_touches_antimeridian(la.geometry) for la in layers),
        credits=tuple(credits),
        notes=tuple(notes),
        targets_label=targets.label if targets is not None else "",
        territory=targets is not None and targets.kind == "territories",
        verdict_obj=verdict if show_claim else None,
        range_control=control,
        threat_class=against,
    )


def _unique_titles(drafts: list[dict]) -> list[str]:
    """Layer titles, made distinct (the layer list of a map is keyed by them)."""
    titles = []
    for d in drafts:
        t = d["layer"].title
        if d.get("defence_id"):
            site = d["layer"].first.origin.name
            t = f"{t}, at {site}"
        titles.append(t)
    repeated = [titles.count(t) > 1 for t in titles]
    for i, d in enumerate(drafts):
        if repeated[i] and d["layer"].figure.label:
            titles[i] = f"{titles[i]} ({d['layer'].figure.label})"
    seen: dict[str, int] = {}
    out = []
    for i, t in enumerate(titles):
        if titles.count(t) > 1:
            seen[t] = seen.get(t, 0) + 1
            t = f"{t} ({i + 1})"
        out.append(t)
    return out


def _union(layer: Layer):
    parts = [e.geometry for e in layer.envelopes]
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def _state(flags: Sequence[bool]) -> str:
    if flags and all(flags):
        return "all"
    return "some" if any(flags) else "none"


def _origins(covering: Sequence[Envelope], extra: Sequence[Site]) -> list[Site]:
    seen: dict[tuple, Site] = {}
    for s in [*(e.origin for e in covering), *extra]:
        seen.setdefault((s.id, s.name, s.lon, s.lat), s)
    return list(seen.values())


def _nearest(targets: TargetSet, sites: list[Site]) -> list[tuple[float | None, str | None]]:
    """Distance and name of the nearest site per target (no range shown)."""
    if not sites:
        return [(None, None)] * len(targets)
    from ..reach import measure

    dist = measure(sites, list(targets.targets))
    return [
        (float(dist.nearest_km[j]), dist.sites[int(dist.nearest_index[j])].name)
        for j in range(len(targets))
    ]


def _site_kind(site: Site, defence_ids: set[int]) -> str:
    if site.role is not None:
        return site.role
    if id(site) in defence_ids:
        return "defence"
    return "launch"


def _site_marks(
    sites: list[Site],
    defence_sites: list[Site],
    garrisons: Sequence[Site],
    layers: Sequence[EnvelopeLayer],
    targets: Sequence[TargetMark],
) -> list[SiteMark]:
    defence_ids = {id(s) for s in defence_sites}
    for la in layers:
        if la.role == DEFENCE:
            defence_ids.update(id(o) for o in la.origins)
    every: dict[tuple, Site] = {}
    for s in [*sites, *defence_sites, *garrisons]:
        every.setdefault((s.id, s.name, s.lon, s.lat), s)
    marks = []
    for s in every.values():
        names: list[str] = []
        for la in layers:
            if any(o is s or (o.id, o.lon, o.lat) == (s.id, s.lon, s.lat) for o in la.origins):
                name = la.layer.system.name if la.layer.system is not None else "given range"
                if name not in names:
                    names.append(name)
        marks.append(
            SiteMark(
                id=s.id,
                name=s.name,
                lon=float(s.lon),
                lat=float(s.lat),
                kind=_site_kind(s, defence_ids),
                shape=s.kind,
                date=s.since,
                note=s.unit,
                systems=tuple(names),
                site=s,
            )
        )
    return _offsets(marks, targets)


def _offsets(marks: list[SiteMark], targets: Sequence[TargetMark]) -> list[SiteMark]:
    """Fan out pins at the same place (within about 11 m), and off a target there."""
    from dataclasses import replace

    out = []
    for i, m in enumerate(marks):
        same = [
            k
            for k, o in enumerate(marks)
            if abs(o.lon - m.lon) < _SAME_PLACE_DEG and abs(o.lat - m.lat) < _SAME_PLACE_DEG
        ]
        on_target = any(
            abs(t.lon - m.lon) < _SAME_PLACE_DEG and abs(t.lat - m.lat) < _SAME_PLACE_DEG
            for t in targets
        )
        n = len(same) + (1 if on_target else 0)
        if n > 1:
            k = same.index(i) + (1 if on_target else 0)
            angle = 2 * math.pi * k / n - math.pi / 2
            r = PIN_SEPARATION_PX
            m = replace(m, offset_px=(round(r * math.cos(angle), 1), round(r * math.sin(angle), 1)))
        out.append(m)
    return out


def _touches_antimeridian(geom) -> bool:
    if geom.is_empty:
        return False
    minx, _, maxx, _ = geom.bounds
    return minx <= -180.0 + 1e-9 or maxx >= 180.0 - 1e-9


def _unwrapped_bounds(geom, lon: float) -> tuple[float, float, float, float] | None:
    """Bounds of a geometry with each part moved to lie within 180 degrees of ``lon``."""
    parts = []
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty:
            continue
        cx = part.centroid.x
        if cx - lon > 180.0:
            part = shapely.transform(part, lambda xy: xy - np.array([360.0, 0.0]))
        elif cx - lon < -180.0:
            part = shapely.transform(part, lambda xy: xy + np.array([360.0, 0.0]))
        parts.append(part)
    return shapely.union_all(parts).bounds if parts else None


#: Out-of-range targets in the first view: at most this many, the nearest...
_NEAREST_OUT = 3
#: ...and only those within this factor of the largest range drawn.
_NEAREST_OUT_FACTOR = 1.25


def _view(
    layers: Sequence[EnvelopeLayer], targets: Sequence[TargetMark], sites: Sequence[Site]
) -> tuple[float, float, float, float]:
    """Return the first view: envelopes, targets in range at some figure, the nearest ones out."""
    boxes = []
    for la in layers:
        b = _unwrapped_bounds(la.geometry, la.layer.first.origin.lon)
        if b is not None:
            boxes.append(b)
    reach = max((la.layer.first.max_km for la in layers if la.role == THREAT), default=0.0)
    if not layers:  # no envelope: everything that is marked
        boxes += [(s.lon, s.lat, s.lon, s.lat) for s in sites]
        boxes += [(t.lon, t.lat, t.lon, t.lat) for t in targets]
    else:
        boxes += [(t.lon, t.lat, t.lon, t.lat) for t in targets if t.label]
        out = sorted(
            (t for t in targets if not t.label and t.distance_km is not None),
            key=lambda t: t.distance_km,
        )
        boxes += [
            (t.lon, t.lat, t.lon, t.lat)
            for t in out[:_NEAREST_OUT]
            if t.distance_km <= _NEAREST_OUT_FACTOR * reach
        ]
    if not boxes:
        return (-180.0, -60.0, 180.0, 75.0)
    west = min(b[0] for b in boxes)
    east = max(b[2] for b in boxes)
    south = max(min(b[1] for b in boxes), -90.0)
    north = min(max(b[3] for b in boxes), 90.0)
    if east - west > 360.0:
        west, east = -180.0, 180.0
    if east - west < 0.05:
        west, east = west - 0.05, east + 0.05
    if north - south < 0.05:
        south, north = max(south - 0.05, -90.0), min(north + 0.05, 90.0)
    return (west, south, east, north)


def _garrisons_inside(view: tuple[float, float, float, float]) -> list[Site]:
    """Return the bundled catalogue's garrison sites inside a view."""
    west, south, east, north = view
    out = []
    for s in _bundled_garrisons():
        lon = s.lon
        inside_lon = west <= lon <= east or west <= lon + 360.0 <= east or west <= lon - 360 <= east
        if inside_lon and south <= s.lat <= north:
            out.append(s)
    return out


#: About how many steps the range slider has from point origins, and from launch areas.
_POINT_STEPS = 60
_AREA_STEPS = 12


@functools.lru_cache(maxsize=1)
def _bundled_garrisons() -> tuple[Site, ...]:
    """Return the garrison sites of the bundled catalogue (read once per process)."""
    from ..systems import load_catalog

    return tuple(s for s in load_catalog().sites.values() if s.role == "garrison")


def _nice_step(span: float, count: int = 60) -> float:
    """Return a round step (1, 2, 2.5 or 5 times a power of ten) for about ``count`` steps."""
    raw = span / count
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= raw:
            return m * power
    return 10.0 * power


def _range_control(verdict: Verdict, lowest: Layer, need) -> RangeControl:
    """Return the slider's data: rings at each step from the shown origins, exact counts."""
    from ..geodesy import antipodal_distance_km

    half = antipodal_distance_km(0.0, 90.0)
    finite = [float(x) for x in need if math.isfinite(x)]
    largest = max(e.range_km for e in verdict.evaluations)
    needed = verdict.range_needed_km if math.isfinite(verdict.range_needed_km) else largest
    top = max(1.5 * needed, 1.5 * largest, max(finite, default=0.0) * 0.25)
    top = min(top, half)
    # An area's envelope costs 0.05-0.5 s to draw (a point's ring about 1 ms): fewer steps.
    areas = any(e.origin.kind == "area" for e in lowest.envelopes)
    step = _nice_step(top, _AREA_STEPS if areas else _POINT_STEPS)
    top = min(math.ceil(top / step) * step, math.floor(half / step) * step)
    min_km = lowest.figure.min_km
    rings = []
    n = int(round(top / step))
    for i in range(1, n + 1):
        km = round(i * step, 6)
        if km <= min_km:
            continue
        figure = ad_hoc_figure(km, min_km=min_km)
        parts = [Envelope(e.origin, None, figure, e.sector).geometry for e in lowest.envelopes]
        rings.append((km, parts[0] if len(parts) == 1 else shapely.union_all(parts)))
    value = min(round(largest / step) * step, top)
    return RangeControl(
        max_km=top,
        step_km=step,
        min_km=min_km,
        value_km=value,
        rings=tuple(rings),
        required=verdict.required,
        total=len(verdict.targets),
    )


@functools.lru_cache(maxsize=1)
def borders() -> tuple[dict, str]:
    """Return the bundled country borders (GeoJSON FeatureCollection, lon/lat) and their credit.

    Natural Earth 1:50m admin-0 (public domain), ``data/borders.geojson``.
    """
    with open(resources.data_path("borders.geojson"), encoding="utf-8") as stream:
        data = json.load(stream)
    credit = data.get("attribution") or "Borders: Natural Earth (public domain)"
    return {"type": "FeatureCollection", "features": data["features"]}, credit


def _border_credit() -> str:
    return borders()[1]


def _verdict_title(verdict: Verdict) -> str:
    claim = verdict.claim
    who = ", ".join(x for x in (claim.speaker, claim.date) if x)
    return f"Claim check: {who}" if who else f"Claim check: {claim.id}"


def _verdict_word(verdict: Verdict) -> str:
    """Return ``true``, ``false`` or ``depends``: the claim's, or a defence claim's.

    For a claim about a defence, ``inside`` reads as true, ``outside`` as false and
    ``partly inside`` as depends.
    """
    if verdict.defence_claim is not None:
        word = verdict.defence_claim["verdict"]
        return {"inside": "true", "outside": "false"}.get(word, "depends")
    return verdict.verdict


def _verdict_line(verdict: Verdict | None, layers: Sequence[EnvelopeLayer], claim: bool) -> str:
    """One line: the verdict word and counts, or what is drawn."""
    d = verdict.defence_claim if verdict is not None and claim else None
    if d is not None:
        # A claim about a defence is judged on the defence: lead with that, not with
        # the threat's reach (which the panel and the table still show).
        return (
            f"{d['verdict'].upper()} \u2014 {d['targets_inside']} of {d['targets_count']} "
            f"inside a defence envelope against {d['against']} (where it can engage, "
            "not an area it protects)"
        )
    if verdict is not None and claim and verdict.evaluations:
        n = len(verdict.targets)
        best = max(verdict.evaluations, key=lambda e: e.range_km)
        return (
            f"{verdict.verdict.upper()} \u2014 {best.targets_in_range} of {n} at "
            f"{best.range_km:,.0f} km; {verdict.required} needed"
        )
    threats = [la for la in layers if la.role == THREAT]
    if threats:
        return "; ".join(la.title for la in threats[:3]) + ("\u2026" if len(threats) > 3 else "")
    return "; ".join(la.title for la in layers[:3]) or "Sites and targets"
