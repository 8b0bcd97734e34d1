// YAML for config tests: js-yaml, which electron-builder already brings (a transitive dependency, no types).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jsYaml = require('js-yaml') as { load(text: string): unknown };

export function parseYaml(text: string): unknown {
  return jsYaml.load(text);
}
