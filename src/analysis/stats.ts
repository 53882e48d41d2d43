/**
 * Replicate statistics (science.md: n, mean and the sample standard deviation, n − 1). Pure.
 */

/** Mean and sample SD (n − 1) of the non-null finite values; SD null below two values. */
export function meanSd(xs: (number | null | undefined)[]): { n: number; mean: number | null; sd: number | null } {
  const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const n = v.length;
  if (!n) return { n: 0, mean: null, sd: null };
  const mean = v.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { n, mean, sd: null };
  const ss = v.reduce((s, x) => s + (x - mean) ** 2, 0);
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

export interface GroupStat {
  group: string;
  /** Rows in the group. */
  n: number;
  /** Per numeric key: mean and sample SD over the rows where it is a number. */
  mean: Record<string, number | null>;
  sd: Record<string, number | null>;
  /** Per numeric key: how many rows had a number (less than n where some were empty). */
  count: Record<string, number>;
}

/**
 * Per group (in order of first appearance): n, and the mean and sample SD of every key that is a
 * number in at least one row of the group. Rows whose group is null are left out.
 */
export function groupStats<R extends Record<string, unknown>>(rows: R[], groupOf: (row: R) => string | null): GroupStat[] {
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const g = groupOf(r);
    if (g === null) continue;
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(r);
  }
  return [...groups].map(([group, rs]) => {
    const keys: string[] = [];
    for (const r of rs) for (const [k, v] of Object.entries(r)) if (typeof v === 'number' && !keys.includes(k)) keys.push(k);
    const mean: Record<string, number | null> = {}, sd: Record<string, number | null> = {}, count: Record<string, number> = {};
    for (const k of keys) {
      const s = meanSd(rs.map((r) => (typeof r[k] === 'number' ? r[k] as number : null)));
      mean[k] = s.mean; sd[k] = s.sd; count[k] = s.n;
    }
    return { group, n: rs.length, mean, sd, count };
  });
}

/**
 * The group of a name from a regular expression: its first capture group if it has one, else the
 * whole match; null when it does not match (the row is in no group).
 */
export function groupByRegex(re: RegExp): (name: string) => string | null {
  return (name) => {
    const m = re.exec(name);
    if (!m) return null;
    return m[1] ?? m[0];
  };
}

/** Group statistics as extra table rows: `{ name: "A (mean)", n, …means }`, `{ name: "A (sd)", n, …sds }`. */
export function groupRows(stats: GroupStat[], nameKey = 'name'): Record<string, unknown>[] {
  return stats.flatMap((g) => [
    { [nameKey]: `${g.group} (mean)`, group: g.group, ...g.mean, n: g.n },
    { [nameKey]: `${g.group} (sd)`, group: g.group, ...g.sd, n: g.n },
  ]);
}
