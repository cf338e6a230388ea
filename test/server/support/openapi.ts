import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Checks an answer against docs/openapi.yaml: the schema documented for that path, method and
 * status. Throws with ajv's errors when the answer breaks the published contract.
 */
const DOCUMENT_ID = 'openapi.yaml';
const document = parse(readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: object }> }>>;
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(document, DOCUMENT_ID);

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** The JSON pointer of the JSON schema documented for an answer. */
function schemaPointer(path: string, method: string, status: number): string {
  const responses = document.paths[path]?.[method.toLowerCase()]?.responses;
  const response = responses?.[String(status)];
  if (!response) throw new Error(`docs/openapi.yaml documents no ${status} for ${method} ${path}.`);
  const base = response.$ref
    ? response.$ref.slice(1)
    : `/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}`;
  return `${base}/content/${escape('application/json')}/schema`;
}

/** Whether docs/openapi.yaml has an operation for this path template and method. */
export function isDocumented(path: string, method: string): boolean {
  return document.paths[path]?.[method.toLowerCase()] !== undefined;
}

/** Throws unless `body` is what docs/openapi.yaml documents for this answer. */
export function assertMatchesOpenApi(path: string, method: string, status: number, body: unknown): void {
  const validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${schemaPointer(path, method, status)}` });
  if (!validate(body)) {
    throw new Error(
      `${method} ${path} ${status} does not match docs/openapi.yaml: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
    );
  }
}
