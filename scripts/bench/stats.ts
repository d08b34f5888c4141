export function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? NaN;
  return ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/**
 * Median distance of rates from their median, as a fraction of it. Like the median itself it
 * shrugs off one disturbed round, and grows when many are.
 */
export function spreadOf(rates: number[]): number {
  const middle = median(rates);
  return median(rates.map((rate) => Math.abs(rate - middle))) / middle;
}

/** The nearest-rank percentile (`fraction` 0.99 for p99) of values; NaN when there are none. */
export function percentile(values: number[], fraction: number): number {
  return percentileOfSorted(
    [...values].sort((left, right) => left - right),
    fraction,
  );
}

/** The same of values already sorted ascending, e.g. a large typed array sorted in place. */
export function percentileOfSorted(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN;
}
