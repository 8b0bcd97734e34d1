// A bounded top-K heap over (score, tie key) in typed arrays: O(log K) per accepted candidate, no allocation.

/**
 * Keeps the K best (score, key) pairs; "better" = higher score, then lower key (fingerprint order).
 * The root is the worst kept entry, so most candidates are rejected by one comparison with `rootScore`.
 */
export class TopKHeap {
  readonly capacity: number;
  size = 0;
  /** Score and key of the worst kept entry; −Infinity until the heap is full, so everything enters. */
  rootScore = -Infinity;
  rootKey = Infinity;
  private readonly scores: Float64Array;
  private readonly keys: Float64Array;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.scores = new Float64Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  reset(): void {
    this.size = 0;
    this.rootScore = -Infinity;
    this.rootKey = Infinity;
  }

  /** Offers a candidate; the caller may pre-check `score >= rootScore` to skip the call. */
  offer(score: number, key: number): void {
    const s = this.scores;
    const k = this.keys;
    if (this.size < this.capacity) {
      // Sift up: a parent must be worse than (or equal to) its children.
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        const ps = s[p] as number;
        const pk = k[p] as number;
        if (ps < score || (ps === score && pk > key)) break;
        s[i] = ps;
        k[i] = pk;
        i = p;
      }
      s[i] = score;
      k[i] = key;
      if (this.size === this.capacity) {
        this.rootScore = s[0] as number;
        this.rootKey = k[0] as number;
      }
      return;
    }
    const rs = s[0] as number;
    if (score < rs || (score === rs && key >= (k[0] as number))) return;
    // Replace the root and sift down.
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      let cs = s[l] as number;
      let ck = k[l] as number;
      const r = l + 1;
      if (r < n) {
        const rsc = s[r] as number;
        const rk = k[r] as number;
        if (rsc < cs || (rsc === cs && rk > ck)) {
          c = r;
          cs = rsc;
          ck = rk;
        }
      }
      if (score < cs || (score === cs && key > ck)) break;
      s[i] = cs;
      k[i] = ck;
      i = c;
    }
    s[i] = score;
    k[i] = key;
    this.rootScore = s[0] as number;
    this.rootKey = k[0] as number;
  }

  /** The kept entries, best first (score descending, key ascending). */
  sorted(): Array<{ score: number; key: number }> {
    const out: Array<{ score: number; key: number }> = [];
    for (let i = 0; i < this.size; i++) out.push({ score: this.scores[i] as number, key: this.keys[i] as number });
    out.sort((a, b) => (a.score !== b.score ? b.score - a.score : a.key - b.key));
    return out;
  }
}
