import { z } from 'zod';
import { errorSchema } from '../../core/api/common.ts';
import type { Access, ApiContract } from '../../core/api/contract.ts';

type JsonSchema = Record<string, unknown>;

/** Requests are documented as the client sends them, answers as the server writes them. */
const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    // Transforms and refinements check more than JSON Schema says; the description says the rest.
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

const json = (schema: JsonSchema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

function who(access: Access): string {
  if (access === 'open') return 'Open: no sign-in needed.';
  if (access === 'signed-in')
    return 'Roles: any staff role (operator, service, engineer, admin), not customer.';
  return `Roles: ${access.join(', ')}.`;
}

/** One OpenAPI parameter per property of a params or query object schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const object = schemaOf(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function operation(contract: ApiContract, error: JsonSchema) {
  const responses: Record<string, unknown> = {};
  if (contract.status === 204) responses['204'] = { description: 'Done; no content' };
  else if (contract.contentType)
    responses[String(contract.status)] = {
      description: 'Success',
      content: { [contract.contentType]: { schema: { type: 'string' } } },
    };
  else
    responses[String(contract.status)] = json(
      contract.response ? schemaOf(contract.response, 'output') : {},
      'Success',
    );
  if (contract.params || contract.query || contract.body)
    responses['400'] = json(error, 'Invalid request; issues name the fields');
  if (contract.access !== 'open') responses['401'] = json(error, 'Not signed in, or the token expired');
  if (contract.access !== 'open') responses['403'] = json(error, 'The role may not do this');
  responses.default = json(error, 'Any other error (404, 409, 413, 429, 5xx) with its sentence');
  return {
    summary: contract.summary,
    description: who(contract.access),
    'x-roles': contract.access,
    parameters: [...parameters(contract.params, 'path'), ...parameters(contract.query, 'query')],
    ...(contract.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(contract.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** `/api/alarms/:id` as OpenAPI writes it: `/api/alarms/{id}`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/** OpenAPI 3.1 document of the routes registered from contracts (its schemas are JSON Schema 2020-12). */
export function buildOpenApiDocument(version: string, contracts: readonly ApiContract[]) {
  const error = schemaOf(errorSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const contract of contracts) {
    const path = openApiPath(contract.path);
    paths[path] = { ...paths[path], [contract.method.toLowerCase()]: operation(contract, error) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Aftercare server API',
      version,
      description:
        'Live and historical telemetry of booster pump stations, alarms, service tickets, assets and maintenance. Send `Authorization: Bearer <token>` from POST /api/auth/login.',
    },
    components: {
      schemas: { Error: error },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
