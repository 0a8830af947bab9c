/**
 * @module Where a chunked body ends (RFC 9112 §7.1), for a router that passes the chunks on unchanged: it
 * follows the sizes, skips the data, and reads the trailer section to its blank line.
 */
import { MalformedResponse } from './response-head.js';

const enum State {
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerLine,
  FinalLf,
  Done,
}

const CR = 13;
const LF = 10;
/** 13 hex digits (52 bits) is more than any body: longer is an attack on the arithmetic. */
const MAX_SIZE_DIGITS = 13;

export class ChunkedBody {
  private state = State.Size;
  private size = 0;
  private digits = 0;

  get done(): boolean {
    return this.state === State.Done;
  }

  /** Reads `chunk` from `from`; returns the offset just past the body's end, or -1 if it goes on. */
  feed(chunk: Buffer, from = 0): number {
    let i = from;
    while (i < chunk.length) {
      if (this.state === State.Data) {
        const take = Math.min(this.size, chunk.length - i);
        this.size -= take;
        i += take;
        if (this.size === 0) this.state = State.DataCr;
        continue;
      }
      this.step(chunk[i]!);
      i++;
      if (this.state === State.Done) return i;
    }
    return -1;
  }

  private step(byte: number): void {
    switch (this.state) {
      case State.Size: {
        const digit = hexValue(byte);
        if (digit >= 0 && this.digits < MAX_SIZE_DIGITS) {
          this.size = this.size * 16 + digit;
          this.digits++;
        } else if (this.digits > 0 && (byte === 0x3b || byte === 0x20 || byte === 0x09)) {
          this.state = State.Extension;
        } else if (this.digits > 0 && byte === CR) this.state = State.SizeLf;
        else throw new MalformedResponse('a malformed chunk size');
        return;
      }
      case State.Extension:
        if (byte === CR) this.state = State.SizeLf;
        return;
      case State.SizeLf:
        expect(byte, LF);
        this.state = this.size === 0 ? State.TrailerStart : State.Data;
        this.digits = 0;
        return;
      case State.DataCr:
        expect(byte, CR);
        this.state = State.DataLf;
        return;
      case State.DataLf:
        expect(byte, LF);
        this.state = State.Size;
        return;
      case State.TrailerStart:
        this.state = byte === CR ? State.FinalLf : State.TrailerLine;
        return;
      case State.TrailerLine:
        if (byte === LF) this.state = State.TrailerStart;
        return;
      case State.FinalLf:
        expect(byte, LF);
        this.state = State.Done;
        return;
      case State.Data: // skipped in bulk by feed()
      case State.Done:
        throw new MalformedResponse('data after the end of a chunked body');
    }
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function expect(byte: number, wanted: number): void {
  if (byte !== wanted) throw new MalformedResponse('a malformed chunked body');
}
