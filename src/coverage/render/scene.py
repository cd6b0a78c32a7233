"""A renderer-free map: what any renderer draws, decided once.

A :class:`Scene` holds everything a map shows, as plain data: the envelopes grouped
into layers with one style each (:class:`EnvelopeLayer`), the sites by kind
(:class:`SiteMark`), the targets with their state and numbers (:class:`TargetMark`),
the view to fit, the headline, the sources, credits and what is not modelled, and
for claim maps what the claim comes to (:class:`ClaimPanel`, rows of the verdict's
:class:`~coverage.report.Report`) and a range control (:class:`RangeControl`).
Renderers (the Leaflet page of :mod:`coverage.render.leaflet`, the static figures of
:mod:`coverage.render.static`, the KML of :mod:`coverage.exports`) draw a scene and
never read the verdict behind it; none of them decides membership, picks a colour or
words a verdict of its own (:data:`SITE_KINDS`, :data:`BASEMAP`, :data:`TARGET_WORDS`).

- **Membership and numbers come from a verdict only** (:func:`scene_for`); a scene
  of envelopes without a verdict (:func:`scene_of`) judges the targets shown with
  :func:`coverage.claims.judge` first, by exact geodesic distance, never by a
  drawn polygon.
- **One style table** (:func:`layer_styles`): a threat system has one colour in
  every output, in order of first appearance (:data:`THREAT_PALETTE`; a range typed
  in km is :data:`GIVEN_COLOUR`); declared figures are solid, estimated dashed,
  given dotted. Air and missile defences are outline-led (a heavier line, an almost
  clear fill) in their own colours, one per class of threat they engage
  (:data:`DEFENCE_COLOURS`), so attack and defence never look alike.
- **Never by hue alone**: targets in range at every figure are filled circles, at
  some figures filled diamonds, out of range hollow rings (:data:`TARGET_STYLES`);
  site kinds are triangles, squares and diamonds; envelope classes differ in line
  weight, fill and dash. Every pair of colours that must be told apart stays at
  least 10 CIEDE2000 apart under simulated protanopia, deuteranopia and tritanopia
  (Machado et al. 2009, severity 1), and every text colour (:data:`TEXT`,
  :data:`TONE_COLOURS`) is at least 4.5:1 against its background (WCAG 1.4.3);
  ``tests/test_colour.py`` checks both.
- Geometry is lon/lat degrees, as :attr:`coverage.envelopes.Envelope.geometry`
  gives it (split at +-180); nothing here projects or clips.

Nothing here imports folium or matplotlib.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from .. import _validate as _v
from .. import resources
from ..envelopes import Envelope, Layer, _ad_hoc_figure, _group
from ..errors import ParameterError

if TYPE_CHECKING:
    from ..claims import Verdict
    from ..report import FigureRow, Headline, OriginRow, SourceRow
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
    "SITE_KINDS",
    "SITE_WORDS",
    "BASEMAP",
    "Basemap",
    "TEXT",
    "TextColours",
    "TONE_COLOURS",
    "AREA_OUTLINE",
    "SiteKind",
    "PIN_SEPARATION_PX",
    "MAX_LABELS",
    "DOT_SEPARATION_PX",
    "Style",
    "MarkStyle",
    "EnvelopeLayer",
    "SiteMark",
    "TargetMark",
    "RangeControl",
    "ClaimPanel",
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
#: Colours of threat systems, in order of first appearance: warm hues (no greens or
#: blues: those are the defences'), chosen with the defences' and the given range's so
#: that each pair stays apart under every simulated colour-vision deficiency.
THREAT_PALETTE = (
    "#aa0033",
    "#550088",
    "#aa6644",
    "#552200",
    "#bb2277",
)
#: Colour of a range typed in km (no system).
GIVEN_COLOUR = "#222222"
#: Colour of a defence by the class of threat its figure is against (cool hues).
DEFENCE_COLOURS = {
    "ballistic missiles": "#007788",
    "cruise missiles": "#2277ff",
    "aircraft": "#2211ff",
    "surface": "#113344",
}
_DASH = {"declared": None, "estimated": "9 6", "given": "2 6"}
_FILL = {"declared": 0.10, "estimated": 0.06, "given": 0.08}
_DEFENCE_FILL = 0.03
#: Line width of a defence's envelope, CSS px: heavier than any threat's (2.5 px).
_DEFENCE_WEIGHT = 3.5
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
    """How a point mark is drawn, in every renderer.

    Attributes
    ----------
    colour : str
        ``"#rrggbb"``: the mark's fill, or for a hollow mark its ring.
    symbol : {"circle", "diamond", "triangle", "square"}
        Launch sites are triangles, defence sites squares, garrisons diamonds;
        targets are circles, or diamonds when in range at some figures only.
    size_px : float
        Width of the symbol, CSS pixels (points in print: 1 px = 0.75 pt).
    edge : str, default "#222222"
        ``"#rrggbb"`` of the outline of a filled mark.
    edge_px : float, default 1.0
        Outline width, CSS pixels.
    hollow : bool, default False
        A ring of ``colour`` (``edge_px`` wide) around a white centre, instead of a
        filled mark: what sets a target out of range apart without its colour.
    """

    colour: str
    symbol: str
    size_px: float
    edge: str = "#222222"
    edge_px: float = 1.0
    hollow: bool = False

    @property
    def face(self) -> str:
        """The fill, ``"#rrggbb"``: white for a hollow mark, else ``colour``."""
        return "#ffffff" if self.hollow else self.colour

    @property
    def line(self) -> str:
        """The outline, ``"#rrggbb"``: ``colour`` for a hollow mark, else ``edge``."""
        return self.colour if self.hollow else self.edge


#: Targets by state: in range at every figure shown (a filled circle), at some only
#: (a filled diamond), at none (a hollow ring): told apart by shape as well as colour.
TARGET_STYLES = {
    "all": MarkStyle("#b2182b", "circle", 10),
    "some": MarkStyle("#f0a030", "diamond", 10),
    "none": MarkStyle("#6b7f95", "circle", 10, edge_px=2.0, hollow=True),
}
#: What a target's state means, in words.
TARGET_WORDS = {
    "all": "in range at every figure shown",
    "some": "in range at some figures only",
    "none": "out of range at every figure shown",
}


@dataclass(frozen=True)
class SiteKind:
    """A kind of site: its mark and its name, one and many (``"Garrison"``, ``"Garrisons"``)."""

    style: MarkStyle
    one: str
    many: str


#: Sites by kind: the one table of their marks and words (legends, popups, layer lists).
SITE_KINDS = {
    "launch": SiteKind(
        MarkStyle("#7f1d1d", "triangle", 16, edge="#ffffff", edge_px=1.5),
        "Launch site",
        "Launch sites",
    ),
    "defence": SiteKind(
        MarkStyle("#00695c", "square", 13, edge="#ffffff", edge_px=1.5),
        "Air or missile defence site",
        "Air and missile defence sites",
    ),
    "garrison": SiteKind(
        MarkStyle("#1a237e", "diamond", 14, edge="#ffffff", edge_px=1.5), "Garrison", "Garrisons"
    ),
}
#: Sites by kind: their marks (from :data:`SITE_KINDS`).
SITE_STYLES = {k: v.style for k, v in SITE_KINDS.items()}
#: Sites by kind: their plural names (from :data:`SITE_KINDS`).
SITE_WORDS = {k: v.many for k, v in SITE_KINDS.items()}


@dataclass(frozen=True)
class Basemap:
    """The colours of the offline basemap in every renderer (``"#rrggbb"``)."""

    sea: str
    land: str
    border: str


#: The basemap's colours: sea, land and borders (Natural Earth) in every renderer.
BASEMAP = Basemap(sea="#cfe1ee", land="#f7f4ec", border="#a3a3a3")


@dataclass(frozen=True)
class TextColours:
    """The colours of text in every renderer (``"#rrggbb"``).

    Attributes
    ----------
    ink : str
        Body text, legend and names on the map.
    muted : str
        Notes, credits and table headings.
    halo : str
        The outline behind a name on the map, which sets it off the basemap.
    paper : str
        The page or panel behind the legend and the notes.
    """

    ink: str
    muted: str
    halo: str
    paper: str


#: Text colours: each at least 4.5:1 against the paper and the halo (WCAG 1.4.3).
TEXT = TextColours(ink="#222222", muted="#555555", halo="#ffffff", paper="#ffffff")
#: Headline colours by tone (:attr:`Scene.verdict`): holds, does not hold, depends on
#: the range. Each is written on white and carries white text in a badge, at least
#: 4.5:1 either way; the word itself says the verdict, the colour only repeats it.
TONE_COLOURS = {"true": "#2b6a3f", "false": "#b2182b", "depends on range": "#9a5a00"}
#: How a launch area's outline is drawn: a thin short dash in the launch sites'
#: colour, never filled, so that it is not read as an envelope.
AREA_OUTLINE = Style(SITE_KINDS["launch"].style.colour, 0.0, 1.2, "4 3", THREAT)


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
    return _layer_styles(layers, against)


def _layer_styles(layers: Sequence[Layer], against: str | None = None) -> list[Style]:
    """Return :func:`layer_styles` of checked layers."""
    colours: dict[str, str] = {}
    out = []
    for layer in layers:
        kind = layer.kind
        if _role(layer) == DEFENCE:
            cls = against or layer.figure.against
            colour = DEFENCE_COLOURS.get(cls, DEFENCE_COLOURS["surface"])
            out.append(Style(colour, _DEFENCE_FILL, _DEFENCE_WEIGHT, _DASH.get(kind), DEFENCE))
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
    layers = _group(items)
    return {la.first.layer_key: s for la, s in zip(layers, _layer_styles(layers), strict=True)}


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
    words : Mapping of str to str
        Per layer key: what the margin means, in words (``"in range"``, ``"out of
        range"``, ``"inside the 50 km minimum range"``, ``"outside the sector"``,
        ``"can engage there"``, ``"outside its envelope"``).
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
    words: Mapping[str, str] = field(default_factory=dict)

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
        """Return how many targets a maximum range of ``km`` reaches (exact distances).

        Raises
        ------
        ParameterError
            If ``targets`` are not target marks or ``km`` is not a number.
        """
        targets = _v.instances(targets, "targets", TargetMark)
        _v.number(km, "km", finite=False)
        return sum(1 for t in targets if t.need_km <= km)


@dataclass(frozen=True)
class ClaimPanel:
    """What a claim map says about the claim: rows of the verdict's report, laid out.

    Attributes
    ----------
    quote, who : str or None
        The words claimed, and ``"SPEAKER, DATE"``.
    sources : tuple of coverage.report.SourceRow
        Where the claim was reported (the report's ``C`` keys).
    headline : coverage.report.Headline
        The answer to the claim's own question (``headline.word`` is what every
        output shows).
    reach : str
        The reach verdict (``true``, ``false``, ``depends on range``).
    reach_text : str
        The report's summary of the reach verdict, without its leading word.
    figures : tuple of coverage.report.FigureRow
        One per range figure.
    figure_layers : tuple of str or None
        The scene's layer key of each figure (None if not drawn), for its swatch and title.
    origins : tuple of coverage.report.OriginRow
        With launch areas: the claim from each choice of origins.
    required : int
        Targets needed for the claim to hold.
    share : float
        The share claimed, 0-1.
    range_needed_km : float or None
        From the report: the range from which the reach claim would hold, km; None
        when none would.
    range_needed_text : str
        The same in words, or why no range would do.
    """

    quote: str | None
    who: str | None
    sources: tuple[SourceRow, ...]
    headline: Headline
    reach: str
    reach_text: str
    figures: tuple[FigureRow, ...]
    figure_layers: tuple[str | None, ...]
    origins: tuple[OriginRow, ...]
    required: int
    share: float
    range_needed_km: float | None
    range_needed_text: str

    @property
    def total(self) -> int:
        """Targets judged."""
        return self.figures[0].count if self.figures else 0


@dataclass(frozen=True, eq=False)
class Scene:
    """Everything a map shows, for any renderer.

    Attributes
    ----------
    title : str
        The map's heading.
    verdict : str or None
        The tone of the headline, for its colour: ``"true"`` (the claim's answer is
        true, inside, consistent), ``"false"`` (false, outside, impossible) or
        ``"depends on range"`` (any other word); None for a map that claims nothing.
    verdict_line : str
        One line: the report's headline (``"FALSE \u2014 10 of 51 at 700 km; 26
        needed"``, ``"INSIDE \u2014 1 of 1 inside a defence envelope ..."``); the
        layers otherwise.
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
    definition_id : str or None
        The id of the definition of the targets (``"eu27"``), None when used as given.
    territory : bool
        Targets are countries judged on their territory (marked at the capital).
    claim : ClaimPanel or None
        What a claim map says about the claim (the headline, counts per figure, per
        origin, the defences), from the verdict's report; None for a map that claims
        nothing.
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
    definition_id: str | None = None
    territory: bool = False
    claim: ClaimPanel | None = None
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
    return _scene_for(verdict, panel, garrisons, range_control, title)


