// Generates the JSON schemas of a *.userupdate.json file from Clerk's OpenAPI specs.
//
//   node scripts/generate-schema.mjs                    read the vendored extracts in vendor/clerk-openapi/
// node scripts/generate-schema.mjs --extract DIR first refresh the extracts from DIR/bapi-<version>.yml
//
// Writes:
//   schemas/<version>.schema.json   full validation schema per documented API version (ajv compiles them
//                                   at build time, see scripts/build-validators.mjs)
//   schemas/userupdate.schema.json  the editor schema contributed through `contributes.jsonValidation`:
//                                   documentation and value suggestions only, no validation keywords
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const VENDOR = join(ROOT, 'vendor', 'clerk-openapi');
const SCHEMAS = join(ROOT, 'schemas');

// Keep in step with src/core/versions.ts (checked below).
const API_VERSIONS = ['2021-02-05', '2024-10-01', '2025-04-10', '2025-11-10', '2026-05-12'];
const NEWEST = API_VERSIONS[API_VERSIONS.length - 1];
const METADATA_FIELDS = ['public_metadata', 'private_metadata', 'unsafe_metadata'];
const METADATA_SEPARATE_FROM = '2026-05-12';

// The fields of clerk-rs' UpdateUserRequest (the seed). Each must be covered by every version's schema.
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

// The password hashers the spec's PasswordHasher description lists, as a cross-check of the parsing below,
// with a short description of each (the spec's links are added when it has one).
const HASHER_NOTES = {
  bcrypt: 'bcrypt digest (`$2a$`, `$2b$` or `$2y$` prefix).',
  bcrypt_sha256_django: "Django's `bcrypt_sha256` hasher: bcrypt over a SHA-256 of the password.",
  md5: 'Unsalted MD5 hex digest.',
  pbkdf2_sha1: 'PBKDF2 with HMAC-SHA1.',
  pbkdf2_sha256: 'PBKDF2 with HMAC-SHA256.',
  pbkdf2_sha256_django: "Django's `pbkdf2_sha256` format (`pbkdf2_sha256$<iterations>$<salt>$<hash>`).",
  pbkdf2_sha512: 'PBKDF2 with HMAC-SHA512.',
  phpass: 'Portable PHP password hashing framework (WordPress, phpBB).',
  md5_phpass: 'phpass digests built on MD5.',
  scrypt_firebase:
    "Firebase's modified scrypt (needs the project's signer key, salt separator, rounds and memory cost).",
  scrypt_werkzeug: "Werkzeug's scrypt hashes (`scrypt:<n>:<r>:<p>$<salt>$<hash>`).",
  sha256: 'Unsalted SHA-256 hex digest.',
  ldap_ssha: 'LDAP salted SHA-1 (`{SSHA}`).',
  argon2i: 'Argon2i.',
  argon2id: 'Argon2id.',
  sha512_symfony: 'The SHA-512 variant of the Symfony legacy hasher.',
  pbkdf2_sha512_hex: 'A variant of `pbkdf2_sha512` that accepts a hex-encoded salt and hash.',
};

function fail(message) {
  console.error(`generate-schema: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Extraction: the parts of a full spec that we use, kept in vendor/ with Clerk's MIT notice.

function extract(dir) {
  const files = readdirSync(dir).filter((f) => /^bapi-\d{4}-\d{2}-\d{2}\.ya?ml$/.test(f));
  if (files.length === 0) fail(`no bapi-<version>.yml in ${dir}`);
  mkdirSync(VENDOR, { recursive: true });
  for (const file of files) {
    const spec = YAML.parse(readFileSync(join(dir, file), 'utf8'));
    const version = spec.info?.version;
    const operation = findOperation(spec, 'UpdateUser');
    if (!operation) fail(`${file}: no operation UpdateUser`);
    const hasher = spec.components?.schemas?.PasswordHasher;
    if (!hasher) fail(`${file}: no components.schemas.PasswordHasher`);
    const out = {
      source: file,
      info: { title: spec.info.title, version },
      operation: {
        method: operation.method,
        path: operation.path,
        operationId: 'UpdateUser',
        summary: operation.value.summary,
        description: operation.value.description,
        requestBody: operation.value.requestBody,
      },
      components: { schemas: { PasswordHasher: hasher } },
    };
    const replace = findOperation(spec, 'ReplaceUserMetadata');
    if (replace) {
      out.metadataOperation = {
        method: replace.method,
        path: replace.path,
        operationId: 'ReplaceUserMetadata',
        summary: replace.value.summary,
        description: replace.value.description,
        requestBody: replace.value.requestBody,
      };
    }
    const header =
      `# Extract of Clerk's Backend API OpenAPI spec ${file} (API version ${version}):\n` +
      '# the UpdateUser operation, the PasswordHasher schema and (when present) ReplaceUserMetadata, unchanged.\n' +
      '# Copyright (c) 2025 Clerk. MIT License, see LICENSE in this folder.\n' +
      '# Refresh with: node scripts/generate-schema.mjs --extract <folder with bapi-<version>.yml>\n';
    writeFileSync(
      join(VENDOR, `bapi-${version}.update-user.yml`),
      header + YAML.stringify(out, { lineWidth: 0 }),
    );
    console.log(`extracted ${file} -> vendor/clerk-openapi/bapi-${version}.update-user.yml`);
  }
  const license = join(dir, 'LICENSE');
  if (existsSync(license)) writeFileSync(join(VENDOR, 'LICENSE'), readFileSync(license, 'utf8'));
}

