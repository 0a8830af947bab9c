#!/usr/bin/env python3
"""Reference values for Slipway's statistics, computed by SciPy on fixed inputs.

Run with Debian's Python (apt-get install python3-scipy):
    /usr/bin/python3 scripts/scipy-fixtures.py > test/fixtures/stats/scipy-reference.json
The tests in src/analysis compare Slipway's own implementations with these numbers.
"""
import json
import math

import numpy as np
import scipy
from scipy import integrate, special, stats

rng = np.random.RandomState(20261123)
out = {"scipy": scipy.__version__, "numpy": np.__version__}

out["gammaln"] = [[x, float(special.gammaln(x))] for x in [0.1, 0.5, 1.0, 2.5, 10.0, 100.3, 12345.6]]
out["erfc"] = [[x, float(special.erfc(x))] for x in [-3.0, -1.0, 0.0, 0.5, 1.0, 3.0, 6.0, 10.0, 26.0]]
out["norm_sf"] = [[z, float(stats.norm.sf(z))] for z in [-5.0, -1.0, 0.0, 1.0, 1.959963984540054, 3.0, 8.0, 20.0]]
out["norm_ppf"] = [[p, float(stats.norm.ppf(p))] for p in [1e-10, 0.001, 0.025, 0.3, 0.5, 0.975, 0.999999]]

beta_cases = [(0.5, 0.5, 0.3), (2.0, 3.0, 0.4), (5.0, 1.0, 0.99), (30.0, 70.0, 0.25), (101.0, 7.0, 0.9), (1.0, 400.0, 0.001), (250.0, 260.0, 0.5)]
out["betainc"] = [[a, b, x, float(special.betainc(a, b, x)), float(np.log(special.betainc(a, b, x)))] for a, b, x in beta_cases]

mwu = []
samples = [
    (rng.lognormal(0.0, 0.5, 30), rng.lognormal(0.1, 0.5, 40)),
    (rng.lognormal(0.0, 1.0, 200), rng.lognormal(0.0, 1.0, 180)),
    (np.round(rng.normal(10, 2, 60)), np.round(rng.normal(11, 2, 55))),  # many ties
    (rng.exponential(1.0, 500), rng.exponential(1.3, 450)),
]
for x, y in samples:
    for alternative in ["two-sided", "greater", "less"]:
        r = stats.mannwhitneyu(x, y, alternative=alternative, use_continuity=True, method="asymptotic")
        mwu.append({"x": x.tolist(), "y": y.tolist(), "alternative": alternative, "u": float(r.statistic), "p": float(r.pvalue)})
out["mannwhitneyu"] = mwu
out["hodges_lehmann"] = [
    {"x": x.tolist(), "y": y.tolist(), "shift": float(np.median(np.subtract.outer(x, y)))} for x, y in samples[:3]
]


def log_mixture(k, m, pi0):
    """ln of ∫_{pi0}^1 π^k (1-π)^m dπ / (1-pi0) over pi0^k (1-pi0)^m, via SciPy's special functions."""
    mix = special.betaln(k + 1, m + 1) + np.log(special.betainc(m + 1, k + 1, 1 - pi0)) - np.log1p(-pi0)
    return float(mix - (k * np.log(pi0) + m * np.log1p(-pi0)))


mixture = []
for k, m, pi0 in [(0, 0, 0.1), (3, 10, 0.1), (8, 9, 0.1), (20, 5, 0.5), (1, 60, 0.1), (40, 300, 0.05), (150, 140, 0.5)]:
    value = log_mixture(k, m, pi0)
    if k + m <= 30:  # an independent check by numerical integration
        integral, _ = integrate.quad(lambda p: p**k * (1 - p) ** m, pi0, 1, epsabs=0, epsrel=1e-12)
        direct = math.log(integral / (1 - pi0)) - (k * math.log(pi0) + m * math.log1p(-pi0))
        assert abs(direct - value) < 1e-8, (k, m, pi0, direct, value)
    mixture.append([k, m, pi0, value])
out["log_mixture"] = mixture

print(json.dumps(out, indent=1))
