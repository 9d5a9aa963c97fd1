# The reference for Kappa's agreement benchmark: Krippendorff's alpha from PyPI's `krippendorff`
# (Santiago Castro's implementation) on the same ratings file, at every level, and a bootstrap
# interval the same way Kappa draws it (units with replacement, 1,000 draws, percentiles).
# Prints one JSON object. Usage: python agreement.py RATINGS.json
import importlib.metadata
import json
import sys
import time

import krippendorff
import numpy as np

ratings = np.array(json.load(open(sys.argv[1])), dtype=float)  # null becomes nan: missing
out = {"version": importlib.metadata.version("krippendorff"), "raters": ratings.shape[0], "units": ratings.shape[1], "levels": {}}
for level in ["nominal", "ordinal", "interval", "ratio"]:
    start = time.perf_counter()
    alpha = krippendorff.alpha(reliability_data=ratings, level_of_measurement=level)
    out["levels"][level] = {"alpha": alpha, "ms": (time.perf_counter() - start) * 1000}

# The bootstrap for the ordinal level only: 1,000 calls of the reference take a while.
rng = np.random.default_rng(7)
start = time.perf_counter()
draws = []
for _ in range(1000):
    columns = rng.integers(0, ratings.shape[1], ratings.shape[1])
    draws.append(krippendorff.alpha(reliability_data=ratings[:, columns], level_of_measurement="ordinal", value_domain=[1, 2, 3, 4, 5]))
out["bootstrap_ordinal"] = {"low": float(np.percentile(draws, 2.5)), "high": float(np.percentile(draws, 97.5)), "ms": (time.perf_counter() - start) * 1000}
print(json.dumps(out))
