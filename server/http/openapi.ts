import { z } from 'zod';
import {
  errorSchema,
  healthSchema,
  historySchema,
  stationSummarySchema,
  stationViewSchema,
} from './api-schemas.ts';
import { historyParameters } from './history-query.ts';

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: z.toJSONSchema(schema, { target: 'draft-2020-12' }) } },
});

const stationId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Station id',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
};
const siteParameter = {
  name: 'site',
  in: 'query',
  required: false,
  description: 'Site of the station, needed when two sites have a station with this id',
  schema: { type: 'string' },
};

/** OpenAPI 3.1 document of the HTTP API (its schemas are JSON Schema 2020-12, as 3.1 wants). */
export function buildOpenApiDocument(version: string) {
  const error = json(errorSchema, 'Error');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Aftercare server API',
      version,
      description:
        'Live and historical telemetry of booster pump stations. Prometheus metrics are at /metrics.',
    },
    paths: {
      '/api/health': {
        get: {
          summary: 'Broker connection, telemetry store and each edge state (from its retained status topic)',
          responses: {
            '200': json(healthSchema, 'Health; status is degraded when the broker or store is not ok'),
          },
        },
      },
      '/api/stations': {
        get: {
          summary: 'Stations seen since the server started',
          responses: { '200': json(z.array(stationSummarySchema), 'Stations') },
        },
      },
      '/api/stations/{id}': {
        get: {
          summary: 'Latest value of every meaning of a station, with quality and age',
          parameters: [stationId, siteParameter],
          responses: { '200': json(stationViewSchema, 'Station'), '400': error, '404': error, '409': error },
        },
      },
      '/api/stations/{id}/history': {
        get: {
          summary: 'Readings of one meaning over time, raw or downsampled in the store',
          parameters: [
            stationId,
            ...historyParameters.map(({ name, required, description, example }) => ({
              name,
              in: 'query',
              required,
              description,
              schema: { type: 'string' },
              example,
            })),
          ],
          responses: { '200': json(historySchema, 'History'), '400': error, '404': error, '409': error },
        },
      },
      '/api/stations/{id}/history.csv': {
        get: {
          summary:
            'The history as CSV (UTF-8 with BOM, for Excel): a time column in UTC, then one column per tag with its unit; tag may list several meanings, comma-separated',
          parameters: [
            stationId,
            ...historyParameters.map(({ name, required, description, example }) => ({
              name,
              in: 'query',
              required,
              description,
              schema: { type: 'string' },
              example,
            })),
          ],
          responses: {
            '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            '400': error,
            '404': error,
            '409': error,
          },
        },
      },
      '/api/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document' } } },
      },
    },
  };
}
