"""threat-coverage benchmarks, run on demand: ``python -m benchmarks [--quick] [--json FILE]``.

Every row times our code and the obvious alternative on the same inputs in the same
run, and gives ``ratio = alternative time / our time`` (above 1: we are faster).
Sections: distance matrices (:mod:`benchmarks.matrix`), range decisions for many
points (:mod:`benchmarks.decisions`), ring construction (:mod:`benchmarks.rings`),
the HTML map (:mod:`benchmarks.html`) and nearest sites at scale
(:mod:`benchmarks.scale`). They are not part of the test-suite.
"""
