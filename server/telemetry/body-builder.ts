/**
 * Builds a request body as UTF-8 bytes from many small strings, without a string per piece: a write
 * of line protocol is thousands of keys, numbers and separators. ASCII text (nearly all of it) is
 * copied a character at a time, which for strings this short beats a call into the encoder;
 * anything else goes through Buffer's UTF-8 writer.
 */
export class BodyBuilder {
  #bytes: Buffer;
  #length = 0;

  constructor(expectedBytes = 4096) {
    this.#bytes = Buffer.allocUnsafe(Math.max(64, expectedBytes));
  }

  get length(): number {
    return this.#length;
  }

  put(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.#length + 3 * text.length > this.#bytes.length) this.#grow(this.#length + 3 * text.length);
    const bytes = this.#bytes;
    let at = this.#length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) {
        this.#length += bytes.write(text, this.#length, 'utf8');
        return;
      }
      bytes[at++] = code;
    }
    this.#length = at;
  }

  /** The bytes written so far (a view: the builder must not be used after). */
  bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  #grow(atLeast: number): void {
    const grown = Buffer.allocUnsafe(Math.max(2 * this.#bytes.length, atLeast));
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }
}
