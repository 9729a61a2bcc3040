import { withBaseFiles } from '../update/base.js';
import type { Answers } from './answers.js';
import { withLock } from './lock.js';
import { type RenderOptions, render } from './render.js';
import type { VirtualTree } from './tree.js';

/**
 * Exactly what `create` writes for these answers: the rendered tree, its lock file, and the merge-base snapshot
 * that `add` / `update` need later (.prod-mcp/; the lock does not list it). The e2e harness uses this too, so
 * the projects it tests are byte for byte what users get.
 */
export const projectFiles = (answers: Answers, options?: RenderOptions): VirtualTree =>
  withBaseFiles(withLock(answers, render(answers, options)));