def _scene_for(
    verdict: Verdict,
    panel: bool = True,
    garrisons: Sequence[Site] | None = None,
    range_control: bool = True,
    title: str | None = None,
) -> Scene:
    """Return :func:`scene_for` of checked arguments."""
    return _build(
        [e.layer for e in verdict.evaluations],
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
    layers = _group(covering)  # refuses anything that is not an Envelope
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
    plain = None
    if judged is None and targets is not None and len(targets):
        plain = _plain_marks(targets, _origins(layers, sites))
    return _build(
        layers,
        verdict=judged,
        show_claim=verdict is not None,
        sites=tuple(sites),
        garrisons=garrisons,
        range_control=verdict is not None,
        title=title,
        targets=targets,
        plain=plain,
    )


@dataclass(frozen=True, eq=False)
class _Draft:
    """A layer before its title is made unique, with the verdict's flags per target."""

    key: str
    layer: Layer
    style: Style
    role: str
    against: str | None
    in_range: Any = None
    margins: Any = None
    count: int | None = None
    note: str | None = None
    defence_id: str | None = None


def _build(
    threat_layers: list[Layer],
    *,
    verdict: Verdict | None,
    show_claim: bool,
    sites: Sequence[Site],
    garrisons: Sequence[Site] | None,
    range_control: bool,
    title: str | None,
    targets: TargetSet | None = None,
    plain: list[TargetMark] | None = None,
) -> Scene:
    """Return the scene of grouped layers: judged by ``verdict``, or with ``plain`` marks."""
    if targets is None and verdict is not None:
        targets = verdict.targets
    defence_covers = _defence_covers(verdict)
    drafts = _drafts(threat_layers, defence_covers, verdict)
    layers = _envelope_layers(drafts)
    lowest = _lowest(verdict)
    marks = plain or _target_marks(verdict, targets, drafts, lowest)
    site_list = _origins(threat_layers, [*(verdict.sites if verdict is not None else ()), *sites])
    if garrisons is None:
        garrisons = _garrisons_inside(_view(layers, marks, site_list)) if show_claim else ()
        garrisons = _garrisons_then(garrisons, verdict)
    site_marks = _site_marks(
        site_list, [c.defence.site for c in defence_covers], garrisons, layers, marks
    )
    if not layers and not site_marks and not marks:
        raise ParameterError(
            "nothing to draw: give at least one envelope, site or target", parameter="covering"
        )
    claim = verdict if show_claim else None
    return Scene(
        title=title or _heading(claim, layers),
        verdict_line=_verdict_line(claim, layers),
        layers=layers,
        sites=tuple(site_marks),
        targets=tuple(marks),
        view=_view(layers, marks, [s.site for s in site_marks]),
        wrap=any(_touches_antimeridian(la.geometry) for la in layers),
        notes=_notes(verdict, layers),
        threat_class=verdict.threat_class if verdict is not None else None,
        **_target_fields(targets),
        **_claim_fields(claim, layers, lowest if range_control and marks else None),
    )


def _defence_covers(verdict: Verdict | None) -> list:
    """Return the verdict's defences that cover something (an envelope to draw)."""
    return [c for c in (verdict.defences if verdict is not None else ()) if c.envelope]


def _target_fields(targets: TargetSet | None) -> dict[str, Any]:
    """Return what a scene says about the targets' origin: credits, label, definition."""
    if targets is None:
        return {"credits": _credits(None)}
    definition = targets.definition
    return {
        "credits": _credits(targets),
        "targets_label": targets.label,
        "definition_id": definition.id if definition is not None else None,
        "territory": targets.kind == "territories",
    }


def _claim_fields(
    claim: Verdict | None, layers: Sequence[EnvelopeLayer], lowest: Layer | None
) -> dict[str, Any]:
    """Return a claim map's tone, panel and range control (none for a map claiming nothing)."""
    if claim is None:
        return {"verdict": None}
    control = None
    if lowest is not None:
        control = _range_control(claim, lowest, claim.needed_km)
    return {
        "verdict": _tone(claim.report.headline.word),
        "claim": _claim_panel(claim, layers),
        "range_control": control,
    }


def _drafts(threat_layers: list[Layer], defence_covers: list, verdict: Verdict | None) -> list:
    """Return threat layers, then the defences' envelopes against the class, with flags."""
    by_key = {}
    if verdict is not None:
        by_key = {e.layer.first.layer_key: e for e in verdict.evaluations}
    drafts = []
    styles = _layer_styles(threat_layers)
    for i, (layer, style) in enumerate(zip(threat_layers, styles, strict=True)):
        ev = by_key.get(layer.first.layer_key)
        drafts.append(
            _Draft(
                f"L{i}",
                layer,
                style,
                style.role,
                _against(layer),
                in_range=None if ev is None else ev.in_range,
                margins=None if ev is None else ev.margins_km,
                count=None if ev is None else ev.targets_in_range,
                note=layer.first.cap_note,
            )
        )
    for i, c in enumerate(defence_covers):
        layer = Layer((c.envelope,))
        (style,) = _layer_styles([layer], c.against)
        drafts.append(
            _Draft(
                f"D{i}",
                layer,
                style,
                DEFENCE,
                c.against,
                in_range=c.covers,
                margins=getattr(c, "margins_km", None) or None,
                count=sum(c.covers),
                note="; ".join(x for x in (c.derived, c.envelope.cap_note) if x) or None,
                defence_id=c.defence.id,
            )
        )
    return drafts


def _envelope_layers(drafts: list[_Draft]) -> tuple[EnvelopeLayer, ...]:
    titles = _unique_titles(drafts)
    return tuple(
        EnvelopeLayer(
            key=d.key,
            title=t,
            layer=d.layer,
            geometry=_union(d.layer),
            style=d.style,
            role=d.role,
            against=d.against,
            in_range_count=d.count,
            note=d.note,
        )
        for d, t in zip(drafts, titles, strict=True)
    )


def _lowest(verdict: Verdict | None) -> Layer | None:
    """Return the evaluated layer with the smallest minimum range (the range control's)."""
    if verdict is None or not verdict.evaluations:
        return None
    return min((e.layer for e in verdict.evaluations), key=lambda la: la.figure.min_km)


def _target_marks(
    verdict: Verdict | None,
    targets: TargetSet | None,
    drafts: list[_Draft],
    lowest: Layer | None,
) -> list[TargetMark]:
    """Return the targets as the verdict judged them (none without a verdict)."""
    if verdict is None or targets is None or not len(targets):
        return []
    need = verdict.needed_km if lowest is not None else None
    marks = [_judged_mark(verdict, j, drafts, need) for j in range(len(verdict.reaches))]
    if sum(m.label for m in marks) > MAX_LABELS:  # names on hover only
        marks = [replace(m, label=False) for m in marks]
    return marks


def _judged_mark(verdict: Verdict, j: int, drafts: list[_Draft], need) -> TargetMark:
    """Return one target of a verdict: flags and margins per layer, its state and numbers."""
    from .. import stakes

    r = verdict.reaches[j]
    judged = [d for d in drafts if d.in_range is not None]
    in_range = {d.key: bool(d.in_range[j]) for d in judged}
    margins = {d.key: float(d.margins[j]) for d in judged if d.margins is not None}
    distance = float(r.distance_km)
    words = {
        d.key: _margin_word(d, in_range[d.key], margins.get(d.key, math.nan), distance)
        for d in judged
    }
    # A target's state follows the threats, or the defences on a map of defences only.
    lead = THREAT if any(d.role == THREAT for d in drafts) else DEFENCE
    flags = [in_range[d.key] for d in judged if d.role == lead]
    return TargetMark(
        id=f"t{j}",
        name=r.target.name,
        country=r.target.country,
        lon=float(r.target.lon),
        lat=float(r.target.lat),
        state=_state(flags),
        in_range=in_range,
        margins_km=margins,
        distance_km=float(r.distance_km),
        nearest=r.nearest_site.name,
        lines=tuple(stakes.target_lines(verdict, j)) if verdict.evaluations else (),
        population=stakes.target_population(r.target),
        defended_by=tuple(c.defence.id for c in verdict.defences if c.covers and c.covers[j]),
        label=any(flags),
        need_km=float(need[j]) if need is not None else math.inf,
        words=words,
    )


def _margin_word(d: _Draft, reached: bool, margin: float, distance_km: float) -> str:
    """Return what a target's margin to one layer means, in words."""
    if math.isinf(margin):
        return "outside the sector"
    if d.role == DEFENCE:
        return "can engage there" if reached else "outside its envelope"
    if reached:
        return "in range"
    min_km = d.layer.figure.min_km
    if min_km > 0 and distance_km < min_km:
        return f"inside the {min_km:,.0f} km minimum range"
    return "out of range"


def _plain_marks(targets: TargetSet, origins: list[Site]) -> list[TargetMark]:
    """Return unjudged targets, each with its nearest origin and the distance to it."""
    near = _nearest(targets, origins)
    return [
        TargetMark(
            id=f"t{j}",
            name=t.name,
            country=t.country,
            lon=float(t.lon),
            lat=float(t.lat),
            state="none",
            in_range={},
            margins_km={},
            distance_km=near[j][0],
            nearest=near[j][1],
        )
        for j, t in enumerate(targets.targets)
    ]


def _credits(targets: TargetSet | None) -> tuple[str, ...]:
    if targets is not None and targets.attribution:
        return (_border_credit(), targets.attribution)
    return (_border_credit(),)


def _notes(verdict: Verdict | None, layers: Sequence[EnvelopeLayer]) -> tuple[str, ...]:
    """Return the time and population models, the defence claimed, what defences omit."""
    from .. import stakes

    notes: list[str] = []
    if verdict is not None and verdict.evaluations:
        notes.extend(stakes.panel_lines(verdict))
    if verdict is not None and verdict.defence_claim is not None:
        notes.append("Defence claimed: " + verdict.defence_claim["text"])
    if verdict is not None and verdict.left_out:  # figures published after the day judged
        notes.extend(verdict.report.as_of.left_out_lines())
    if any(la.role == DEFENCE for la in layers):
        from ..defences import NOT_MODELLED

        notes.append("Defences: " + NOT_MODELLED)
    return tuple(notes)


def _heading(claim: Verdict | None, layers: Sequence[EnvelopeLayer]) -> str:
    if claim is not None:
        return _verdict_title(claim)
    if layers and all(la.role == DEFENCE for la in layers):
        return "Air and missile defence envelopes"
    return "Range rings"


def _unique_titles(drafts: list[_Draft]) -> list[str]:
    """Return layer titles, made distinct (the layer list of a map is keyed by them)."""
    titles = [
        f"{d.layer.title}, at {d.layer.first.origin.name}" if d.defence_id else d.layer.title
        for d in drafts
    ]
    counts = Counter(titles)
    titles = [
        f"{t} ({d.layer.figure.label})" if counts[t] > 1 and d.layer.figure.label else t
        for t, d in zip(titles, drafts, strict=True)
    ]
    counts = Counter(titles)
    return [f"{t} ({i + 1})" if counts[t] > 1 else t for i, t in enumerate(titles)]


def _union(layer: Layer):
    parts = [e.geometry for e in layer.envelopes]
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def _state(flags: Sequence[bool]) -> str:
    if flags and all(flags):
        return "all"
    return "some" if any(flags) else "none"


def _origins(layers: Sequence[Layer], extra: Sequence[Site]) -> list[Site]:
    """Return the layers' origins, then ``extra``, each place once."""
    seen: dict[tuple, Site] = {}
    for s in [*(e.origin for la in layers for e in la.envelopes), *extra]:
        seen.setdefault((s.id, s.name, s.lon, s.lat), s)
    return list(seen.values())


def _nearest(targets: TargetSet, sites: list[Site]) -> list[tuple[float | None, str | None]]:
    """Distance and name of the nearest site per target (no range shown)."""
    if not sites:
        return [(None, None)] * len(targets)
    from ..reach import _measure

    dist = _measure(sites, list(targets.targets))
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
    """Return a mark per site (once each), with its kind and the systems shown from it."""
    defence_ids = {id(s) for s in defence_sites}
    defence_ids.update(id(o) for la in layers if la.role == DEFENCE for o in la.origins)
    every: dict[tuple, Site] = {}
    for s in [*sites, *defence_sites, *garrisons]:
        every.setdefault((s.id, s.name, s.lon, s.lat), s)
    shown = _systems_by_origin(layers)
    marks = [
        SiteMark(
            id=s.id,
            name=s.name,
            lon=float(s.lon),
            lat=float(s.lat),
            kind=_site_kind(s, defence_ids),
            shape=s.kind,
            date=s.since,
            note=s.unit,
            systems=tuple(shown.get((s.id, s.lon, s.lat), ())),
            site=s,
        )
        for s in every.values()
    ]
    return _offsets(marks, targets)


def _systems_by_origin(layers: Sequence[EnvelopeLayer]) -> dict[tuple, list[str]]:
    """Return the names of the systems drawn from each origin, keyed by (id, lon, lat)."""
    out: dict[tuple, list[str]] = {}
    for la in layers:
        system = la.layer.system
        name = system.name if system is not None else "given range"
        for o in la.origins:
            names = out.setdefault((o.id, o.lon, o.lat), [])
            if name not in names:
                names.append(name)
    return out


def _cells(points: Sequence[tuple[float, float]]) -> dict[tuple[int, int], list[int]]:
    """Return the indices of points by grid cell of :data:`_SAME_PLACE_DEG`."""
    cells: dict[tuple[int, int], list[int]] = {}
    for i, (lon, lat) in enumerate(points):
        key = (math.floor(lon / _SAME_PLACE_DEG), math.floor(lat / _SAME_PLACE_DEG))
        cells.setdefault(key, []).append(i)
    return cells


def _same_place(
    cells: dict[tuple[int, int], list[int]], points: Sequence[tuple[float, float]], lon, lat
) -> list[int]:
    """Return the indices of points within :data:`_SAME_PLACE_DEG` of (lon, lat), in order."""
    cx, cy = math.floor(lon / _SAME_PLACE_DEG), math.floor(lat / _SAME_PLACE_DEG)
    near = [k for dx in (-1, 0, 1) for dy in (-1, 0, 1) for k in cells.get((cx + dx, cy + dy), ())]
    return sorted(
        k
        for k in near
        if abs(points[k][0] - lon) < _SAME_PLACE_DEG and abs(points[k][1] - lat) < _SAME_PLACE_DEG
    )


def _offsets(marks: list[SiteMark], targets: Sequence[TargetMark]) -> list[SiteMark]:
    """Fan out pins at the same place (within about 11 m), and off a target there."""
    pins = [(m.lon, m.lat) for m in marks]
    dots = [(t.lon, t.lat) for t in targets]
    pin_cells, dot_cells = _cells(pins), _cells(dots)
    out = []
    for i, m in enumerate(marks):
        same = _same_place(pin_cells, pins, m.lon, m.lat)
        on_target = 1 if _same_place(dot_cells, dots, m.lon, m.lat) else 0
        n = len(same) + on_target
        if n > 1:
            angle = 2 * math.pi * (same.index(i) + on_target) / n - math.pi / 2
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
    boxes = [_unwrapped_bounds(la.geometry, la.layer.first.origin.lon) for la in layers]
    boxes = [b for b in boxes if b is not None]
    if not layers:  # no envelope: everything that is marked
        points = [(s.lon, s.lat) for s in sites] + [(t.lon, t.lat) for t in targets]
    else:
        points = [(t.lon, t.lat) for t in _targets_in_view(layers, targets)]
    boxes += [(lon, lat, lon, lat) for lon, lat in points]
    if not boxes:
        return (-180.0, -60.0, 180.0, 75.0)
    return _padded(np.asarray(boxes, dtype=float))


def _targets_in_view(
    layers: Sequence[EnvelopeLayer], targets: Sequence[TargetMark]
) -> list[TargetMark]:
    """Return the labelled targets and up to the nearest few out of range, if not too far."""
    reach = max((la.layer.first.max_km for la in layers if la.role == THREAT), default=0.0)
    out = sorted(
        (t for t in targets if not t.label and t.distance_km is not None),
        key=lambda t: t.distance_km,
    )
    near = [t for t in out[:_NEAREST_OUT] if t.distance_km <= _NEAREST_OUT_FACTOR * reach]
    return [t for t in targets if t.label] + near


def _padded(boxes: np.ndarray) -> tuple[float, float, float, float]:
    """Return the box around boxes (west, south, east, north), at least 0.05 degree wide."""
    west, east = float(boxes[:, 0].min()), float(boxes[:, 2].max())
    south, north = max(float(boxes[:, 1].min()), -90.0), min(float(boxes[:, 3].max()), 90.0)
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


def _garrisons_then(garrisons: Sequence[Site], verdict: Verdict | None) -> list[Site]:
    """Keep the garrisons there as of the day the verdict was judged (coverage.dated)."""
    reading = verdict.report.as_of if verdict is not None else None
    if reading is None:
        return list(garrisons)
    from ..dated import in_place

    return [g for g in garrisons if in_place(g, reading.day)]


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
        figure = _ad_hoc_figure(km, min_km)
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


#: Headline words by tone: what colours a badge (any other word is "depends on range").
_TONES = {
    "true": "true",
    "inside": "true",
    "consistent": "true",
    "false": "false",
    "outside": "false",
    "impossible": "false",
}


def _tone(word: str) -> str:
    """Return ``"true"``, ``"false"`` or ``"depends on range"``: a headline word's colour."""
    return _TONES.get(word, "depends on range")


def _verdict_line(claim: Verdict | None, layers: Sequence[EnvelopeLayer]) -> str:
    """Return one line: the report's headline for a claim, or what is drawn."""
    if claim is not None:
        return claim.report.headline.line
    threats = [la for la in layers if la.role == THREAT]
    if threats:
        return "; ".join(la.title for la in threats[:3]) + ("\u2026" if len(threats) > 3 else "")
    return "; ".join(la.title for la in layers[:3]) or "Sites and targets"


def _claim_panel(verdict: Verdict, layers: Sequence[EnvelopeLayer]) -> ClaimPanel:
    """Return what a claim map says about the claim: its report's rows and words."""
    claim = verdict.claim
    report = verdict.report
    by_key = {la.layer.first.layer_key: la.key for la in layers if la.role == THREAT}
    _, sep, rest = report.summary.partition(": ")
    return ClaimPanel(
        quote=claim.quote or None,
        who=", ".join(x for x in (claim.speaker, claim.date) if x) or None,
        sources=tuple(s for s in report.sources if s.key.startswith("C")),
        headline=report.headline,
        reach=report.reach,
        reach_text=rest[:1].upper() + rest[1:] if sep else report.summary,
        figures=report.figures,
        figure_layers=tuple(by_key.get(e.layer.first.layer_key) for e in verdict.evaluations),
        origins=report.origins,
        required=verdict.required,
        share=verdict.share_claimed,
        range_needed_km=report.range_needed_km,
        range_needed_text=report.range_needed_text,
    )
