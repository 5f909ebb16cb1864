import type { RegisterImage } from './register-map.ts';

/**
 * A station's four tables as typed arrays sized to the profile's highest address, copied from its
 * register image once per model step: a Modbus read then costs a bounds check and a copy into the
 * reply, with no lookup or allocation per register. Addresses past the end read as 0 (as unmapped
 * addresses of the image do).
 */
export interface FlatImage {
  input: Uint16Array;
  holding: Uint16Array;
  coil: Uint8Array;
  discrete: Uint8Array;
}

export function emptyFlatImage(): FlatImage {
  return {
    input: new Uint16Array(0),
    holding: new Uint16Array(0),
    coil: new Uint8Array(0),
    discrete: new Uint8Array(0),
  };
}

/** Copies `image` into `into`, reusing its arrays when they are large enough. */
export function flatten(image: RegisterImage, into: FlatImage): FlatImage {
  into.input = copyWords(image.input, into.input);
  into.holding = copyWords(image.holding, into.holding);
  into.coil = copyBits(image.coil, into.coil);
  into.discrete = copyBits(image.discrete, into.discrete);
  return into;
}

function size(table: Map<number, unknown>): number {
  let top = -1;
  for (const address of table.keys()) if (address > top) top = address;
  return top + 1;
}

function copyWords(table: Map<number, number>, array: Uint16Array): Uint16Array {
  const needed = size(table);
  const out = array.length === needed ? array : new Uint16Array(needed);
  out.fill(0);
  for (const [address, word] of table) out[address] = word;
  return out;
}

function copyBits(table: Map<number, boolean>, array: Uint8Array): Uint8Array {
  const needed = size(table);
  const out = array.length === needed ? array : new Uint8Array(needed);
  out.fill(0);
  for (const [address, bit] of table) out[address] = bit ? 1 : 0;
  return out;
}
