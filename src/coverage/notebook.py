"""Notebook helpers: objects that show themselves, and a range you can turn.

``_repr_html_`` of :class:`~coverage.envelopes.Envelope`, :class:`~coverage.claims.Claim`
and :class:`~coverage.targets.TargetSet` delegate to :func:`envelope_html`,
:func:`claim_html` and :func:`targets_html` here; a verdict shows its report
(:func:`coverage.report.report_html`). Every name, quote and URL is escaped with
:func:`html.escape`; nothing from the data reaches the page as markup.

:func:`explore` re-judges a verdict at another range (km), definition of "Europe's
capitals" or choice of origins (the towns, or anywhere in the oblast) and returns
what changes, without widgets; :func:`explore_widget` puts the same call behind
ipywidgets controls (``pip install 'threat-coverage[notebook]'``).

    >>> from coverage.claims import evaluate_claim, load_claims
    >>> from coverage.systems import load_catalog
    >>> v = evaluate_claim(load_claims()["grybauskaite-2018-capitals"], load_catalog())
    >>> e = explore(v, range_km=1300, origin="sites")
    >>> e.counts
    {'Iskander-M — given 1,300 km': 27}
    >>> e.verdict.verdict
    'true'
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _validate as _v
from .claims import judge, origin_label
from .dated import Day, definitions_as_of, verdict_day
from .envelopes import Envelope, ad_hoc_figure, envelopes
from .errors import ParameterError, UnknownNameError
from .targets import load_definitions

if TYPE_CHECKING:
    from .claims import Claim, Verdict
    from .systems import Site
    from .targets import TargetSet

__all__ = [
    "Exploration",
    "Explorer",
    "claim_html",
    "envelope_html",
    "envelope_svg",
    "explore",
    "explore_widget",
    "origin_choices",
    "targets_html",
]

#: Rows a target set shows before "and N more".
TABLE_ROWS = 10
#: Width and height of an envelope's inline SVG, pixels.
SVG_SIZE_PX = 220

_e = html.escape


# --------------------------------------------------------------------------- showing


def envelope_svg(envelope: Envelope, *, size_px: int = SVG_SIZE_PX) -> str:
    """Return a small SVG of an envelope's display boundary and its origin.

    Drawn in lon/lat degrees with the x axis shrunk by the cosine of the middle
    latitude, so a ring at 55°N looks round; for display only (membership comes from
    exact distances). Path data comes from shapely (``geometry.svg``).

    Parameters
    ----------
    envelope : Envelope
    size_px : int, default 220
        Width and height of the picture, pixels.

    Returns
    -------
    str
        An ``<svg>`` element; its ``<title>`` (the escaped label) is its alt text.
    """
    _v.envelope(envelope)
    _v.number(size_px, "size_px", integer=True, low=16, high=4096)
    geom = envelope.geometry
    o = envelope.origin
    shapes = [geom] if not geom.is_empty else []
    minx, miny, maxx, maxy = geom.bounds if shapes else (o.lon, o.lat, o.lon, o.lat)
    minx, maxx = min(minx, o.lon) - 0.5, max(maxx, o.lon) + 0.5
    miny, maxy = min(miny, o.lat) - 0.5, max(maxy, o.lat) + 0.5
    kx = max(math.cos(math.radians((miny + maxy) / 2)), 0.05)
    span = max((maxx - minx) * kx, maxy - miny)
    from .render.scene import envelope_styles

    fill = envelope_styles([envelope])[envelope.layer_key].colour  # as on every map
    paths = "".join(g.svg(scale_factor=span / 150, fill_color=fill, opacity=0.35) for g in shapes)
    r = span / 60
    if o.kind == "area":  # the launch area itself, drawn darker
        mark = o.geometry.svg(scale_factor=span / 150, fill_color="#111", opacity=0.6)
    else:
        mark = f'<ellipse cx="{o.lon}" cy="{o.lat}" rx="{r / kx}" ry="{r}" fill="#111"/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_px}" height="{size_px}" '
        f'viewBox="{minx * kx} {-maxy} {span} {span}" role="img">'
        f"<title>{_e(envelope.label)}</title>"
        f'<g transform="matrix({kx},0,0,-1,0,0)">{paths}'
        f"{mark}</g></svg>"
    )


def envelope_html(envelope: Envelope) -> str:
    """Return an envelope as escaped HTML: its title, origin, figure source and picture."""
    _v.envelope(envelope)
    o = envelope.origin
    source = envelope.figure.source
    cited = f"<br>Source: {_e(source.publisher)}" if source is not None else ""
    if o.kind == "area":
        where = f"anywhere in {o.name}"
    else:
        where = f"{o.name} ({o.lon:.4f}, {o.lat:.4f}, lon/lat degrees)"
    return (
        "<div class='threat-coverage-envelope'>"
        f"<b>{_e(envelope.title)}</b><br>"
        f"From {_e(where)}{cited}<br>{envelope_svg(envelope)}</div>"
    )


def _link(url: str | None, text: str) -> str:
    """Return an escaped link for an http(s) URL, else the escaped text alone."""
    if url and url.lower().startswith(("https://", "http://")):
        return f'<a href="{_e(url, quote=True)}">{_e(text)}</a>'
    return _e(text)


def _reading_rows(claim: Claim) -> list[tuple[str, str]]:
    """Return the fields a claim's reading sets, as (field, value) pairs."""
    r = claim.reading
    rows = [
        ("systems", ", ".join(r.systems)),
        ("sites", ", ".join(r.sites)),
        ("areas", ", ".join(r.areas)),
        ("targets", f"{r.targets} ({r.definition})"),
        ("share", f"{r.share:.0%}"),
        ("only", ", ".join(r.only or ())),
        ("time", "" if r.time_min is None else f"{r.time_min:g} min"),
        ("defences", ", ".join(r.defences)),
    ]
    return [(k, v) for k, v in rows if v]


