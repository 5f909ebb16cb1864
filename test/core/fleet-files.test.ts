import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../core/fleet/csv-table.ts';
import { kindOfHeader, parseFleetCsv } from '../../core/fleet/fleet-csv.ts';
import { formatIssue } from '../../core/fleet/fleet-document.ts';
import { parseFleetYaml } from '../../core/fleet/fleet-yaml.ts';

describe('parseCsv', () => {
  test.each([
    [
      'a,b\n1,2\n',
      [
        { row: 1, cells: ['a', 'b'] },
        { row: 2, cells: ['1', '2'] },
      ],
    ],
    [
      '\uFEFFa,b\r\n1,2',
      [
        { row: 1, cells: ['a', 'b'] },
        { row: 2, cells: ['1', '2'] },
      ],
    ],
    [
      'a\n\n"x, y"\n',
      [
        { row: 1, cells: ['a'] },
        { row: 3, cells: ['x, y'] },
      ],
    ],
    [
      'a,b\n"say ""hi""",\n',
      [
        { row: 1, cells: ['a', 'b'] },
        { row: 2, cells: ['say "hi"', ''] },
      ],
    ],
    [
      'a\n"two\nlines"\nz\n',
      [
        { row: 1, cells: ['a'] },
        { row: 2, cells: ['two\nlines'] },
        { row: 3, cells: ['z'] },
      ],
    ],
  ])('%j', (text, records) => {
    expect(parseCsv(text)).toEqual(records);
  });

  test('a quote left open names its record', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow('record 2');
  });
});

describe('fleet CSV', () => {
  test.each([
    [['id', 'name'], 'customers'],
    [['id', 'customerId', 'name'], 'sites'],
    [['id', 'customerId', 'slaPolicyId'], 'contracts'],
    [['siteId', 'id', 'name', 'customerId'], 'stations'],
  ])('header %j holds %s', (header, kind) => {
    expect(kindOfHeader(header)).toBe(kind);
  });

  test('a station row becomes a station and its pumps, each value with its row and column', () => {
    const document = parseFleetCsv(
      'st.csv',
      'siteId,id,name,endpoint.tcp.port,pump2.model,pump1.saleDate\neast,st1,One,502,CR 5,\neast,st2,Two,x,,2026-01-01\n',
    );
    expect(document.issues).toEqual([]);
    expect(document.entries.map((e) => [e.kind, e.row, e.value])).toEqual([
      ['station', 2, { siteId: 'east', id: 'st1', name: 'One', endpoint: { tcp: { port: 502 } } }],
      ['pump', 2, { number: 2, model: 'CR 5', siteId: 'east', stationId: 'st1' }],
      ['station', 3, { siteId: 'east', id: 'st2', name: 'Two', endpoint: { tcp: { port: 'x' } } }],
      ['pump', 3, { number: 1, saleDate: '2026-01-01', siteId: 'east', stationId: 'st2' }],
    ]);
    expect(document.entries[1]?.places.model).toEqual({ row: 2, field: 'pump2.model' });
    expect(document.entries[2]?.places['endpoint.tcp.port']).toEqual({ row: 3, field: 'endpoint.tcp.port' });
  });

  test('contacts, warranty parts and booleans are read from their columns', () => {
    const customers = parseFleetCsv(
      'c.csv',
      'id,name,contact1.name,contact2.name,contact2.wechat\nacme,A,Wang,Li,li_wechat\n',
    );
    expect(customers.entries[0]?.value.contacts).toEqual([
      { name: 'Wang' },
      { name: 'Li', wechat: 'li_wechat' },
    ]);
    const contracts = parseFleetCsv(
      'k.csv',
      'id,customerId,slaPolicyId,warranty.parts,warranty.softwareLifetime\nc1,acme,p,motor:36; seal:x,yes\n',
    );
    expect(contracts.entries[0]?.value.warranty).toEqual({
      parts: [
        { part: 'motor', months: 36 },
        { part: 'seal', months: 'x' },
      ],
      softwareLifetime: true,
    });
  });

  test('an unknown column is an issue of row 1', () => {
    expect(parseFleetCsv('s.csv', 'id,customerId,colour\n').issues).toEqual([
      expect.objectContaining({ file: 's.csv', row: 1, field: 'colour', code: 'error.fleet.unknownColumn' }),
    ]);
  });
});

describe('fleet YAML', () => {
  test('values remember their lines; pumps take their station and position', () => {
    const document = parseFleetYaml(
      'f.yaml',
      'stations:\n  - siteId: east\n    id: st1\n    pumps:\n      - model: A\n      - number: 5\n        model: B\n',
    );
    expect(document.entries.map((e) => [e.kind, e.row, e.value])).toEqual([
      ['station', 2, { siteId: 'east', id: 'st1' }],
      ['pump', 5, { number: 1, model: 'A', siteId: 'east', stationId: 'st1' }],
      ['pump', 6, { number: 5, model: 'B', siteId: 'east', stationId: 'st1' }],
    ]);
    expect(document.entries[2]?.places.model).toEqual({ row: 7, field: 'pumps.1.model' });
    expect(document.entries[1]?.places.stationId).toEqual({ row: 3, field: 'id' });
  });

  test.each([
    ['stations: [\n', 'error.fleet.unreadable'],
    ['- a\n- b\n', 'error.fleet.unreadable'],
    ['machines:\n  - id: x\n', 'error.fleet.unknownColumn'],
    ['sites: east\n', 'error.fleet.unreadable'],
  ])('%j is refused with %s', (text, code) => {
    expect(parseFleetYaml('f.yaml', text).issues[0]?.code).toBe(code);
  });

  test('an issue prints as FILE:ROW field: message', () => {
    expect(formatIssue({ file: 'f.csv', row: 3, field: 'id', message: 'bad' })).toBe('f.csv:3 id: bad');
    expect(formatIssue({ file: 'f.csv', row: null, field: '', message: 'bad' })).toBe('f.csv -: bad');
  });
});
