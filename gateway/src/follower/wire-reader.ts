/**
 * A cursor over one protobuf message in wire format (https://protobuf.dev/programming-guides/encoding/): tags,
 * varints, and length-delimited fields as views of the same bytes, so that a reader takes only the fields it needs
 * and skips the rest without decoding them. Malformed or truncated input throws.
 */

/** Wire types (groups, 3 and 4, are not used by Fabric's protos and are refused). */
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

/** Reads the fields of one message, in order. */
export class WireReader {
  /** A message with no fields. */
  static readonly EMPTY = new WireReader(new Uint8Array(0));

  readonly #bytes: Uint8Array;
  readonly #end: number;
  #pos: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.#bytes = bytes;
    this.#pos = start;
    this.#end = end;
  }

  /** True while fields remain. */
  more(): boolean {
    return this.#pos < this.#end;
  }

  /** The next field's tag: field number * 8 + wire type. */
  tag(): number {
    return this.varint();
  }

  /**
   * A varint field's value as a number: exact up to 2^53 (block numbers, times, enums, booleans); a negative int32
   * or int64 (ten bytes) comes back as a large positive number.
   */
  varint(): number {
    const bytes = this.#bytes;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.#end) throw new Error('protobuf: truncated varint');
      const byte = bytes[this.#pos++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new Error('protobuf: varint longer than ten bytes');
  }

  /** A length-delimited field's bytes: a view, not a copy. */
  bytes(): Uint8Array {
    const [start, end] = this.#span();
    return this.#bytes.subarray(start, end);
  }

  /** A length-delimited field's bytes, read as UTF-8 text. */
  string(): string {
    const [start, end] = this.#span();
    return utf8.decode(this.#bytes.subarray(start, end));
  }

  /** A length-delimited field as an embedded message to read. */
  message(): WireReader {
    const [start, end] = this.#span();
    return new WireReader(this.#bytes, start, end);
  }

  /** Skips the value of a field whose tag was just read. */
  skip(tag: number): void {
    switch (tag & 7) {
      case VARINT:
        this.varint();
        return;
      case I64:
        this.#advance(8);
        return;
      case LEN:
        this.#span();
        return;
      case I32:
        this.#advance(4);
        return;
      default:
        throw new Error(`protobuf: unsupported wire type ${tag & 7} (field ${Math.floor(tag / 8)})`);
    }
  }

  #span(): [number, number] {
    const length = this.varint();
    const start = this.#pos;
    this.#advance(length);
    return [start, this.#pos];
  }

  #advance(count: number): void {
    if (this.#end - this.#pos < count) throw new Error('protobuf: field runs past the end of its message');
    this.#pos += count;
  }
}

// ignoreBOM: a leading U+FEFF is part of the text, as protobuf decoders keep it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