def claim_html(claim: Claim) -> str:
    """Return a claim as escaped HTML: speaker, date, quote, reading and sources."""
    _v.claim(claim)
    who = ", ".join(x for x in (claim.speaker, claim.date) if x) or "(no speaker given)"
    quote = f"<blockquote>{_e(claim.quote)}</blockquote>" if claim.quote else ""
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in _reading_rows(claim))
    sources = "; ".join(_link(s.url, s.publisher or s.title) for s in claim.sources)
    cited = f"<p>Sources: {sources}</p>" if sources else ""
    return (
        f"<div class='threat-coverage-claim'><h4>Claim {_e(claim.id)}</h4>"
        f"<p>{_e(who)}</p>{quote}<table><caption>Reading</caption>{rows}</table>{cited}</div>"
    )


def targets_html(targets: TargetSet, *, rows: int = TABLE_ROWS) -> str:
    """Return a target set as escaped HTML: its definition, count and first ``rows`` targets."""
    _v.targets(targets)
    _v.number(rows, "rows", integer=True, low=0)
    body = "".join(
        f"<tr><td>{_e(t.name)}</td><td>{_e(t.country or '')}</td>"
        f"<td>{t.lon:.4f}</td><td>{t.lat:.4f}</td></tr>"
        for t in targets.targets[:rows]
    )
    more = len(targets) - rows
    tail = f"<p>… and {more:,} more</p>" if more > 0 else ""
    credit = f"<p><small>{_e(targets.attribution)}</small></p>" if targets.attribution else ""
    return (
        f"<div class='threat-coverage-targets'><p><b>{_e(targets.label)}</b></p>"
        "<table><tr><th>name</th><th>country</th><th>lon</th><th>lat</th></tr>"
        f"{body}</table>{tail}{credit}</div>"
    )


# --------------------------------------------------------------------------- exploring


def origin_choices(verdict: Verdict) -> dict[str, tuple[Site, ...]]:
    """Return the verdict's choices of origins by label (the towns; anywhere in the area).

    A claim naming both sites and launch areas has two choices; any other verdict one.
    """
    _v.verdict(verdict)
    if verdict.by_origin:
        return {o.label: o.sites for o in verdict.by_origin}
    return {origin_label(verdict.sites): verdict.sites}


