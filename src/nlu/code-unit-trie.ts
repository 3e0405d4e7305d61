/**
 * A trie over UTF-16 code units for scanning Chinese text for known words: node ids are
 * integers, and the child of node `n` by code unit `c` sits in one open-addressing hash table
 * of typed arrays keyed by (n, c), so a step costs one integer hash and usually one probe.
 * (A `Map` keyed by `n * 65536 + c` was the previous design: past 32,768 nodes, as in the
 * CC-CEDICT trie, its keys leave the small-integer range and every step hashed a heap number;
 * it was the largest single cost of extracting a Chinese message's features.) Node 0 is the root.
 */
export class CodeUnitTrie<V> {
  static readonly ROOT = 0;
  private readonly values: (V | undefined)[] = [undefined];
  /** Slot i holds the edge parent[i] --code[i]--> child[i]; child 0 marks an empty slot (the root is nobody's child). */
  private parent = new Int32Array(1024);
  private code = new Uint16Array(1024);
  private childOf = new Int32Array(1024);
  private mask = 1023;
  private edges = 0;

  private static slot(node: number, code: number, mask: number): number {
    let h = Math.imul(node, 0x9e3779b1) ^ code;
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h & mask;
  }

  /** The node of `word`, created with its path when missing. */
  private nodeFor(word: string): number {
    let node = CodeUnitTrie.ROOT;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      let next = this.child(node, c);
      if (next < 0) {
        next = this.values.length;
        this.values.push(undefined);
        this.insertEdge(node, c, next);
      }
      node = next;
    }
    return node;
  }

  private insertEdge(node: number, code: number, child: number): void {
    if ((this.edges + 1) * 2 > this.mask + 1) this.grow();
    let s = CodeUnitTrie.slot(node, code, this.mask);
    while (this.childOf[s] !== 0) s = (s + 1) & this.mask;
    this.parent[s] = node;
    this.code[s] = code;
    this.childOf[s] = child;
    this.edges++;
  }

  private grow(): void {
    const { parent, code, childOf } = this;
    const size = (this.mask + 1) * 2;
    this.parent = new Int32Array(size);
    this.code = new Uint16Array(size);
    this.childOf = new Int32Array(size);
    this.mask = size - 1;
    this.edges = 0;
    for (let i = 0; i < childOf.length; i++) if (childOf[i] !== 0) this.insertEdge(parent[i]!, code[i]!, childOf[i]!);
  }

  /** Sets the value of `word`, or updates it from the one it had. */
  set(word: string, update: (previous: V | undefined) => V): void {
    const node = this.nodeFor(word);
    this.values[node] = update(this.values[node]);
  }

  /** The child of `node` by code unit `code`, or -1. */
  child(node: number, code: number): number {
    const mask = this.mask;
    const childOf = this.childOf;
    for (let s = CodeUnitTrie.slot(node, code, mask); ; s = (s + 1) & mask) {
      const c = childOf[s]!;
      if (c === 0) return -1;
      if (this.parent[s] === node && this.code[s] === code) return c;
    }
  }

  /** The value of the word ending at `node`, if one does. */
  valueAt(node: number): V | undefined {
    return this.values[node];
  }

  /** The value of a whole word. */
  get(word: string): V | undefined {
    let node = CodeUnitTrie.ROOT;
    for (let i = 0; i < word.length && node >= 0; i++) node = this.child(node, word.charCodeAt(i));
    return node > 0 ? this.values[node] : undefined;
  }
}
