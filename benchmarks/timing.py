"""Small helpers the benchmark scripts share."""


def percentile(values, fraction: float) -> float:
    """The value at ``fraction`` (0..1) of the sorted values, nearest rank (p95: fraction 0.95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
