"""Reference values for the monitoring statistics tests, computed with Debian's scipy (1.10) and numpy.

Run with /usr/bin/python3 reference_values.py; each line prints the expression and its value (repr), which the
C# tests carry as literals.
"""
import numpy as np
from scipy import stats
from scipy.spatial import distance

A = [0.1, 0.4, 0.7, 1.3, 2.2, 2.9, 3.1]
B = [0.5, 0.9, 1.1, 1.8, 2.5, 4.0, 4.2, 5.1, 6.3]
TIES_A = [1, 1, 2, 2, 2, 3, 5, 5]
TIES_B = [1, 2, 3, 3, 4, 4, 5]
# Deterministic larger samples: x = (i * 0.618034) % 1 shifted, no random state needed.
BIG_A = [((i * 0.6180339887) % 1.0) for i in range(1, 301)]
BIG_B = [((i * 0.4142135623) % 1.0) * 1.1 + 0.05 for i in range(1, 251)]
HUGE_A = [((i * 0.6180339887) % 1.0) for i in range(1, 12001)]
HUGE_B = [((i * 0.4142135623) % 1.0) * 1.02 for i in range(1, 11001)]
AUTO_A = [((i * 0.6180339887) % 1.0) for i in range(1, 10001)]
AUTO_B = [((i * 0.4142135623) % 1.0) * 1.01 for i in range(1, 10000)]
EQ_A = [((i * 0.7548776662) % 1.0) for i in range(1, 201)]
EQ_B = [((i * 0.5698402910) % 1.0) + 0.15 for i in range(1, 201)]

EXPRESSIONS = [
    "stats.ks_2samp(A, B)",
    "stats.ks_2samp(A, B, method='asymp')",
    "stats.ks_2samp(TIES_A, TIES_B)",
    "stats.ks_2samp(A, A)",
    "stats.ks_2samp([1, 2, 3], [4, 5, 6, 7])",
    "stats.ks_2samp([1.0], [2.0])",
    "stats.ks_2samp(BIG_A, BIG_B)",
    "stats.ks_2samp(BIG_A, BIG_B, method='asymp')",
    "stats.ks_2samp(EQ_A, EQ_B)",
    "stats.ks_2samp(list(range(50)), list(range(100, 160)))",
    "stats.ks_2samp(HUGE_A, HUGE_B)",
    "stats.ks_2samp(AUTO_A, AUTO_B)",
    "stats.kstwo.sf(0.05, 150)",
    "stats.kstwo.sf(0.12, 100)",
    "stats.kstwo.sf(0.3, 30)",
    "stats.kstwo.sf(0.01, 20000)",
    "stats.kstwo.sf(0.02, 5000)",
    "stats.kstwo.sf(0.004, 200000)",
    "stats.kstwo.sf(0.001, 1000000)",
    "stats.kstwo.sf(0.03, 1000)",
    "stats.kstwo.sf(0.01, 1000)",
    "stats.kstwobign.sf(0.8)",
    "stats.kstwobign.sf(1.36)",
    "stats.wasserstein_distance(A, B)",
    "stats.wasserstein_distance(TIES_A, TIES_B)",
    "stats.wasserstein_distance([1, 2, 3], [1, 2, 3])",
    "stats.wasserstein_distance([0, 1], [10, 11, 12])",
    "distance.jensenshannon([10, 20, 30, 40], [40, 30, 20, 10], base=2)",
    "distance.jensenshannon([5, 0, 5], [0, 10, 0], base=2)",
    "distance.jensenshannon([1, 2, 3], [2, 4, 6], base=2)",
    "distance.jensenshannon([3, 0, 7, 1], [2, 1, 6, 0], base=2)",
    "stats.chi2.sf(3.0, 1)",
    "stats.chi2.sf(250.0, 200)",
    "stats.chi2.sf(0.01, 7)",
    "stats.chi2.sf(60.0, 3)",
    "stats.chi2_contingency([[40, 35, 25], [50, 30, 20]], correction=False)[:3]",
    "stats.chi2_contingency([[30, 14, 34, 45, 57, 20], [210, 190, 400, 520, 480, 200]], correction=False)[:3]",
    "stats.chi2_contingency([[12, 8], [100, 100]], correction=False)[:3]",
    "stats.chi2_contingency([[50, 20, 30], [50, 50, 0]], correction=False)[:3]",
    "stats.chi2_contingency([[12, 40, 38, 13], [30, 31, 29, 30]], correction=False)[:3]",
    "stats.binom.sf(9, 100, 0.05)",
    "stats.binom.sf(1, 20, 0.05)",
    "stats.binom.sf(599, 10000, 0.05)",
    "stats.binom.sf(2, 300, 0.05)",
    "stats.binom.sf(29, 300, 0.05)",
    "stats.binom.sf(4999, 100000, 0.05)",
    "stats.binom.sf(0, 10, 0.3)",
    "stats.binom.sf(200, 1000000, 0.0001)",
    "distance.jensenshannon([50, 30, 20, 0], [40, 35, 25, 0], base=2)",
    "distance.jensenshannon([50, 50], [30, 70], base=2)",
    "distance.chebyshev([0.1, 0.2, 0.7], [0.3, 0.3, 0.4])",
    "np.quantile(BIG_A, [k / 10 for k in range(11)]).tolist()",
    "np.quantile(TIES_A, [k / 4 for k in range(5)]).tolist()",
    "(float(np.mean(BIG_A)), float(np.std(BIG_A)))",
    "float(np.std(BIG_A, ddof=0))",
]


def psi(ref_counts, cur_counts):
    """PSI with Evidently's empty-bin rule: a zero proportion becomes 0.0001."""
    r = np.asarray(ref_counts, float) / np.sum(ref_counts)
    c = np.asarray(cur_counts, float) / np.sum(cur_counts)
    r[r == 0] = 0.0001
    c[c == 0] = 0.0001
    return float(np.sum((c - r) * np.log(c / r)))


EXPRESSIONS += [
    "psi([10, 20, 30, 40], [40, 30, 20, 10])",
    "psi([0, 25, 25, 25, 25, 0], [3, 20, 30, 20, 20, 7])",
    "psi([5, 5, 5], [5, 5, 5])",
    "psi([50, 50], [30, 70])",
]

if __name__ == "__main__":
    for expression in EXPRESSIONS:
        value = eval(expression)
        if hasattr(value, "statistic"):
            value = (repr(float(value.statistic)), repr(float(value.pvalue)))
        print(f"{expression} -> {value!r}" if not isinstance(value, float) else f"{expression} -> {value!r}")
