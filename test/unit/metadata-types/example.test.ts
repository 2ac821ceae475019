// The declaration of Clerk's guide ("Override Clerk interfaces with custom types"), checked in single files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brief, declarations, rangeOf, typed } from './helpers';

const types = declarations('globals.d.ts');

const file = (publicMetadata: string, extra = '') =>
  `{\n  "$user_id": "user_2abc",${extra}\n  "public_metadata": ${publicMetadata}\n}\n`;

test('values the declaration allows: no diagnostic', () => {
  const text = file('{ "role": "admin", "seats": 3, "onboarding": { "completed": true, "step": 2 } }');
  assert.deepEqual(typed(text, types), []);
  assert.deepEqual(
    typed(file('{ "role": "member", "plan": "anything", "onboarding": { "completed": false } }'), types),
    [],
  );
});

test('a literal the union does not allow: an error at the value naming what is allowed', () => {
  const text = file('{ "role": "owner" }');
  assert.deepEqual(brief(typed(text, types)), [
    {
      severity: 'error',
      code: 'metadata-type-mismatch',
      message: "'owner' is not a valid 'role': UserPublicMetadata allows 'admin' or 'member'.",
      range: rangeOf(text, '"owner"'),
    },
  ]);
});

test('a wrong type, at the top and at depth', () => {
  const text = file('{ "seats": "3", "onboarding": { "completed": "yes", "step": "two" } }');
  assert.deepEqual(brief(typed(text, types)), [
    {
      severity: 'error',
      code: 'metadata-type-mismatch',
      message: "'seats' must be a number, not a string.",
      range: rangeOf(text, '"3"'),
    },
    {
      severity: 'error',
      code: 'metadata-type-mismatch',
      message: "'onboarding.completed' must be true or false, not a string.",
      range: rangeOf(text, '"yes"'),
    },
    {
      severity: 'error',
      code: 'metadata-type-mismatch',
      message: "'onboarding.step' must be a number, not a string.",
      range: rangeOf(text, '"two"'),
    },
  ]);
  const object = file('{ "onboarding": [true] }');
  assert.deepEqual(brief(typed(object, types)), [
    {
      severity: 'error',
      code: 'metadata-type-mismatch',
      message: "'onboarding' must be an object, not an array.",
      range: rangeOf(object, '[true]'),
    },
  ]);
});

test('merge (the default): null deletes an optional key; on a required key it is an error', () => {
  assert.deepEqual(typed(file('{ "role": null, "onboarding": { "step": null } }'), types), []);
  const text = file('{ "onboarding": { "completed": null } }');
  assert.deepEqual(brief(typed(text, types)), [
    {
      severity: 'error',
      code: 'metadata-required-key',
      message: "'onboarding.completed' is required by UserPublicMetadata; null would delete it.",
      range: rangeOf(text, 'null'),
    },
  ]);
  // A merge writes only what the file has: a missing required key is kept as it is.
  assert.deepEqual(typed(file('{ "onboarding": { "step": 2 } }'), types), []);
});

test('replace ($metadata: "replace"): missing required keys are errors, at the key that holds the object; null is a value', () => {
  const text = file('{ "onboarding": { "step": 2 }, "role": null }', '\n  "$metadata": "replace",');
  assert.deepEqual(brief(typed(text, types)), [
    {
      severity: 'error',
      code: 'metadata-required-key',
      message:
        "'onboarding.completed' is required by UserPublicMetadata, and a replace writes the whole value.",
      range: rangeOf(text, '"onboarding"'),
    },
    {
      severity: 'error',
      code: 'metadata-type-mismatch',
      message: "null is not a valid 'role': UserPublicMetadata allows 'admin' or 'member'.",
      range: rangeOf(text, 'null'),
    },
  ]);
});

test("a key a few edits from a declared one: a warning with a did-you-mean fix ('rol' -> 'role'); other unknown keys are fine", () => {
  const text = file('{ "rol": "admin", "sets": 2, "favouriteColour": "blue" }');
  const found = typed(text, types);
  assert.deepEqual(brief(found), [
    {
      severity: 'warning',
      code: 'metadata-key-typo',
      message: "'rol' is not declared in UserPublicMetadata; did you mean 'role'?",
      range: rangeOf(text, '"rol"'),
    },
    {
      severity: 'warning',
      code: 'metadata-key-typo',
      message: "'sets' is not declared in UserPublicMetadata; did you mean 'seats'?",
      range: rangeOf(text, '"sets"'),
    },
  ]);
  const fix = found[0].fixes?.[0];
  assert.equal(fix?.title, "Change to 'role'");
  const edit = fix!.edits[0];
  assert.equal(
    text.slice(0, edit.offset) + edit.newText + text.slice(edit.offset + edit.length),
    file('{ "role": "admin", "sets": 2, "favouriteColour": "blue" }'),
  );
});

test('private metadata against UserPrivateMetadata; unsafe metadata is not declared, so not checked', () => {
  const text =
    '{"$user_id":"user_1","private_metadata":{"stripeCustomerId":42},"unsafe_metadata":{"anything":[1]}}';
  assert.deepEqual(brief(typed(text, types)), [
    {
      severity: 'error',
      code: 'metadata-type-mismatch',
      message: "'stripeCustomerId' must be a string, not a number.",
      range: rangeOf(text, '42'),
    },
  ]);
});

test('without declarations nothing is typed', () => {
  assert.deepEqual(typed(file('{ "role": "owner", "seats": "3" }'), undefined), []);
});
