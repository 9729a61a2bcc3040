import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { REVISIONS, runSuite, type Score } from './conformance.js';
import { ensureNode24, NODE24_BIN } from './node.js';

/**
 * The official suite's totals for a bare SDK server (bare-server.mjs: one tool, the SDK's handler, nothing of
 * ours), run from a generated project's directory so it uses the same SDK version the project installed.
 */
export async function bareServerScores(projectDir: string): Promise<Score[]> {
  await ensureNode24();
  const script = join(projectDir, 'bare-server.mjs');
  await copyFile(join(import.meta.dirname, 'bare-server.mjs'), script);
  const child = execa(join(NODE24_BIN, 'node'), [script], { cwd: projectDir, reject: false });
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      child.stdout?.once('data', (chunk: Buffer) => resolve(new URL(chunk.toString().trim())));
      child.once('exit', (code) => reject(new Error(`bare-server.mjs exited with ${code}`)));
    });
    const scores: Score[] = [];
    for (const revision of REVISIONS) scores.push(await runSuite(url, revision));
    return scores;
  } finally {
    child.kill('SIGTERM');
    await child;
  }
}