function findOperation(spec, operationId) {
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, value] of Object.entries(item)) {
      if (value && typeof value === 'object' && value.operationId === operationId)
        return { path, method, value };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading the extracts.

function loadExtracts() {
  if (!existsSync(VENDOR)) fail('vendor/clerk-openapi/ is missing; run with --extract <dir> first');
  const byVersion = new Map();
  for (const file of readdirSync(VENDOR)) {
    const m = /^bapi-(\d{4}-\d{2}-\d{2})\.update-user\.yml$/.exec(file);
    if (!m) continue;
    byVersion.set(m[1], { file, doc: YAML.parse(readFileSync(join(VENDOR, file), 'utf8')) });
  }
  if (byVersion.size === 0) fail('no extracts in vendor/clerk-openapi/');
  return byVersion;
}

/** The spec that documents `version`: its own, or the nearest earlier one. */
function specFor(version, extracts) {
  const candidates = [...extracts.keys()].filter((v) => v <= version).sort();
  const chosen = candidates[candidates.length - 1];
  if (!chosen) fail(`no spec at or before ${version}`);
  return { specVersion: chosen, ...extracts.get(chosen) };
}

function bodySchema(doc) {
  const schema = doc.operation?.requestBody?.content?.['application/json']?.schema;
  if (!schema || schema.type !== 'object' || !schema.properties)
    fail(`${doc.source}: UpdateUser has no JSON object body`);
  return schema;
}

function hashersFrom(description) {
  // Every `code` span in the description names a value, except a family name followed by "variants".
  const values = [];
  const re = /\[?`([a-z0-9_]+)`\]?(\([^)]*\))?/g;
  let m;
  while ((m = re.exec(description))) {
    const after = description.slice(re.lastIndex, re.lastIndex + 10);
    if (/^\s*variants/.test(after)) continue;
    if (!values.includes(m[1])) values.push(m[1]);
  }
  return values.map((value) => {
    const link = new RegExp('\\[`' + value + '`\\]\\(([^)]+)\\)').exec(description)?.[1];
    return { value, link };
  });
}

// ---------------------------------------------------------------------------------------------
// Conversion of an OpenAPI 3.0 property to JSON schema (draft-07, with VS Code's annotations).

function convertProperty(name, prop, hasher) {
  if (prop.$ref) {
    if (prop.$ref !== '#/components/schemas/PasswordHasher') fail(`unexpected $ref ${prop.$ref} on ${name}`);
    return convertHasher(hasher);
  }
  const out = {};
  out.type = prop.nullable ? [prop.type, 'null'] : prop.type;
  if (prop.items) out.items = { type: prop.items.type };
  if (prop.type === 'object') out.additionalProperties = true;
  if (prop.default !== undefined) out.default = prop.default;
  const description = (prop.description ?? '').trim();
  out.description = description;
  out.markdownDescription = description;
  if (prop.deprecated) {
    out.deprecated = true;
    const line = description.split('\n').find((l) => /^Deprecated:/.test(l));
    out.deprecationMessage = line
      ? line.replace(/^Deprecated:\s*/, '').replace(/`/g, '')
      : `${name} is deprecated.`;
  }
  return out;
}

function convertHasher(hasher) {
  const description = hasher.description.trim();
  const values = hashersFrom(description);
  const names = values.map((v) => v.value);
  const expected = Object.keys(HASHER_NOTES);
  if (names.join() !== expected.join()) {
    fail(
      `PasswordHasher values changed.\n  spec:     ${names.join(', ')}\n  expected: ${expected.join(', ')}\nUpdate HASHER_NOTES.`,
    );
  }
  return {
    type: 'string',
    enum: names,
    description,
    markdownDescription: description,
    markdownEnumDescriptions: values.map(
      ({ value, link }) => (link ? `[\`${value}\`](${link}): ` : '') + HASHER_NOTES[value],
    ),
  };
}

