/**
 * C0 control characters other than tab, line feed and carriage return, and DEL. NUL cannot be
 * stored in PostgreSQL text at all; the others are invisible on screen and corrupt logs and CSV.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding these characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export interface ControlCharacterAt {
  /** Dotted path of the string (or key) that holds it: `note`, `contacts.0.name`. */
  path: string;
  /** Its code point as U+XXXX. */
  character: string;
}

const MAX_DEPTH = 32;

/** The first string or object key in `value` that holds a control character, or undefined. Pure. */
export function findControlCharacter(
  value: unknown,
  path: readonly (string | number)[] = [],
): ControlCharacterAt | undefined {
  if (typeof value === 'string') {
    const match = CONTROL.exec(value);
    return match ? { path: path.join('.'), character: codePoint(match[0]) } : undefined;
  }
  if (typeof value !== 'object' || value === null || path.length >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    const inKey = CONTROL.exec(key);
    if (inKey) return { path: [...path, key].join('.'), character: codePoint(inKey[0]) };
    const found = findControlCharacter(inner, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