def _origins(verdict: Verdict, origin: str | None) -> tuple[Site, ...]:
    """Return the origins ``origin`` names: a label of :func:`origin_choices`, sites or areas.

    Raises
    ------
    ParameterError
        If ``origin`` names no choice of this verdict.
    """
    choices = origin_choices(verdict)
    if origin is None:
        return next(iter(choices.values()))
    if origin in choices:
        return choices[origin]
    want_area = {"sites": False, "areas": True}.get(origin)
    for sites in choices.values():
        if want_area is not None and all((s.kind == "area") == want_area for s in sites):
            return sites
    known = ", ".join(["sites", "areas", *map(repr, choices)])
    raise ParameterError(f"origin: {origin!r} is not one of {known}", parameter="origin")


def _figures(verdict: Verdict, range_km: float | None, min_km: float | None) -> list:
    """(system, figure, sector) per layer: the verdict's own, or one figure at ``range_km``.

    Raises
    ------
    ParameterError
        Naming ``range_km`` or ``min_km`` for a bad range.
    """
    layers = [e.layer for e in verdict.evaluations]
    if range_km is None:
        return [(la.system, la.figure, la.sector) for la in layers]
    low = min(la.figure.min_km for la in layers) if min_km is None else min_km
    try:
        given = ad_hoc_figure(range_km, min_km=low)
    except ParameterError as err:
        name = "range_km" if err.parameter == "max_km" else err.parameter
        raise ParameterError(str(err).replace("max_km", "range_km"), parameter=name) from None
    seen = {}
    for la in layers:  # one layer per system and sector at the given range
        seen.setdefault((id(la.system), la.sector), (la.system, given, la.sector))
    return list(seen.values())


def _targets(verdict: Verdict, definition: str | None) -> TargetSet:
    """Return the verdict's targets, or the same data under another definition.

    Raises
    ------
    UnknownNameError
        If the definition is not known.
    ParameterError
        If the targets carry no membership (a user's file used as given).
    """
    targets = verdict.targets
    current = targets.definition.id if targets.definition is not None else None
    if definition is None or definition == current:
        return targets
    if not targets.carries_membership:
        raise ParameterError(
            f"definition: the targets ({targets.label}) carry no definitions; "
            f"they can only be judged as given, got {definition!r}",
            parameter="definition",
        )
    known = _definitions(verdict)
    if definition not in known:
        raise UnknownNameError("definition", definition, known)
    chosen = targets.restricted_to(known[definition])
    return chosen.only(targets.only_countries) if targets.only_countries else chosen


def _definitions(verdict: Verdict) -> dict:
    """Return the definitions as of the verdict's own day (a bundled claim: its date).

    A verdict judged without dated definitions keeps today's lists.
    """
    return definitions_as_of(load_definitions(), verdict_day(verdict) or Day.today())


def _claim(verdict: Verdict, targets: TargetSet, range_km: float | None) -> Claim:
    """Return the claim re-read: the targets' definition; at a given range, no time."""
    update: dict[str, Any] = {}
    if targets.definition is not None:
        update["definition"] = targets.definition.id
    if range_km is not None:
        update["time_min"] = None  # a time is judged at the system's own figures
    reading = verdict.claim.reading.model_copy(update=update)
    return verdict.claim.model_copy(update={"reading": reading})