function reservedProperties() {
  return {
    $schema: {
      type: 'string',
      description: 'Optional. The JSON schema of this file, for other editors. Never sent to Clerk.',
      markdownDescription:
        'Optional. The JSON schema of this file, for other editors. **Never sent** to Clerk.',
    },
    $user_id: {
      type: 'string',
      description:
        'The ID of the user to update (e.g. user_2xhFjEI5X2qWRvtV13BzSj8H6Dk). Never sent in the body: it goes in the URL, PATCH /v1/users/{user_id}. Optional while authoring; asked for when sending if absent.',
      markdownDescription:
        'The ID of the user to update, e.g. `user_2xhFjEI5X2qWRvtV13BzSj8H6Dk`. **Never sent** in the body: it goes in the URL, `PATCH /v1/users/{user_id}`.\n\nOptional while authoring; asked for when sending if absent.',
    },
    $api_version: {
      type: 'string',
      enum: [...API_VERSIONS],
      description:
        'The Clerk API version this file targets (sent as the Clerk-API-Version header). When absent, the setting clerkUserUpdate.apiVersion applies. Never sent in the body.',
      markdownDescription:
        'The Clerk API version this file targets, sent as the `Clerk-API-Version` header. When absent, the setting `clerkUserUpdate.apiVersion` applies (default `' +
        NEWEST +
        '`). **Never sent** in the body.',
      markdownEnumDescriptions: API_VERSIONS.map((v) => versionNote(v)),
    },
    $metadata: {
      type: 'string',
      enum: ['merge', 'replace'],
      description:
        "How the metadata fields of this file are sent. merge (the default): merged into the user's metadata with " +
        'PATCH /v1/users/{user_id}/metadata (nested objects merge, null deletes a key, other keys are kept). ' +
        "replace: each given field replaces the user's whole field. Never sent.",
      markdownDescription:
        'How the metadata fields of this file are sent. **Never sent.**\n\n' +
        "- `merge` (the default): merged into the user's metadata with `PATCH /v1/users/{user_id}/metadata`, as Clerk " +
        'recommends. Nested objects merge, `null` deletes a key at any level, keys the file does not give are kept.\n' +
        "- `replace`: each given field replaces the user's whole field (in the PATCH body before " +
        METADATA_SEPARATE_FROM +
        ', with `PUT /v1/users/{user_id}/metadata` from it on). A key the file leaves out is removed.',
      markdownEnumDescriptions: [
        '`merge`: `PATCH /v1/users/{user_id}/metadata`; only the given keys change, `null` deletes a key.',
        "`replace`: each given metadata field replaces the user's whole field; keys left out are removed.",
      ],
    },
  };
}

function versionNote(v) {
  if (v >= METADATA_SEPARATE_FROM) {
    return `\`${v}\`: the metadata fields are no longer part of the PATCH body; this extension sends them after the update with \`PUT /v1/users/{user_id}/metadata\`.`;
  }
  return `\`${v}\`: the metadata fields are sent in the PATCH body.`;
}

const PUT_NOTE =
  'By default (`"$metadata": "merge"`) this extension merges the given keys into the user\'s field with ' +
  '`PATCH /v1/users/{user_id}/metadata`, under every API version: nested objects merge, `null` deletes a key, other ' +
  'keys are kept. With `"$metadata": "replace"` the field is replaced whole: in the PATCH body before 2026-05-12, ' +
  'and from 2026-05-12 on (where the PATCH body no longer has it) with `PUT /v1/users/{user_id}/metadata` ' +
  '(omitted fields are untouched, `{}` clears one).';

