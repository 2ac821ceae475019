import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as ls from 'vscode-json-languageservice';
import YAML from 'yaml';
import { fieldsFor, narrowedTypes, validatorFor } from '../../../src/core/schema';
import {
  API_VERSIONS,
  METADATA_FIELDS,
  metadataSentSeparately,
  type ApiVersion,
} from '../../../src/core/versions';
import { ROOT } from './helpers';

type Json = Record<string, unknown>;
const read = (file: string): Json => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as Json;
const schemaOf = (v: ApiVersion) =>
  read(`schemas/${v}.schema.json`) as Json & { properties: Record<string, Json> };

const SEED_FIELDS = [
  'external_id',
  'first_name',
  'last_name',
  'primary_email_address_id',
  'notify_primary_email_address_changed',
  'primary_phone_number_id',
  'primary_web3_wallet_id',
  'username',
  'profile_image_id',
  'password',
  'skip_password_checks',
  'sign_out_of_other_sessions',
  'totp_secret',
  'backup_codes',
  'public_metadata',
  'private_metadata',
  'unsafe_metadata',
  'delete_self_enabled',
  'create_organization_enabled',
  'created_at',
];
const HASHERS = [
  'bcrypt',
  'bcrypt_sha256_django',
  'md5',
  'pbkdf2_sha1',
  'pbkdf2_sha256',
  'pbkdf2_sha256_django',
  'pbkdf2_sha512',
  'phpass',
  'md5_phpass',
  'scrypt_firebase',
  'scrypt_werkzeug',
  'sha256',
  'ldap_ssha',
  'argon2i',
  'argon2id',
  'sha512_symfony',
  'pbkdf2_sha512_hex',
];

function vendored(version: string): { body: Record<string, Json> } {
  const doc = YAML.parse(
    readFileSync(path.join(ROOT, 'vendor', 'clerk-openapi', `bapi-${version}.update-user.yml`), 'utf8'),
  );
  return { body: doc.operation.requestBody.content['application/json'].schema.properties };
}

test('one schema per documented version, covering every seed and spec field', () => {
  const specs: Record<string, string> = {
    '2021-02-05': '2021-02-05',
    '2024-10-01': '2021-02-05',
    '2025-04-10': '2021-02-05',
    '2025-11-10': '2025-11-10',
    '2026-05-12': '2026-05-12',
  };
  for (const version of API_VERSIONS) {
    const schema = schemaOf(version);
    assert.equal(schema.type, 'object');
    assert.equal(schema.additionalProperties, false);
    for (const field of SEED_FIELDS) assert.ok(schema.properties[field], `${version}: ${field}`);
    const { body } = vendored(specs[version]);
    for (const [field, prop] of Object.entries(body)) {
      const out = schema.properties[field];
      assert.ok(out, `${version}: ${field}`);
      assert.equal(
        out.markdownDescription,
        (prop.description as string | undefined)?.trim() ?? out.markdownDescription,
      );
      const types = Array.isArray(out.type) ? out.type : [out.type];
      assert.equal(types.includes('null'), prop.nullable === true, `${version}: ${field} nullable`);
      assert.equal(
        typeof out.deprecationMessage === 'string',
        prop.deprecated === true,
        `${version}: ${field} deprecated`,
      );
    }
    // The body stays the same 27 fields (+ 4 reserved) through 2025-11-10; 2026-05-12 keeps metadata in the
    // file.
    assert.equal(Object.keys(schema.properties).length, 31, version);
  }
  assert.match(String(schemaOf('2024-10-01').$comment), /nearest earlier spec, 2021-02-05/);
  assert.match(String(schemaOf('2025-04-10').$comment), /nearest earlier spec, 2021-02-05/);
  assert.doesNotMatch(String(schemaOf('2025-11-10').$comment), /nearest earlier/);
});

test('password_hasher is an enum of the spec values with a description each', () => {
  for (const version of API_VERSIONS) {
    const hasher = schemaOf(version).properties.password_hasher;
    assert.deepEqual(hasher.enum, HASHERS);
    assert.equal((hasher.markdownEnumDescriptions as string[]).length, HASHERS.length);
    assert.ok((hasher.markdownEnumDescriptions as string[]).every((d) => d.length > 5));
  }
});

test('reserved keys are typed and documented', () => {
  for (const version of API_VERSIONS) {
    const p = schemaOf(version).properties;
    assert.equal(p.$schema.type, 'string');
    assert.equal(p.$user_id.type, 'string');
    assert.match(String(p.$user_id.markdownDescription), /user_/);
    assert.deepEqual(p.$api_version.enum, [...API_VERSIONS]);
    assert.equal((p.$api_version.markdownEnumDescriptions as string[]).length, API_VERSIONS.length);
    assert.deepEqual(p.$metadata.enum, ['merge', 'replace']);
    assert.match(String(p.$metadata.markdownDescription), /PATCH \/v1\/users\/\{user_id\}\/metadata/);
  }
});

test('metadata: nullable objects in the PATCH body before 2026-05-12, merged by default, replaced with PUT after', () => {
  for (const field of METADATA_FIELDS) {
    assert.deepEqual(schemaOf('2025-11-10').properties[field].type, ['object', 'null']);
    const newest = schemaOf('2026-05-12').properties[field];
    assert.equal(newest.type, 'object');
    assert.match(String(newest.markdownDescription), /PUT \/v1\/users\/\{user_id\}\/metadata/);
  }
  assert.match(String(schemaOf('2026-05-12').description), /PUT \/v1\/users\/\{user_id\}\/metadata/);
});