@dataclass(frozen=True)
class Exploration:
    """What a verdict comes to at another range, definition or choice of origins.

    Attributes
    ----------
    verdict : Verdict
        The verdict re-judged (defences left out: see :func:`coverage.checks.check`).
    range_km : float or None
        The range given, km; None for the system's own figures.
    definition : str or None
        Definition id of the targets (None for targets used as given).
    origin : str
        The origins, in words (e.g. ``"anywhere in Kaliningrad Oblast"``).
    counts : dict of str to int
        Targets in range per figure (by the figure's title).
    in_range : dict of str to tuple of str
        Names of the targets in range per figure, nearest first.
    """

    verdict: Verdict
    range_km: float | None
    definition: str | None
    origin: str
    counts: dict[str, int] = field(default_factory=dict)
    in_range: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def line(self) -> str:
        """One line: origins, definition and the report's headline."""
        v = self.verdict
        return f"From {self.origin}, {v.targets.label}: {v.report.headline.line}"

    def map(self, **kwargs):
        """Return the Leaflet map of the re-judged verdict (:func:`coverage.verdict_map`)."""
        import coverage

        return coverage.verdict_map(self.verdict, **kwargs)

    def figure(self, format: str = "png", *, size_px=(900, 600)) -> bytes:
        """Return the static figure (PNG, SVG or PDF bytes) of the re-judged verdict."""
        from .render.scene import scene_for
        from .render.static import figure_bytes

        scene = scene_for(self.verdict, range_control=False)
        return figure_bytes(scene, format, size_px=size_px)

    def _repr_html_(self) -> str:
        """Escaped HTML: the line, counts per figure and the verdict's report."""
        rows = "".join(
            f"<tr><td>{_e(title)}</td><td>{n}</td>"
            f"<td>{_e(', '.join(self.in_range[title]))}</td></tr>"
            for title, n in self.counts.items()
        )
        return (
            f"<div class='threat-coverage-explore'><p><b>{_e(self.line)}</b></p>"
            f"<table><tr><th>figure</th><th>in range</th><th>targets</th></tr>{rows}</table>"
            f"{self.verdict.report._repr_html_()}</div>"
        )


def explore(
    verdict: Verdict,
    *,
    range_km: float | None = None,
    min_km: float | None = None,
    definition: str | None = None,
    origin: str | None = None,
) -> Exploration:
    """Re-judge a verdict at another range, definition or choice of origins.

    Membership comes from exact geodesic distances (:func:`coverage.claims.judge`),
    as for any verdict.

    Parameters
    ----------
    verdict : Verdict
        From :func:`coverage.claims.evaluate_claim` or :func:`coverage.checks.check`.
    range_km : float, optional
        A maximum range of your own, km, for each of the verdict's systems; by
        default the systems' own figures.
    min_km : float, optional
        Minimum range with ``range_km``, km; by default the smallest of the verdict's.
    definition : str, optional
        Definition id of "Europe's capitals" (see :func:`coverage.targets.load_definitions`).
    origin : str, optional
        ``"sites"`` (the towns), ``"areas"`` (anywhere in the launch area) or a label
        of :func:`origin_choices`; by default the verdict's first choice.

    Returns
    -------
    Exploration

    Raises
    ------
    ParameterError
        Naming ``range_km``, ``min_km``, ``definition`` or ``origin`` for a bad value.
    UnknownNameError
        For an unknown definition.
    """
    _v.verdict(verdict)
    origins = _origins(verdict, origin)
    targets = _targets(verdict, definition)
    covering = [
        e
        for system, figure, sector in _figures(verdict, range_km, min_km)
        for e in envelopes(origins, figure, system=system, sector=sector)
    ]
    compare = _definitions(verdict) if targets.carries_membership else None
    judged = judge(_claim(verdict, targets, range_km), covering, targets, definitions=compare)
    order = sorted(range(len(targets)), key=lambda j: judged.reaches[j].distance_km)
    names = {
        ev.layer.title: tuple(targets.targets[j].name for j in order if ev.in_range[j])
        for ev in judged.evaluations
    }
    return Exploration(
        verdict=judged,
        range_km=range_km,
        definition=targets.definition.id if targets.definition is not None else None,
        origin=origin_label(origins),
        counts={title: len(found) for title, found in names.items()},
        in_range=names,
    )


# --------------------------------------------------------------------------- widgets


