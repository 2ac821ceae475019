// ESLint rule `local/no-sleep`: a timer that resolves the promise it is created in is a sleep.
// Reports `setTimeout(resolve, ms)`, `setTimeout(() => resolve(), ms)`, `setTimeout(() => resolve, ms)`
// and `setTimeout(function () { resolve(); }, ms)` where `resolve` is the first parameter of the
// executor of an enclosing `new Promise(…)`, whatever it is called (`r`, `done`, …), with
// `setTimeout` plain or as a member (`timers.setTimeout`). A timer that rejects (a bound on a wait) or
// calls anything else is not a sleep. `node:timers/promises` is refused in eslint.config.mjs.

/** The variable `identifier` refers to, found from the innermost scope outwards. */
function resolved(sourceCode, identifier) {
  for (let scope = sourceCode.getScope(identifier); scope; scope = scope.upper) {
    const reference = scope.references.find((r) => r.identifier === identifier);
    if (reference) return reference.resolved;
  }
  return null;
}

/** True when `node` is an identifier naming the resolve parameter of a `new Promise` executor. */
function isPromiseResolve(sourceCode, node) {
  if (node?.type !== 'Identifier') return false;
  const definition = resolved(sourceCode, node)?.defs[0];
  if (definition?.type !== 'Parameter') return false;
  const executor = definition.node;
  const promise = executor.parent;
  return (
    executor.params[0] === definition.name &&
    promise?.type === 'NewExpression' &&
    promise.callee.type === 'Identifier' &&
    promise.callee.name === 'Promise' &&
    promise.arguments[0] === executor
  );
}

/** `resolve` in `resolve`, `() => resolve`, `() => resolve(x)`, `() => { resolve(x); }`. */
function calledOrNamed(callback) {
  if (callback.type !== 'ArrowFunctionExpression' && callback.type !== 'FunctionExpression') return callback;
  let body = callback.body;
  if (body.type === 'BlockStatement') {
    if (body.body.length !== 1 || body.body[0].type !== 'ExpressionStatement') return undefined;
    body = body.body[0].expression;
  }
  return body.type === 'CallExpression' ? body.callee : body;
}

function isSetTimeout(callee) {
  if (callee.type === 'Identifier') return callee.name === 'setTimeout';
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'setTimeout'
  );
}

export const noSleep = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow timers that only resolve a promise (sleeps): await the condition or event you mean.',
    },
    messages: {
      sleep:
        'Do not sleep: await the condition or event you mean (a fake event, a VS Code event, a selector).',
    },
    schema: [],
  },
  create(context) {
    return {
      CallExpression(node) {
        if (!isSetTimeout(node.callee) || node.arguments.length === 0) return;
        if (isPromiseResolve(context.sourceCode, calledOrNamed(node.arguments[0])))
          context.report({ node, messageId: 'sleep' });
      },
    };
  },
};
