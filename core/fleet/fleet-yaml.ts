import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, stringify } from 'yaml';
import type { ImportIssue } from '../api/fleet.ts';
import type { FleetDocument, FleetEntry, Place } from './fleet-document.ts';
import { FILE_KIND_OF, FILE_KINDS, type FileKind, type FleetData } from './fleet-records.ts';

/**
 * Fleet YAML files: sections `customers:`, `sites:`, `contracts:` and `stations:`, each a list of
 * rows in the API's field names plus their ids; a station lists its `pumps:` (each with its
 * `number`, 1 to 9; the position in the list when left out). Every value remembers its line.
 */

type Places = Map<string, number>;

/** The line of every key and list item, by dotted path (`stations.0.pumps.1.saleDate`). */
function collectLines(node: unknown, path: string[], lines: LineCounter, into: Places): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const at = (pair.key as Node | null)?.range?.[0];
      const here = [...path, key];
      if (at !== undefined) into.set(here.join('.'), lines.linePos(at).line);
      collectLines(pair.value, here, lines, into);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const here = [...path, String(index)];
      const at = (item as Node | null)?.range?.[0];
      if (at !== undefined) into.set(here.join('.'), lines.linePos(at).line);
      collectLines(item, here, lines, into);
    });
  }
}

function placesUnder(all: Places, prefix: string, shown: string): Record<string, Place> {
  const places: Record<string, Place> = {};
  for (const [path, row] of all) {
    if (path.startsWith(`${prefix}.`)) {
      const field = path.slice(prefix.length + 1);
      places[field] = { row, field: shown ? `${shown}.${field}` : field };
    }
  }
  return places;
}

export function parseFleetYaml(file: string, text: string): FleetDocument {
  const lines = new LineCounter();
  const document = parseDocument(text.startsWith('\uFEFF') ? text.slice(1) : text, { lineCounter: lines });
  const issues: ImportIssue[] = [];
  for (const error of document.errors) {
    const row = error.linePos?.[0].line ?? null;
    issues.push({
      file,
      row,
      field: '',
      message: `the file cannot be read: ${error.message}`,
      code: 'error.fleet.unreadable',
      params: { detail: error.message },
    });
  }
  if (issues.length > 0) return { entries: [], issues };
  const js: unknown = document.toJS();
  if (js === null || js === undefined) return { entries: [], issues };
  const places: Places = new Map();
  collectLines(document.contents, [], lines, places);
  if (typeof js !== 'object' || Array.isArray(js)) {
    const detail = 'expected sections customers, sites, contracts and stations';
    return {
      entries: [],
      issues: [
        {
          file,
          row: 1,
          field: '',
          message: `the file cannot be read: ${detail}`,
          code: 'error.fleet.unreadable',
          params: { detail },
        },
      ],
    };
  }
  const entries: FleetEntry[] = [];
  for (const [section, rows] of Object.entries(js as Record<string, unknown>)) {
    const row = places.get(section) ?? null;
    if (!FILE_KINDS.includes(section as FileKind)) {
      issues.push({
        file,
        row,
        field: section,
        message: `unknown section ${section}`,
        code: 'error.fleet.unknownColumn',
        params: { column: section },
      });
      continue;
    }
    if (rows === null) continue;
    if (!Array.isArray(rows)) {
      const detail = `${section} must be a list`;
      issues.push({
        file,
        row,
        field: section,
        message: `the file cannot be read: ${detail}`,
        code: 'error.fleet.unreadable',
        params: { detail },
      });
      continue;
    }
    rows.forEach((value: unknown, index) => {
      const at = `${section}.${index}`;
      const entry: FleetEntry = {
        kind: FILE_KIND_OF[section as FileKind],
        file,
        row: places.get(at) ?? row,
        value:
          typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : { value },
        places: placesUnder(places, at, ''),
      };
      entries.push(entry);
      if (entry.kind !== 'station' || !('pumps' in entry.value)) return;
      const pumps = entry.value.pumps;
      delete entry.value.pumps;
      if (!Array.isArray(pumps)) {
        entries.push({ ...entry, kind: 'pump', value: { pumps }, places: {} });
        return;
      }
      pumps.forEach((pump: unknown, pumpIndex) => {
        const pumpAt = `${at}.pumps.${pumpIndex}`;
        const pumpPlaces = placesUnder(places, pumpAt, `pumps.${pumpIndex}`);
        const own = typeof pump === 'object' && pump !== null && !Array.isArray(pump) ? pump : { pump };
        pumpPlaces.siteId = entry.places.siteId ?? { row: entry.row, field: 'siteId' };
        pumpPlaces.stationId = entry.places.id ?? { row: entry.row, field: 'id' };
        pumpPlaces.number ??= { row: places.get(pumpAt) ?? entry.row, field: `pumps.${pumpIndex}` };
        entries.push({
          kind: 'pump',
          file,
          row: places.get(pumpAt) ?? entry.row,
          value: { number: pumpIndex + 1, ...own, siteId: entry.value.siteId, stationId: entry.value.id },
          places: pumpPlaces,
        });
      });
    });
  }
  return { entries, issues };
}

/** The fleet (or one section of it) as YAML that parseFleetYaml reads back. */
export function writeFleetYaml(data: FleetData, kind?: FileKind): string {
  const sections = kind ? { [kind]: data[kind] } : data;
  return stringify(sections, { lineWidth: 0 });
}
