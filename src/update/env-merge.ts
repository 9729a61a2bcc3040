import type { StructuredMerge } from './json-merge.js';
import { splitLines } from './text.js';

/**
 * Key-level three-way merge of `.env.example`. The file is read as blocks: a block is one variable's line
 * (`KEY=value`, or `# KEY=value` for an optional one) together with every line since the previous variable
 * (its description, and a section heading or blank line when it opens a section). So a new variable arrives
 * with its description and heading, and the user's own variables and comments stay where they put them.
 */

interface Block {
  key?: string;
  text: string;
}

const LIVE_KEY = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;
/** A commented-out variable: upper case only, so a description like `# Default=3000` is not taken for one. */
const COMMENTED_KEY = /^\s*#\s*([A-Z_][A-Z0-9_]*)=/;

const keyOf = (line: string): string | undefined => (LIVE_KEY.exec(line) ?? COMMENTED_KEY.exec(line))?.[1];

/** Blocks in file order; the lines after the last variable form a final block without a key. */
export function parseEnvBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let pending = '';
  for (const line of splitLines(text)) {
    pending += line;
    const key = keyOf(line);
    if (key !== undefined) {
      blocks.push({ key, text: pending });
      pending = '';
    }
  }
  if (pending !== '') blocks.push({ text: pending });
  return blocks;
}

/** First block per key (a user may have both `# KEY=` and `KEY=`; the first one is the one we wrote). */
function byKey(blocks: readonly Block[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const block of blocks)
    if (block.key !== undefined && !map.has(block.key)) map.set(block.key, block.text);
  return map;
}

export function mergeEnv(ours: string, base: string, theirs: string): StructuredMerge {
  const result = parseEnvBlocks(ours);
  const baseBlocks = parseEnvBlocks(base);
  const theirBlocks = parseEnvBlocks(theirs);
  const [b, t, o] = [byKey(baseBlocks), byKey(theirBlocks), byKey(result)];
  const notes: string[] = [];

  // Variables the user has: update or remove the ones we wrote and they left alone.
  for (let i = result.length - 1; i >= 0; i--) {
    const block = result[i];
    const key = block?.key;
    if (block === undefined || key === undefined || o.get(key) !== block.text) continue;
    const [was, now] = [b.get(key), t.get(key)];
    if (was === undefined || was === now) continue;
    if (block.text === was) {
      if (now === undefined) result.splice(i, 1);
      else block.text = now;
    } else if (now === undefined) notes.push(`kept ${key}: you changed it, and it is no longer used`);
    else notes.push(`kept your ${key}; create-prod-mcp now writes:\n${now.trimEnd()}`);
  }

  // New variables go after the nearest variable that precedes them in the new file.
  const order = theirBlocks.flatMap((block) => (block.key === undefined ? [] : [block.key]));
  for (const [index, key] of order.entries()) {
    if (o.has(key)) continue;
    if (b.has(key)) {
      notes.push(`not re-added ${key}: you removed it`);
      continue;
    }
    const at = (k: string) => result.findIndex((block) => block.key === k);
    const after = order
      .slice(0, index)
      .reverse()
      .map(at)
      .find((i) => i !== -1);
    const before = order
      .slice(index + 1)
      .map(at)
      .find((i) => i !== -1);
    const tail = result.at(-1)?.key === undefined ? result.length - 1 : result.length;
    const position = after !== undefined ? after + 1 : (before ?? Math.max(tail, 0));
    result.splice(position, 0, { key, text: t.get(key) ?? '' });
    o.set(key, t.get(key) ?? '');
  }

  // The trailing comment lines, if any: ours unless only the generator changed them.
  const tailOf = (list: readonly Block[]): string =>
    list.at(-1)?.key === undefined ? (list.at(-1)?.text ?? '') : '';
  const [ourTail, baseTail, theirTail] = [tailOf(result), tailOf(baseBlocks), tailOf(theirBlocks)];
  // A block we put after the user's last line must start on a line of its own.
  let text = result
    .map((block, i) => (i < result.length - 1 && !block.text.endsWith('\n') ? `${block.text}\n` : block.text))
    .join('');
  if (ourTail === baseTail && theirTail !== baseTail)
    text = text.slice(0, text.length - ourTail.length) + theirTail;
  return { text, notes };
}
