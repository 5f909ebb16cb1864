import type { ImportIssue } from '../api/fleet.ts';
import type { MessageCode, MessageParams } from '../i18n/render.ts';
import type { RecordKind } from './fleet-records.ts';

/** Where a value came from: its file's row (CSV record, header = 1) or YAML line, and its field as the file names it. */
export interface Place {
  row: number | null;
  field: string;
}

/**
 * One row of a fleet file, before validation: the raw value in the API's field names, where the
 * row starts, and where each of its values came from (keyed by the dotted path in `value`).
 */
export interface FleetEntry {
  kind: RecordKind;
  file: string;
  row: number | null;
  value: Record<string, unknown>;
  places: Record<string, Place>;
}

/** A parsed file: its rows, and the issues of reading it (a bad header, YAML syntax). */
export interface FleetDocument {
  entries: FleetEntry[];
  issues: ImportIssue[];
}

/** The place of `path` in an entry: the nearest recorded place of the path or one of its parents. */
export function placeOf(entry: FleetEntry, path: readonly PropertyKey[]): Place {
  for (let length = path.length; length > 0; length--) {
    const place = entry.places[path.slice(0, length).map(String).join('.')];
    if (place) return place;
  }
  return { row: entry.row, field: path.map(String).join('.') };
}

export function issueAt(
  entry: Pick<FleetEntry, 'file'>,
  place: Place,
  message: string,
  code: MessageCode,
  params: MessageParams = {},
): ImportIssue {
  return { file: entry.file, row: place.row, field: place.field, message, code, params };
}

/** `FILE:ROW field: message`, as the CLI prints an issue. */
export function formatIssue(issue: ImportIssue): string {
  const where = issue.row === null ? issue.file : `${issue.file}:${issue.row}`;
  return `${where} ${issue.field || '-'}: ${issue.message}`;
}
