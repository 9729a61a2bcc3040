// Build step after tsc: precompiles every Handlebars template into dist/ so a create loads only Handlebars'
// runtime instead of parsing and compiling templates (src/core/handlebars.ts explains; issue 15).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const { loadTemplates } = await import(join(dist, 'core/templates.js'));
const { PRECOMPILED_FILE, precompiledModule } = await import(join(dist, 'core/precompiled.js'));
const { precompileSource } = await import(join(dist, 'core/handlebars.js'));

writeFileSync(join(dist, PRECOMPILED_FILE), precompiledModule(loadTemplates(), precompileSource));
