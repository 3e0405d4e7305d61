/**
 * A trie over UTF-16 code units for scanning Chinese text for known words: node ids are
 * integers, and the child of node `n` by code unit `c` sits in one numeric map at key
 * `n * 65536 + c`, so a step costs one integer lookup (looking up every substring as a string
 * cost a quarter of the classification time). Node 0 is the root.
 */
export class CodeUnitTrie<V> {
  static readonly ROOT = 0;
  private readonly children = new Map<number, number>();
  private readonly values: (V | undefined)[] = [undefined];

  /** The node of `word`, created with its path when missing. */
  private nodeFor(word: string): number {
    let node = CodeUnitTrie.ROOT;
    for (let i = 0; i < word.length; i++) {
      const key = node * 65536 + word.charCodeAt(i);
      let next = this.children.get(key);
      if (next === undefined) {
        next = this.values.length;
        this.values.push(undefined);
        this.children.set(key, next);
      }
      node = next;
    }
    return node;
  }

  /** Sets the value of `word`, or updates it from the one it had. */
  set(word: string, update: (previous: V | undefined) => V): void {
    const node = this.nodeFor(word);
    this.values[node] = update(this.values[node]);
  }

  /** The child of `node` by code unit `code`, or -1. */
  child(node: number, code: number): number {
    return this.children.get(node * 65536 + code) ?? -1;
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
