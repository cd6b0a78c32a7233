"""Pieces of display geometry that every renderer needs (lon/lat or projected).

Envelopes arrive as polygons split at +-180 and closed along the poles. Those cut
edges belong to the representation, not to the envelope: renderers stroke only the
runs of a ring between them. Both the Leaflet page and the static figures use these.
"""

from __future__ import annotations

import numpy as np

from .. import _validate as _v

__all__ = ["polygons", "runs_between_cuts"]


def polygons(geom) -> list:
    """Return the polygons of any geometry (points and lines are dropped; None is empty)."""
    _v.geometry(geom)
    return _polygons(geom)


def _polygons(geom) -> list:
    """Return :func:`polygons` of a checked geometry."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []


def runs_between_cuts(xy: np.ndarray, cut: np.ndarray) -> list[np.ndarray]:
    """Return the runs of a closed ring's vertices between its cut edges.

    Parameters
    ----------
    xy : numpy.ndarray
        The ring's vertices, shape (n + 1, 2), the last equal to the first.
    cut : numpy.ndarray of bool
        One flag per edge (n); edge i joins vertices i and i + 1.

    Returns
    -------
    list of numpy.ndarray
        Runs of at least two vertices, in ring order. A run that passes the ring's
        first vertex stays whole (runs start after the last cut edge). Without a cut
        edge, the whole ring.
    """
    _v.instance(xy, "xy", np.ndarray)
    _v.instance(cut, "cut", np.ndarray)
    return _runs_between_cuts(xy, cut)


def _runs_between_cuts(xy: np.ndarray, cut: np.ndarray) -> list[np.ndarray]:
    """Return :func:`runs_between_cuts` of checked arrays."""
    at = np.flatnonzero(cut)
    if at.size == 0:
        return [xy]
    order = np.r_[xy[at[-1] + 1 : -1], xy[: at[-1] + 1]]
    flags = np.r_[cut[at[-1] + 1 :], cut[: at[-1] + 1]]
    runs, start = [], 0
    for i in np.flatnonzero(flags):
        if i > start:
            runs.append(order[start : i + 1])
        start = i + 1
    return runs