class Explorer:
    """ipywidgets controls (range, definition, origin) that redraw an :class:`Exploration`.

    Built by :func:`explore_widget`; shows itself in a notebook. ``update()`` is the
    controls' callback: it calls :func:`explore` with their values and redraws.

    Attributes
    ----------
    range_km, definition, origin : ipywidgets widgets
        The controls.
    output : ipywidgets.Output
        Where the counts, the verdict and the figure are drawn.
    last : Exploration or None
        What the last update found.
    """

    def __init__(self, verdict: Verdict, controls: dict, show: Callable | None = None) -> None:
        import ipywidgets as widgets

        self.verdict = verdict
        self.range_km = controls["range_km"]
        self.definition = controls["definition"]
        self.origin = controls["origin"]
        self.output = widgets.Output()
        self.last: Exploration | None = None
        self._show = show or _show
        for control in (self.range_km, self.definition, self.origin):
            control.observe(self.update, names="value")
        self.widget = widgets.VBox(
            [widgets.HBox([self.range_km, self.definition, self.origin]), self.output]
        )

    def update(self, change: Any = None) -> Exploration | None:
        """Re-judge at the controls' values and redraw; return the exploration.

        A bad value is shown as one line in the output, not raised.
        """
        from .errors import CoverageError

        self.output.clear_output(wait=True)
        try:
            self.last = explore(
                self.verdict,
                range_km=float(self.range_km.value),
                definition=self.definition.value,
                origin=self.origin.value,
            )
        except CoverageError as err:
            self.last = None
            with self.output:
                print(err)
            return None
        with self.output:
            self._show(self.last)
        return self.last

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _show(exploration: Exploration) -> None:
    """Display an exploration and its static figure (inside the widget's output)."""
    from IPython.display import Image, display

    display(exploration)
    display(Image(exploration.figure("png", size_px=(800, 533))))


def _slider_range(verdict: Verdict) -> tuple[float, float, float]:
    """Slider bounds, km: 50 km steps up to past 1.5 times the larger of figure and need."""
    top = max(ev.range_km for ev in verdict.evaluations)
    need = verdict.range_needed_km if math.isfinite(verdict.range_needed_km) else top
    high = 50 * math.ceil(1.5 * max(top, need) / 50)
    return 50.0, float(high), float(top)


def explore_widget(
    verdict: Verdict,
    *,
    range_km: float | None = None,
    definitions: Sequence[str] | None = None,
    show: Callable | None = None,
) -> Explorer:
    """Return controls for range (km), definition and origin that redraw the verdict.

    Parameters
    ----------
    verdict : Verdict
    range_km : float, optional
        Starting range, km; by default the verdict's largest figure.
    definitions : sequence of str, optional
        Definition ids offered; by default every bundled one.
    show : callable, optional
        Draws an :class:`Exploration` in the output; by default its HTML and figure.

    Returns
    -------
    Explorer
        Displays itself; ``update()`` re-judges at the controls' values.

    Raises
    ------
    ImportError
        If ipywidgets is not installed (``pip install 'threat-coverage[notebook]'``).
    ParameterError
        If ``range_km`` is not a positive number, ``definitions`` not a sequence of
        ids or ``show`` not callable.
    """
    _v.verdict(verdict)
    _v.number(range_km, "range_km", low=0, low_open=True, optional=True)
    if definitions is not None:
        _v.id_sequence(definitions, "definitions")
    if show is not None and not callable(show):
        raise ParameterError(f"show: expected a callable, got {type(show).__name__}")
    try:
        import ipywidgets as widgets
    except ImportError as err:
        raise ImportError(
            "explore_widget needs ipywidgets: pip install 'threat-coverage[notebook]'"
        ) from err
    low, high, top = _slider_range(verdict)
    ids = list(definitions or load_definitions())
    current = verdict.targets.definition.id if verdict.targets.definition else None
    controls = {
        "range_km": widgets.FloatSlider(
            value=range_km or top,
            min=low,
            max=high,
            step=50,
            description="range km",
            continuous_update=False,
        ),
        "definition": widgets.Dropdown(
            options=ids if current in ids else [current, *ids],
            value=current,
            description="definition",
        ),
        "origin": widgets.Dropdown(options=list(origin_choices(verdict)), description="from"),
    }
    explorer = Explorer(verdict, controls, show)
    explorer.update()
    return explorer