test("one generated validator; the field tables match each version's schema", () => {
  for (const version of API_VERSIONS) {
    const schema = schemaOf(version);
    const fields = fieldsFor(version);
    assert.deepEqual(Object.keys(fields).sort(), Object.keys(schema.properties).sort());
    for (const [name, prop] of Object.entries(schema.properties)) {
      assert.deepEqual(
        fields[name].types,
        Array.isArray(prop.type) ? prop.type : [prop.type],
        `${version}: ${name}`,
      );
    }
    const validate = validatorFor(version);
    assert.equal(validate({ first_name: 'Ada', password_hasher: 'bcrypt' }), true);
    assert.equal(validate({ first_name: 1, nope: true }), false);
    assert.equal(validate.errors?.length, 2);
    // Metadata may be null in the file under every version; 2026-05-12 rejects it in a check of its own.
    assert.equal(validate({ public_metadata: null }), true);
    assert.deepEqual(
      [...narrowedTypes(version).keys()],
      metadataSentSeparately(version) ? [...METADATA_FIELDS] : [],
    );
  }
  assert.equal(validatorFor('2021-02-05'), validatorFor('2026-05-12'));
});

// ------------------------------------------------------------------------------------------------
// The editor schema (contributes.jsonValidation) documents and suggests, and never validates.

const VALIDATION_KEYWORDS = [
  'type',
  'enum',
  'const',
  'required',
  'additionalProperties',
  'patternProperties',
  'propertyNames',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minProperties',
  'maxProperties',
  'dependencies',
  'if',
  'then',
  'else',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'items',
  'additionalItems',
  'deprecationMessage',
  'deprecated',
  'errorMessage',
  'patternErrorMessage',
  'allowComments',
  'allowTrailingCommas',
];

test('the editor schema has docs for every field and no validation keyword', () => {
  const editor = read('schemas/userupdate.schema.json') as Json & { properties: Record<string, Json> };
  const check = (node: Json, where: string) => {
    for (const key of Object.keys(node)) assert.ok(!VALIDATION_KEYWORDS.includes(key), `${key} at ${where}`);
  };
  check(editor, '/');
  const all = new Set(API_VERSIONS.flatMap((v) => Object.keys(schemaOf(v).properties)));
  assert.deepEqual(Object.keys(editor.properties).sort(), [...all].sort());
  for (const [name, prop] of Object.entries(editor.properties)) {
    check(prop, name);
    assert.ok(String(prop.markdownDescription).length > 10, name);
  }
  assert.match(String(editor.properties.first_name.markdownDescription), /string or null/);
  const snippet = (editor.defaultSnippets as Json[])[0].body as Json;
  assert.deepEqual(Object.keys(snippet), ['$user_id', '$api_version', 'first_name']);
  assert.equal(snippet.$api_version, '2026-05-12');
  const labels = (name: string) => (editor.properties[name].defaultSnippets as Json[]).map((s) => s.label);
  assert.deepEqual(labels('skip_password_checks'), ['true', 'false', 'null']);
  assert.deepEqual(labels('password_hasher'), HASHERS);
  assert.deepEqual(labels('$api_version'), [...API_VERSIONS]);
});

function languageService() {
  const service = ls.getLanguageService({ clientCapabilities: ls.ClientCapabilities.LATEST });
  service.configure({
    validate: true,
    allowComments: false,
    schemas: [
      {
        uri: 'file:///schemas/userupdate.schema.json',
        fileMatch: ['*.userupdate.json'],
        schema: read('schemas/userupdate.schema.json'),
      },
    ],
  });
  return service;
}

test("VS Code's JSON language service reports no payload problem with the editor schema", async () => {
  const service = languageService();
  const text = JSON.stringify(
    {
      first_name: 42,
      firstName: 'Ada',
      password_hasher: 'nope',
      $api_version: 'x',
      backup_codes: 'a',
      public_metadata: [],
      zzz: null,
    },
    null,
    2,
  );
  const doc = ls.TextDocument.create('file:///w/a.userupdate.json', 'json', 1, text);
  const problems = await service.doValidation(doc, service.parseJSONDocument(doc), {
    schemaValidation: 'error',
    comments: 'error',
    trailingCommas: 'error',
  });
  assert.deepEqual(problems, []);
});

test('completion from the editor schema: fields with docs, values, new-file snippet', async () => {
  const service = languageService();
  const complete = async (text: string, at: number) => {
    const doc = ls.TextDocument.create('file:///w/a.userupdate.json', 'json', 1, text);
    return service.doComplete(doc, doc.positionAt(at), service.parseJSONDocument(doc));
  };
  const fields = await complete('{\n  \n}', 4);
  const first = fields?.items.find((i) => i.label === 'first_name');
  assert.ok(first);
  assert.match(JSON.stringify(first.documentation), /first name to assign/);
  const values = await complete('{"password_hasher": }', 19);
  assert.ok(values?.items.some((i) => i.label === 'bcrypt'));
  const booleans = await complete('{"delete_self_enabled": }', 23);
  assert.deepEqual(booleans?.items.map((i) => i.label).sort(), ['false', 'null', 'true']);
  const empty = await complete('', 0);
  assert.ok(empty?.items.some((i) => i.label === 'New user update'));
});
