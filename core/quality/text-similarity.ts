/**
 * A small TF-IDF cosine scorer for mixed Chinese and English service texts. No installed library does
 * this (no tokenizer, stemmer or search index is among the project's packages); Chinese has no spaces,
 * so each run of Han characters becomes its overlapping character bigrams (a lone character is its own
 * token), and Latin text becomes lower-case words of two or more letters or digits, minus a few stop
 * words. Pure.
 */

const HAN = /\p{Script=Han}+/gu;
const WORD = /[a-z0-9]{2,}/g;
const STOP = new Set([
  'the',
  'and',
  'was',
  'were',
  'with',
  'for',
  'of',
  'on',
  'in',
  'at',
  'to',
  'is',
  'it',
  'a',
  'an',
]);

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const lower = text.toLowerCase();
  for (const run of lower.match(HAN) ?? []) {
    const chars = [...run];
    if (chars.length === 1) tokens.push(run);
    for (let i = 0; i + 1 < chars.length; i++) tokens.push(`${chars[i]}${chars[i + 1]}`);
  }
  for (const word of lower.replace(HAN, ' ').match(WORD) ?? []) if (!STOP.has(word)) tokens.push(word);
  return tokens;
}

type Vector = Map<string, number>;

/** An index of documents; `similarity` scores a query against one of them in [0, 1]. */
export interface TextIndex {
  similarity(query: string, document: number): number;
}

export function buildTextIndex(documents: readonly string[]): TextIndex {
  const tokenized = documents.map(tokenize);
  const documentFrequency = new Map<string, number>();
  for (const tokens of tokenized)
    for (const token of new Set(tokens))
      documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
  // Smoothed idf: a token in every document still weighs a little, one in none of them the most.
  const idf = (token: string) =>
    Math.log((1 + documents.length) / (1 + (documentFrequency.get(token) ?? 0))) + 1;
  const weigh = (tokens: string[]): Vector => {
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    const vector: Vector = new Map();
    for (const [token, count] of counts) vector.set(token, count * idf(token));
    return vector;
  };
  const vectors = tokenized.map(weigh);
  return {
    similarity(query, document) {
      const target = vectors[document];
      return target ? cosine(weigh(tokenize(query)), target) : 0;
    },
  };
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  for (const [token, weight] of a) dot += weight * (b.get(token) ?? 0);
  if (dot === 0) return 0;
  const norm = (v: Vector) => Math.sqrt([...v.values()].reduce((sum, w) => sum + w * w, 0));
  return dot / (norm(a) * norm(b));
}
