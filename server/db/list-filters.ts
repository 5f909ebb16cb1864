import { sql } from 'kysely';

/** A LIKE pattern that finds `text` anywhere, its own `%`, `_` and `\` matched literally. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A LIKE pattern matching text that starts with `text` taken literally. */
export function startsWithPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A list's `site` condition for a user's scope: an empty scope matches nothing. */
export function siteIn(sites: readonly string[]) {
  return sites.length ? sql<boolean>`site in (${sql.join([...sites])})` : sql<boolean>`false`;
}
