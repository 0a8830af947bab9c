/**
 * @module An error as it crosses from the data plane process to the controller — in a call's answer or in
 * the file a data plane that could not start leaves — and back into the same SlipwayError.
 */
import { isErrorCode, RemoteError, SlipwayError, toSlipwayError } from '../../../errors/index.js';

export interface WireError {
  code: string;
  message: string;
  category?: string;
  hint?: string;
}

export function toWire(thrown: unknown): WireError {
  const e = toSlipwayError(thrown);
  return { code: e.code, message: e.message, category: e.category, ...(e.hint ? { hint: e.hint } : {}) };
}

/**
 * The same code the data plane raised (so a release failure stays one), or its category as sent; anything
 * that is not a wire error at all becomes `fallback`.
 */
export function fromWire(value: unknown, fallback: () => SlipwayError): SlipwayError {
  const e = value as Partial<WireError> | null;
  if (typeof e?.code !== 'string' || typeof e.message !== 'string') return fallback();
  if (isErrorCode(e.code)) return new SlipwayError(e.code, e.message, e.hint ? { hint: e.hint } : {});
  const category =
    e.category === 'user' || e.category === 'release' || e.category === 'infrastructure'
      ? e.category
      : 'internal';
  return new RemoteError(e.code, category, e.message, e.hint);
}