function versionSchema(version, extracts) {
  const { specVersion, file, doc } = specFor(version, extracts);
  const body = bodySchema(doc);
  const hasher = doc.components.schemas.PasswordHasher;
  const properties = reservedProperties();
  for (const [name, prop] of Object.entries(body.properties))
    properties[name] = convertProperty(name, prop, hasher);

  const separate = version >= METADATA_SEPARATE_FROM;
  if (separate) {
    // The PATCH body lost the metadata fields; the file keeps them, and they are sent with
    // PUT /v1/users/{user_id}/metadata, whose body types them (objects, not nullable).
    const put = doc.metadataOperation?.requestBody?.content?.['application/json']?.schema;
    if (!put?.properties) fail(`${file}: no ReplaceUserMetadata body for the metadata fields`);
    for (const name of METADATA_FIELDS) {
      if (properties[name]) continue;
      const source = put.properties[name];
      if (!source || source.type !== 'object') fail(`${file}: ReplaceUserMetadata has no object ${name}`);
      const description = `${source.description.trim()}\n\n${PUT_NOTE}`;
      properties[name] = {
        type: 'object',
        additionalProperties: true,
        description,
        markdownDescription: description,
        $comment: `Not in the ${specVersion} UpdateUser body; typed and described from ReplaceUserMetadata (PUT /v1/users/{user_id}/metadata).`,
      };
    }
  }
  for (const name of SEED_FIELDS)
    if (!properties[name]) fail(`${version}: seed field ${name} is not covered`);

  const derived = specVersion !== version;
  const comment =
    `Generated by scripts/generate-schema.mjs from vendor/clerk-openapi/${file} (operation UpdateUser). Do not edit.` +
    (derived
      ? ` Clerk publishes no spec file for ${version} here; the body is the one of the nearest earlier spec, ${specVersion} (Clerk documents the same UpdateUser body for 2021-02-05 through 2025-11-10).`
      : '');
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://clerk-user-update.local/schemas/${version}.schema.json`,
    title: `Clerk user update (API version ${version})`,
    description:
      `The body of PATCH /v1/users/{user_id} for Clerk Backend API version ${version}, plus the reserved keys $schema, $user_id, $api_version and $metadata (never sent).` +
      (separate ? ' The metadata fields are sent separately with PUT /v1/users/{user_id}/metadata.' : '') +
      (derived ? ` Derived from the ${specVersion} spec.` : ''),
    $comment: comment,
    type: 'object',
    additionalProperties: false,
    properties,
  };
}

// ---------------------------------------------------------------------------------------------
// The editor schema: documentation and suggestions only. No keyword that makes the JSON language
// service report anything (type, enum, additionalProperties, deprecationMessage, ...): the payload
// diagnostics are ours (docs/architecture.md, "Who reports what").

