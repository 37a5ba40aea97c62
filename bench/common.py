"""What every benchmark script shares: progress on stderr, and the percentile it reports.

The scripts run as `python bench/<name>.py`, so this folder is on their path.
"""

import sys


def log(message: str) -> None:
    """Progress and details go to stderr; stdout's last line is the benchmark's JSON."""
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100): the ceil(n·p/100)-th smallest; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]
