/** @module A fixed-size set of small integers (pod indexes), 32 to a word: unions and intersections of thousands of pods in microseconds. */
export class Bitset {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  static all(size: number): Bitset {
    const b = new Bitset(size);
    b.words.fill(0xffffffff);
    const extra = b.words.length * 32 - size;
    if (extra > 0) b.words[b.words.length - 1] = 0xffffffff >>> extra;
    return b;
  }

  add(i: number): this {
    this.words[i >>> 5]! |= 1 << (i & 31);
    return this;
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  /** this ∪= other */
  or(other: Bitset): this {
    for (let w = 0; w < this.words.length; w++) this.words[w]! |= other.words[w]!;
    return this;
  }

  /** this ∩= other */
  and(other: Bitset): this {
    for (let w = 0; w < this.words.length; w++) this.words[w]! &= other.words[w]!;
    return this;
  }

  /** this \= other */
  andNot(other: Bitset): this {
    for (let w = 0; w < this.words.length; w++) this.words[w]! &= ~other.words[w]!;
    return this;
  }

  clone(): Bitset {
    const b = new Bitset(this.size);
    b.words.set(this.words);
    return b;
  }

  count(): number {
    let n = 0;
    for (let w of this.words) {
      w -= (w >>> 1) & 0x55555555;
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  *[Symbol.iterator](): Generator<number> {
    for (let w = 0; w < this.words.length; w++) {
      let word = this.words[w]!;
      while (word !== 0) {
        const low = word & -word;
        yield w * 32 + (31 - Math.clz32(low));
        word ^= low;
      }
    }
  }
}