function proseType(schemaProp) {
  const types = Array.isArray(schemaProp.type) ? schemaProp.type : [schemaProp.type];
  const words = types.map((t) => {
    if (t === 'array') return `array of ${schemaProp.items.type}s`;
    if (t === 'string' && schemaProp.enum)
      return `one of ${schemaProp.enum.map((v) => `\`${v}\``).join(', ')}`;
    return t;
  });
  return words.join(' or ');
}

function snippetsFor(name, prop) {
  const types = Array.isArray(prop.type) ? prop.type : [prop.type];
  const snippets = [];
  if (prop.enum) {
    prop.enum.forEach((value, i) =>
      snippets.push({
        label: value,
        markdownDescription: prop.markdownEnumDescriptions?.[i] ?? '',
        body: value,
      }),
    );
  } else if (types.includes('boolean')) {
    snippets.push({ label: 'true', body: true }, { label: 'false', body: false });
  } else if (types.includes('string')) {
    snippets.push({ label: '""', body: '$1' });
  } else if (types.includes('integer')) {
    snippets.push({ label: '0', description: '0 means unlimited', body: 0 });
  } else if (types.includes('object')) {
    snippets.push({ label: '{}', body: {} });
  } else if (types.includes('array')) {
    snippets.push({ label: '[]', body: ['$1'] });
  }
  if (types.includes('null')) {
    const description =
      name === 'username'
        ? 'Deletes the username for good'
        : METADATA_FIELDS.includes(name)
          ? `Clears the field (before ${METADATA_SEPARATE_FROM}; from then on use {})`
          : 'Clears the value';
    snippets.push({ label: 'null', description, body: null });
  }
  return snippets;
}

function editorSchema(perVersion) {
  const properties = {};
  const names = [];
  for (const version of API_VERSIONS)
    for (const name of Object.keys(perVersion[version].properties))
      if (!names.includes(name)) names.push(name);
  for (const name of names) {
    const inVersions = API_VERSIONS.filter((v) => perVersion[v].properties[name]);
    const prop = perVersion[inVersions[inVersions.length - 1]].properties[name];
    const availability =
      inVersions.length === API_VERSIONS.length
        ? 'all API versions'
        : `API versions ${inVersions.join(', ')}`;
    const kind = name.startsWith('$') ? 'reserved key, never sent' : availability;
    let doc = `*${proseType(prop)}* · ${kind}\n\n${prop.markdownDescription}`;
    let snippetSource = prop;
    if (METADATA_FIELDS.includes(name)) {
      const before = perVersion[API_VERSIONS[0]].properties[name];
      doc =
        `*object* (or *null* before ${METADATA_SEPARATE_FROM}) · all API versions\n\n${prop.markdownDescription.split('\n\n')[0]}\n\n` +
        `Up to 8 KB. Before ${METADATA_SEPARATE_FROM} it is sent in the PATCH body. ${PUT_NOTE}`;
      snippetSource = before;
    }
    const entry = { markdownDescription: doc, defaultSnippets: snippetsFor(name, snippetSource) };
    if (name === '$api_version')
      entry.defaultSnippets = API_VERSIONS.map((v, i) => ({
        label: v,
        markdownDescription: prop.markdownEnumDescriptions[i],
        body: v,
      }));
    if (name === '$user_id') entry.defaultSnippets = [{ label: '"user_…"', body: 'user_$1' }];
    if (name === '$metadata')
      entry.defaultSnippets = prop.enum.map((v, i) => ({
        label: v,
        markdownDescription: prop.markdownEnumDescriptions[i],
        body: v,
      }));
    if (name === '$schema') entry.defaultSnippets = [];
    if (entry.defaultSnippets.length === 0) delete entry.defaultSnippets;
    properties[name] = entry;
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://clerk-user-update.local/schemas/userupdate.schema.json',
    title: 'Clerk user update',
    markdownDescription:
      'The body of `PATCH /v1/users/{user_id}` (Clerk Backend API), plus the reserved keys `$user_id`, `$api_version`, `$metadata` and `$schema`, which are never sent.',
    $comment:
      'Generated by scripts/generate-schema.mjs. Documentation and suggestions only: the extension validates the payload itself against schemas/<version>.schema.json, so this schema has no validation keywords.',
    defaultSnippets: [
      {
        label: 'New user update',
        markdownDescription: 'A new `*.userupdate.json`: the target user, the API version and a first field.',
        body: { $user_id: 'user_$1', $api_version: NEWEST, first_name: '$2' },
      },
    ],
    properties,
  };
}

// Keywords that make a JSON language service report problems. The editor schema must have none.
export const VALIDATION_KEYWORDS = [
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
  'dependentRequired',
  'dependentSchemas',
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
  'doNotSuggest',
];

function assertNoValidation(schema, path) {
  for (const key of Object.keys(schema)) {
    if (VALIDATION_KEYWORDS.includes(key))
      fail(`editor schema has validation keyword ${key} at ${path || '/'}`);
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {}))
    assertNoValidation(sub, `${path}/properties/${name}`);
}

function checkVersionsFile() {
  const text = readFileSync(join(ROOT, 'src', 'core', 'versions.ts'), 'utf8');
  const m = /API_VERSIONS\s*=\s*\[([^\]]*)\]/.exec(text);
  const listed = m ? [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]) : [];
  if (listed.join() !== API_VERSIONS.join())
    fail(`API_VERSIONS differ from src/core/versions.ts (${listed.join(', ')})`);
}

function writeJson(file, value) {
  writeFileSync(join(SCHEMAS, file), JSON.stringify(value, null, 2) + '\n');
  console.log(`wrote schemas/${file}`);
}

function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--extract');
  if (at !== -1) {
    const dir = args[at + 1];
    if (!dir) fail('--extract needs a folder');
    extract(dir);
  }
  checkVersionsFile();
  const extracts = loadExtracts();
  mkdirSync(SCHEMAS, { recursive: true });
  const perVersion = {};
  for (const version of API_VERSIONS) {
    perVersion[version] = versionSchema(version, extracts);
    writeJson(`${version}.schema.json`, perVersion[version]);
  }
  const editor = editorSchema(perVersion);
  assertNoValidation(editor, '');
  writeJson('userupdate.schema.json', editor);
}

main();
