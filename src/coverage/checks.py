"""From what a user asked to envelopes and a verdict: the path the CLI and notebooks share.

A :class:`Request` holds what someone asks, in the library's words: a claim by id,
or an ad hoc check (systems by id or a range in km, from sites, points, launch areas,
limited to an azimuth sector), against a set of targets under a definition of
"Europe's capitals". :func:`resolve_envelopes` turns the systems and origins into
:class:`~coverage.envelopes.Envelope` objects and :func:`check` into a
:class:`~coverage.claims.Verdict`, so that a notebook reproduces any
``threat-coverage claim`` or ``rings`` call with one call::

    >>> from coverage.checks import Request, check
    >>> v = check(Request(range_km=1000, points=((20.51, 54.71),)))
    >>> v.evaluations[0].targets_in_range
    15

Errors name the request's fields (``range_km``, ``points``...), never a command-line
option: a :class:`~coverage.errors.ConflictError` for fields that cannot be given
together (or one that needs another), a :class:`~coverage.errors.ParameterError` for
a bad value, :class:`~coverage.errors.UnknownNameError` for an unknown id and
:class:`~coverage.errors.DataError` for a bad file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from . import _validate as _v
from .envelopes import Envelope, _ad_hoc_figure
from .envelopes import _envelopes as _figure_envelopes
from .errors import ConflictError, ParameterError
from .sectors import Sector
from .systems import DEFAULT_SYSTEMS, Catalog, Site, _ad_hoc_site, _area_site, _load_catalog

__all__ = [
    "Request",
    "Context",
    "KINDS",
    "catalog_for",
    "check",
    "default_output_name",
    "merge_repeats",
    "resolve_envelopes",
    "resolve_origins",
]

#: Values of :attr:`Request.kind`.
KINDS = ("all", "declared", "estimated")

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Request:
    """What a user asks: a named claim, or an ad hoc check.

    The fields are checked when the request is used (:func:`check` and the
    ``resolve_*`` functions): numbers must be numbers (a string such as ``"4"`` is
    refused), and a field holding several ids, paths or points must be a sequence:
    a single string (``systems="iskander-m"``) or a lone pair (``points=(20.5, 54.7)``)
    is refused with a :class:`~coverage.errors.ParameterError`, never read item by item.
    Two fields are read when the request is made: ``as_of`` (a date that is none is
    refused then, before anything is loaded) and ``defences`` (repeats merged).

    Attributes
    ----------
    claim_id : str, optional
        A claim of the claims file; with no ad hoc field set, the default claim.
    systems : tuple of str
        System ids; every range figure of each (of ``kind``).
    range_km : float, optional
        A range given directly, km (> 0, at most the antipodal distance).
    min_range_km : float, default 0.0
        Minimum range for ``range_km``, km.
    sites : tuple of str
        Site ids of the catalogue.
    points : tuple of (float, float)
        Launch points as ``(lon, lat)`` degrees.
    areas : tuple of str
        Launch areas of ``data/areas.geojson`` by id (e.g. ``kaliningrad-oblast``):
        launchers anywhere inside; distances from the nearest point of the area.
    area_files : tuple of path
        GeoJSON files each holding one launch area (Polygon or MultiPolygon, split at
        +-180 per RFC 7946, holes allowed; edges are geodesics).
    sector : Sector or str, optional
        Limit every envelope to the targets whose forward geodesic azimuth from its
        origin lies in this sector (``"FROM,TO"``, degrees clockwise from true north,
        running clockwise; ``"300,60"`` wraps through north).
    defences : tuple of str
        Air and missile defences as ``"SYSTEM@SITE"``: what each covers against the
        threat's class is added to the verdict (see :mod:`coverage.defences`).
    threat_altitude_m : float, optional
        The threat's altitude for the defences' radar horizon, metres (default per
        class, an assumption).
    radar_height_m : float, optional
        The defences' radar antenna height, metres (default: sourced, else assumed).
    share : float, optional
        Share of the targets claimed to be in range, in (0, 1]; by default the
        claim's, else 0.5.
    definition : str, optional
        Definition id of "Europe's capitals"; by default the claim's, else
        ``europe-all``.
    kind : {"all", "declared", "estimated"}, default "all"
        Which range figures of the systems to use.
    systems_file, targets_file, claims_file : path, optional
        A user's systems YAML (added to the bundled one), targets GeoJSON (instead
        of the capitals) and claims YAML (instead of the bundled one).
    territories : bool, default False
        Ad hoc checks: count a country as reached when any point of its territory is.
    tolerance_km : float, optional
        Drawing tolerance of the envelopes' display boundaries, km.
    as_of : str or datetime.date, optional
        The day judged (``"2018-02-05"``; to the month or year, its first day): the
        members of the dated definitions (``eu``, ``nato-europe``,
        ``council-of-europe``, ``un-europe``) as of that day and, for a system drawn
        from its known sites, the sites in place that day (see :mod:`coverage.dated`).
        By default a named claim's own date, else today.
    use_later_figures : bool, default False
        Also judge at the range figures whose source was published after the day
        judged; by default they are left out and the verdict's report says which
        (see :func:`coverage.claims.evaluate_claim`).
    """

    claim_id: str | None = None
    systems: tuple[str, ...] = ()
    range_km: float | None = None
    min_range_km: float = 0.0
    sites: tuple[str, ...] = ()
    points: tuple[tuple[float, float], ...] = ()
    areas: tuple[str, ...] = ()
    area_files: tuple[PathLike, ...] = ()
    sector: Sector | str | None = None
    defences: tuple[str, ...] = ()
    threat_altitude_m: float | None = None
    radar_height_m: float | None = None
    share: float | None = None
    definition: str | None = None
    kind: str = "all"
    systems_file: PathLike | None = None
    targets_file: PathLike | None = None
    claims_file: PathLike | None = None
    territories: bool = False
    tolerance_km: float | None = field(default=None, repr=False)
    as_of: Any = None
    use_later_figures: bool = False

    @property
    def is_ad_hoc(self) -> bool:
        """True when the fields describe an ad hoc check rather than a named claim."""
        return bool(self.systems or self.range_km is not None or self.has_origin)

    def __post_init__(self) -> None:
        """Merge repeated defences (the same ``SYSTEM@SITE`` given twice is one defence).

        Read ``as_of`` too, so that a bad date is refused before anything is loaded;
        the value is kept as given.

        Raises
        ------
        ParameterError
            If ``defences`` is not a sequence of text, or ``as_of`` is not a date
            (see :meth:`coverage.dated.Day.parse`).
        """
        object.__setattr__(self, "defences", merge_repeats(self.defences))
        if self.as_of is not None:
            from .dated import as_of

            as_of(self.as_of)

    @property
    def claims_anything(self) -> bool:
        """True unless the request is an ad hoc check without a ``share``.

        Such a check draws envelopes and measures targets, but claims nothing: its
        map and figures show no verdict panel (the CLI, the gallery and the
        benchmarks all ask this).
        """
        return not (self.is_ad_hoc and self.share is None)

    @property
    def has_origin(self) -> bool:
        """True when the request names at least one origin (site, point or area)."""
        return bool(self.sites or self.points or self.areas or self.area_files)


def merge_repeats(defences) -> tuple[str, ...]:
    """Return ``defences`` with repeats left out, in first-given order.

    Two texts are the same defence when they differ only by spaces
    (``"patriot@warsaw"`` and ``"patriot @ warsaw"``); the first spelling is kept.
    A single string is one defence, never read character by character. Repeats
    are merged with a :class:`~coverage.errors.CoverageWarning` naming them.

    Parameters
    ----------
    defences : str or iterable of str
        Defences as ``"SYSTEM@SITE"``.

    Returns
    -------
    tuple of str
    """
    defences = _v.strings((defences,) if isinstance(defences, str) else defences, "defences")
    merged: dict[str, str] = {}
    times: dict[str, int] = {}
    for text in defences:
        key = text.replace(" ", "")
        merged.setdefault(key, text)
        times[key] = times.get(key, 0) + 1
    repeated = [f"{merged[k]!r} x{n:,}" for k, n in times.items() if n > 1]
    if repeated:  # nothing silent: say what was merged
        import warnings

        from .errors import CoverageWarning

        shown = ", ".join(repeated[:5]) + (", ..." if len(repeated) > 5 else "")
        warnings.warn(
            f"defences: given more than once, counted once: {shown}", CoverageWarning, stacklevel=4
        )
    return tuple(merged.values())


def default_output_name(request: Request, verdict, suffix: str = ".html") -> str:
    """Return a file name derived from the check, e.g. ``grybauskaite-2018-capitals.html``.

    A named claim gives its id; an ad hoc check its systems (or range) and origins,
    e.g. ``iskander-m-from-chernyakhovsk.html`` or ``1000km-from-20.51e-54.71n.html``.
    Only ``a-z``, ``0-9``, ``.``, ``-`` and ``_``, at most 100 characters before the
    suffix.

    Parameters
    ----------
    request : Request
        What was asked.
    verdict : coverage.claims.Verdict
        Its verdict (for the claim's id).
    suffix : str, default ".html"
        The file name's extension, with its dot.

    Returns
    -------
    str
    """
    _v.request(request)
    _v.verdict(verdict, optional=True)
    _v.text(suffix, "suffix")
    return _output_name(request, verdict, suffix)


def _output_name(request: Request, verdict, suffix: str = ".html") -> str:
    """Return :func:`default_output_name` of a checked request and its verdict."""
    import re

    stem = _ad_hoc_stem(request) if request.is_ad_hoc else verdict.claim.id
    stem = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-.") or "map"
    return stem[:100] + suffix


def _ad_hoc_stem(request: Request) -> str:
    """Name an ad hoc check by its systems (or range) and origins."""
    from pathlib import Path

    what = list(request.systems)
    if request.range_km is not None:
        what.insert(0, f"{request.range_km:g}km")
    origins = [*request.sites, *request.areas]
    origins += [
        f"{abs(lon):g}{'e' if lon >= 0 else 'w'}-{abs(lat):g}{'n' if lat >= 0 else 's'}"
        for lon, lat in request.points
    ]
    origins += [Path(str(f)).stem for f in request.area_files]
    return "-".join(what) + ("-from-" + "-".join(origins) if origins else "")


def catalog_for(request: Request) -> Catalog:
    """Return the bundled catalogue, with the request's systems file added.

    Raises
    ------
    ParameterError
        If ``request`` is not a well-typed :class:`Request`.
    DataError
        If a file is unreadable or invalid.
    """
    _v.request(request)
    return _catalog(request)


def _catalog(request: Request) -> Catalog:
    """Load the catalogue a (checked) request names: the bundled one, plus its systems file."""
    paths = [DEFAULT_SYSTEMS] + ([request.systems_file] if request.systems_file else [])
    return _load_catalog(paths)


def resolve_origins(request: Request, catalog: Catalog | None) -> list[Site]:
    """Return the origins the request names, in order: sites, points, areas, area files.

    Raises
    ------
    UnknownNameError
        If a site or area id is not known.
    CoordinateError
        If a point is not a valid lon/lat pair.
    DataError
        If an area file is not a valid GeoJSON area.
    """
    _v.request(request)
    _v.catalog(catalog, optional=True)
    return _origins(request, catalog)


def _origins(request: Request, catalog: Catalog | None) -> list[Site]:
    """Return the origins of a checked request (see :func:`resolve_origins`)."""
    origins = [catalog._site(s) for s in request.sites] if request.sites and catalog else []
    for i, (lon, lat) in enumerate(request.points):
        origins.append(_ad_hoc_site(lon, lat).model_copy(update={"id": f"point-{i + 1}"}))
    origins += [_area_site(area_id) for area_id in request.areas]
    for i, path in enumerate(request.area_files):
        from .areas import _read_area_file

        name, geometry = _read_area_file(path)
        origins.append(
            Site(
                id=f"area-{i + 1}",
                name=name[:200] or f"area {i + 1}",
                geometry=geometry,
                location_precision="area",
            )
        )
    return origins


def resolve_envelopes(request: Request, catalog: Catalog | None = None) -> list[Envelope]:
    """Return the envelopes of an ad hoc request: every figure from every origin.

    A system named without any origin is drawn from its known sites.

    Parameters
    ----------
    request : Request
        ``range_km`` and/or ``systems``; ``sites`` and/or ``points``.
    catalog : Catalog, optional
        By default :func:`catalog_for` the request (loaded only when ids are named).

    Returns
    -------
    list of Envelope
        Figure by figure, each from every origin.

    Raises
    ------
    ConflictError
        If neither or both of ``range_km`` and ``systems`` are given, ``min_range_km`` comes
        without ``range_km``, or ``range_km`` comes without an origin.
    ParameterError, UnknownNameError, CoordinateError, DataError
        For bad values, unknown ids or a bad systems file.
    """
    _v.request(request)
    _v.catalog(catalog, optional=True)
    _check_ad_hoc(request)
    if catalog is None and _names_systems(request):
        catalog = _catalog(request)
    return _envelopes(request, catalog)


def _names_systems(request: Request) -> bool:
    """Tell whether an ad hoc request needs the catalogue: it names systems or sites."""
    return bool(request.systems or request.sites or request.systems_file)


def _envelopes(request: Request, catalog: Catalog | None) -> list[Envelope]:
    """Return the envelopes of a checked ad hoc request (see :func:`resolve_envelopes`)."""
    origins = _origins(request, catalog)
    sector = request.sector
    if isinstance(sector, str):
        sector = Sector._parse(sector)
    draw = {"sector": sector, "tolerance_km": request.tolerance_km}
    out: list[Envelope] = []
    if request.range_km is not None:
        given = _ad_hoc_figure(request.range_km, request.min_range_km)
        out += _figure_envelopes(origins, given, **draw)
    for system_id in request.systems:
        out += _system_envelopes(request, catalog, system_id, origins, draw)
    return out


def _check_ad_hoc(request: Request) -> None:
    """Refuse an ad hoc request whose range figures cannot be told.

    None or both of ``range_km`` and ``systems``, ``min_range_km`` without
    ``range_km``, ``range_km`` without an origin, or an unknown ``kind``.

    Raises
    ------
    ConflictError, ParameterError
        See :func:`resolve_envelopes`.
    """
    if request.range_km is None and not request.systems:
        raise ConflictError("give range_km or `systems`", parameter="range_km")
    if request.range_km is not None and request.systems:
        raise ConflictError(
            "give `systems` or range_km, not both: range_km is a range of your own, "
            "`systems` uses each system's sourced figures",
            parameter="range_km",
        )
    if request.min_range_km and request.range_km is None:
        raise ConflictError("min_range_km needs range_km", parameter="min_range_km")
    if request.range_km is not None and not request.has_origin:
        raise ConflictError(
            "range_km needs an origin: give `points`, `sites` or `areas`", parameter="points"
        )
    if request.kind not in KINDS:
        raise ParameterError(
            f"kind: must be one of {', '.join(KINDS)}, got {request.kind!r}", parameter="kind"
        )


def _system_envelopes(
    request: Request, catalog: Catalog, system_id: str, origins: list[Site], draw: dict
) -> list[Envelope]:
    """Return the envelopes of one system's figures (of ``request.kind``).

    From ``origins``, or from the system's known sites when the request names none.

    Raises
    ------
    ParameterError
        If the system has no figure of that kind.
    ConflictError
        If no origin is given and the system has no known site.
    """
    system = catalog._system(system_id)
    known = catalog._sites_of(system.id)
    chosen = system.figures(None if request.kind == "all" else request.kind)
    if not chosen:
        raise ParameterError(
            f"system {system_id!r} has no {request.kind} range figure", parameter="kind"
        )
    from_here = origins or _standing(known, request.as_of)
    if not from_here:
        raise ConflictError(
            f"system {system.id!r} has no known site; give `points`, `sites` or `areas`",
            parameter="points",
        )
    return _figure_envelopes(from_here, chosen, system, **draw)


def _standing(known: list[Site], as_of: Any) -> list[Site]:
    """Return a system's known sites; with ``as_of``, those there that day or undated."""
    if as_of is None:
        return known
    from .dated import in_place

    return [s for s in known if in_place(s, as_of)]


@dataclass(frozen=True)
class Context:
    """What a checked request names, each file loaded once.

    Built by :func:`check` after its one validation step; the named and the ad hoc
    paths then read it and load nothing more.

    Attributes
    ----------
    request : Request
        The request, checked.
    definitions : dict of str to Definition
        The definitions of "Europe's capitals", by id.
    catalog : Catalog or None
        The catalogue with the request's systems file; None for an ad hoc check that
        names no system, site or defence.
    targets : TargetSet or None
        The targets judged; None for a named claim without ``targets_file`` (the
        claim's own definition of the bundled targets is judged).
    claim : Claim or None
        The named claim, with the request's ``share``; None for an ad hoc check.
    """

    request: Request
    definitions: dict
    catalog: Catalog | None = None
    targets: Any = None
    claim: Any = None


def check(request: Request = Request(), *, max_targets: int | None = None):  # noqa: B008
    """Judge what the request asks and return the verdict with every number.

    A named claim (``claim_id``, or the default claim when nothing ad hoc is set)
    is judged as its reading says, with ``share``, ``definition``, ``kind`` and
    ``targets_file`` overriding it; an ad hoc check judges the envelopes of
    :func:`resolve_envelopes` against the capitals (or ``targets_file``, or the
    territories) under ``definition``, with ``share`` (default 0.5).

    Parameters
    ----------
    request : Request, default Request()
        What to judge; by default the default claim (Grybauskaite, 2018).
    max_targets : int, optional
        Refuse, before judging, more targets than this (a map cannot show them).

    Returns
    -------
    coverage.claims.Verdict

    Raises
    ------
    ConflictError
        For fields that cannot be given together (``claim_id`` with ad hoc fields,
        ``claims_file`` with an ad hoc check, ``territories`` with a named claim or
        with ``targets_file``, ``targets_file`` with a claim about territories).
    ParameterError
        For a bad share, range or kind, or more targets than ``max_targets``.
    UnknownNameError
        For an unknown claim, system, site or definition.
    DataError
        For a bad systems, targets or claims file.

    With ``defences``, the verdict also says what each defence covers against the
    threat's class (:func:`coverage.defences.defend`).
    """
    _v.request(request)
    _v.number(max_targets, "max_targets", optional=True, integer=True, low=0)
    _check_fields(request)  # a bad as_of was refused when the request was made
    if request.is_ad_hoc:
        _check_ad_hoc(request)
        context = _ad_hoc_context(request, max_targets)
        verdict = _judged_ad_hoc(context)
    else:
        context = _named_context(request, max_targets)
        verdict = _judged_named(context)
    return _defended(context, verdict) if request.defences else verdict


def _check_fields(request: Request) -> None:
    """Refuse fields that cannot go together, and a share that is no fraction.

    Raises
    ------
    ConflictError, ParameterError
        See :func:`check`.
    """
    ad_hoc = request.is_ad_hoc
    if ad_hoc and request.claim_id:
        raise ConflictError(
            "give either claim_id or ad hoc fields (`systems` or range_km, `sites`, "
            "`points` or `areas`), not both",
            parameter="claim_id",
        )
    if not ad_hoc and request.sector is not None:
        raise ConflictError(
            "`sector` applies to ad hoc checks (systems or range_km from `sites` or `points`)",
            parameter="sector",
        )
    if ad_hoc and request.claims_file:
        raise ConflictError(
            "claims_file names claims to judge by id; an ad hoc check needs no file",
            parameter="claims_file",
        )
    if request.share is not None and not (0 < request.share <= 1):
        raise ParameterError(
            f"share: must be a fraction in (0, 1], got {request.share!r}", parameter="share"
        )
    if request.min_range_km and request.range_km is None:
        raise ConflictError("min_range_km needs range_km", parameter="min_range_km")
    if ad_hoc and request.targets_file and request.territories:
        raise ConflictError("give targets_file or `territories`, not both", parameter="territories")


def _targets(request: Request, defs, max_targets: int | None, *, territories: bool = False):
    """Load the targets a request names: its file, the territories or the bundled capitals.

    Raises
    ------
    ParameterError
        If there are more than ``max_targets`` (a map cannot show them).
    """
    from .targets import DEFAULT_DEFINITION, _load_targets, _load_territories

    path = request.targets_file
    if path:
        targets = _load_targets(path, request.definition, defs)
    else:
        load = _load_territories if territories else _load_targets
        targets = load(None, request.definition or DEFAULT_DEFINITION, defs)
    if max_targets is not None and len(targets) > max_targets:
        where = f"targets_file {path}" if path else "targets"
        raise ParameterError(
            f"{where}: {len(targets):,} targets are too many for one map (at most "
            f"{max_targets:,}); judge them without a map, or split the file",
            parameter="targets_file" if path else "targets",
        )
    return targets


def _named_context(request: Request, max_targets: int | None) -> Context:
    """Load what a named claim needs, once.

    The definitions, the catalogue, the claim (with the request's share) and the
    targets file if one is given.

    Raises
    ------
    ConflictError
        For ``territories``, or ``targets_file`` with a claim about territories.
    """
    from .claims import DEFAULT_CLAIM, DEFAULT_CLAIMS, _find_claim, _load_claims
    from .dated import definitions_for

    catalog = _catalog(request)
    claims = _load_claims(request.claims_file or DEFAULT_CLAIMS)
    claim = _find_claim(request.claim_id or DEFAULT_CLAIM, claims)
    defs = definitions_for(claim, request.as_of)
    if request.territories:
        raise ConflictError(
            "`territories` applies to ad hoc checks; a named claim says itself what it is "
            f"about (claim {claim.id!r}: {claim.reading.targets})",
            parameter="territories",
        )
    if request.targets_file and claim.reading.targets == "territories":
        raise ConflictError(
            f"claim {claim.id!r} is about countries' territories; targets_file holds "
            "points, so it cannot be judged on them",
            parameter="targets_file",
        )
    if request.share is not None:
        reading = claim.reading.model_copy(update={"share": request.share})
        claim = claim.model_copy(update={"reading": reading})
    # Without a file, the claim's own definition of the bundled targets is judged.
    targets = _targets(request, defs, max_targets) if request.targets_file else None
    return Context(request, defs, catalog, targets, claim)


def _ad_hoc_context(request: Request, max_targets: int | None) -> Context:
    """Load what an ad hoc check needs, once.

    The definitions, its targets and, when it names systems, sites or defences, the
    catalogue.

    Raises
    ------
    ParameterError
        If there are more than ``max_targets`` targets.
    """
    from .dated import definitions_for

    defs = definitions_for(None, request.as_of)
    targets = _targets(request, defs, max_targets, territories=request.territories)
    needs = _names_systems(request) or request.defences
    return Context(request, defs, _catalog(request) if needs else None, targets)


def _judged_named(context: Context):
    """Judge a named claim as its reading says, with the request's overrides."""
    from .claims import _evaluate_claim

    kind = context.request.kind
    return _evaluate_claim(
        context.claim,
        context.catalog,
        context.targets,
        context.request.definition,
        None if kind == "all" else kind,
        context.definitions,
        use_later_figures=context.request.use_later_figures,
    )


def _judged_ad_hoc(context: Context):
    """Judge the envelopes of an ad hoc request against its targets, at its share."""
    from .claims import _ad_hoc_claim, _judge_as_of
    from .dated import split_by_publication, stamped_day
    from .targets import DEFAULT_DEFINITION

    request, targets = context.request, context.targets
    covering = _envelopes(request, context.catalog)
    day = None if request.use_later_figures else stamped_day(context.definitions)
    origins = list({id(e.origin): e.origin for e in covering}.values())
    claim = _ad_hoc_claim(
        0.5 if request.share is None else request.share,
        list(request.systems) or ["given"],
        [s.id for s in origins],
        targets.definition.id if targets.definition else DEFAULT_DEFINITION,
    )
    used, later = split_by_publication(covering, day)
    return _judge_as_of(claim, used, later, targets, context.definitions, "auto", day)


def _defended(context: Context, verdict):
    """Add the request's defences to the verdict (a claim's own defences stay first)."""
    from .defences import _defend, _parse_defence

    request = context.request
    named = [c.defence.id for c in verdict.defences]
    texts = named + [t for t in request.defences if t.replace(" ", "") not in named]
    parsed = [_parse_defence(text, context.catalog) for text in texts]
    return _defend(verdict, parsed, request.threat_altitude_m, request.radar_height_m)
