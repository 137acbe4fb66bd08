// The figures the benchmark scripts print for a list of times.

/** Median and p95 (nearest rank) of `values`, in ms to a tenth. */
export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const round = (ms) => Math.round(ms * 10) / 10;
  return { median: round(rank(0.5)), p95: round(rank(0.95)) };
}
