// Measures for judging a score or a prediction against outcomes: exact ROC AUC and the median.

/**
 * Exact ROC AUC of `scores` for `labels` (true = positive): the probability that a random positive
 * scores higher than a random negative, ties counting half. Computed as the Mann–Whitney U
 * statistic from mid-ranks, O(n log n). Null when there are no positives or no negatives.
 */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number | null {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  const order = scores.map((score, index) => {
    if (!Number.isFinite(score)) throw new RangeError(`score ${index} is not a finite number: ${score}`);
    return index;
  });
  order.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end += 1;
    const midRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let i = start; i <= end; i++) {
      if (labels[order[i]!]) {
        positives += 1;
        positiveRankSum += midRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The median of the values (the mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
