export interface ClusterInput {
  readonly terms: readonly string[];
}

export interface ClusterOptions {
  /** Cosine similarity to a cluster's centroid needed to join it. */
  readonly threshold?: number;
  /** How many of a message's rarest terms look up candidate clusters. */
  readonly probeTerms?: number;
}

export interface Cluster {
  /** Indexes into the input. */
  readonly members: number[];
  /** Centroid weights, heaviest first. */
  readonly topTerms: { term: string; weight: number }[];
  /** Member indexes closest to the centroid first. */
  readonly representative: number[];
}

type Vector = Map<string, number>;

/**
 * Single-pass leader clustering on TF-IDF vectors with an inverted index from terms to
 * clusters (linear in the number of messages), then one merge pass of near-identical
 * clusters. Deterministic: same input, same clusters.
 */
export function clusterMessages(items: readonly ClusterInput[], options: ClusterOptions = {}): Cluster[] {
  const threshold = options.threshold ?? 0.5;
  const probe = options.probeTerms ?? 3;
  const documentFrequency = new Map<string, number>();
  for (const item of items) for (const term of new Set(item.terms)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log((1 + items.length) / (1 + (documentFrequency.get(term) ?? 0))) + 1;
  const vectors = items.map((item) => vectorOf(item.terms, idf));

  interface Building {
    sum: Vector;
    norm2: number;
    members: number[];
  }
  const clusters: Building[] = [];
  const index = new Map<string, number[]>();
  vectors.forEach((vector, i) => {
    if (!vector.size) return;
    const rarest = [...vector.keys()].sort((a, b) => (documentFrequency.get(a) ?? 0) - (documentFrequency.get(b) ?? 0) || a.localeCompare(b)).slice(0, probe);
    const candidates = new Set<number>();
    for (const term of rarest) for (const id of index.get(term) ?? []) candidates.add(id);
    let best = -1;
    let bestScore = threshold;
    for (const id of candidates) {
      const cluster = clusters[id]!;
      const score = dot(vector, cluster.sum) / Math.sqrt(cluster.norm2);
      if (score >= bestScore) {
        best = id;
        bestScore = score;
      }
    }
    if (best < 0) {
      best = clusters.length;
      clusters.push({ sum: new Map(), norm2: 0, members: [] });
    }
    const cluster = clusters[best]!;
    for (const [term, weight] of vector) {
      const before = cluster.sum.get(term) ?? 0;
      if (before === 0) {
        const list = index.get(term) ?? [];
        list.push(best);
        index.set(term, list);
      }
      cluster.sum.set(term, before + weight);
      cluster.norm2 += 2 * before * weight + weight * weight;
    }
    cluster.members.push(i);
  });

  // Merge pass: clusters whose centroids point the same way (the leader pass is order-sensitive).
  const alive = clusters.map((_, i) => i).filter((i) => clusters[i]!.members.length > 0);
  alive.sort((a, b) => clusters[b]!.members.length - clusters[a]!.members.length || a - b);
  const merged: Building[] = [];
  for (const id of alive) {
    const cluster = clusters[id]!;
    const target = merged.find((m) => cosine(m.sum, m.norm2, cluster.sum, cluster.norm2) >= Math.max(threshold, 0.6));
    if (!target) {
      merged.push({ sum: new Map(cluster.sum), norm2: cluster.norm2, members: [...cluster.members] });
      continue;
    }
    for (const [term, weight] of cluster.sum) {
      const before = target.sum.get(term) ?? 0;
      target.sum.set(term, before + weight);
      target.norm2 += 2 * before * weight + weight * weight;
    }
    target.members.push(...cluster.members);
  }

  return merged.map((cluster) => {
    const norm = Math.sqrt(cluster.norm2) || 1;
    const topTerms = [...cluster.sum].map(([term, weight]) => ({ term, weight: weight / norm })).sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term));
    const representative = [...cluster.members].sort((a, b) => dot(vectors[b]!, cluster.sum) - dot(vectors[a]!, cluster.sum) || a - b);
    return { members: [...cluster.members].sort((a, b) => a - b), topTerms: topTerms.slice(0, 8), representative: representative.slice(0, 20) };
  });
}

function vectorOf(terms: readonly string[], idf: (term: string) => number): Vector {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const vector: Vector = new Map();
  let norm2 = 0;
  for (const [term, count] of counts) {
    const weight = (1 + Math.log(count)) * idf(term);
    vector.set(term, weight);
    norm2 += weight * weight;
  }
  const norm = Math.sqrt(norm2) || 1;
  for (const [term, weight] of vector) vector.set(term, weight / norm);
  return vector;
}

function dot(small: Vector, large: Vector): number {
  let sum = 0;
  for (const [term, weight] of small) sum += weight * (large.get(term) ?? 0);
  return sum;
}

function cosine(a: Vector, a2: number, b: Vector, b2: number): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  return dot(small, large) / (Math.sqrt(a2) * Math.sqrt(b2) || 1);
}
