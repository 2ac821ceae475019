// Placeholder: compiles schemas/<version>.schema.json into ajv standalone validators.
