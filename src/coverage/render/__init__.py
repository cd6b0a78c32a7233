"""Map rendering: a renderer-free scene (:mod:`coverage.render.scene`) and its renderers.

The Leaflet page is :mod:`coverage.render.leaflet`; static figures are
:mod:`coverage.render.static`. Importing this package imports no renderer.
"""

from .scene import (
    DEFENCE,
    THREAT,
    EnvelopeLayer,
    RangeControl,
    Scene,
    SiteMark,
    Style,
    TargetMark,
    envelope_styles,
    layer_styles,
    scene_for,
    scene_of,
)

__all__ = [
    "DEFENCE",
    "THREAT",
    "EnvelopeLayer",
    "RangeControl",
    "Scene",
    "SiteMark",
    "Style",
    "TargetMark",
    "envelope_styles",
    "layer_styles",
    "scene_for",
    "scene_of",
]
