import { type Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';

/** A Dockerfile as the checks need it: its stages, each with its instructions in order. */
export interface Stage {
  name?: string;
  image: string;
  instructions: Instruction[];
}

export interface CopyStep {
  /** `--from=<stage>`; undefined copies from the build context. */
  from?: string;
  sources: string[];
  dest: string;
}

export function parseStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const args = instruction.getArguments().map((a) => a.getValue());
    if (instruction.getKeyword() === 'FROM') {
      const [image = '', as, name] = args;
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${instruction.getKeyword()} before the first FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

export const args = (instruction: Instruction): string[] =>
  instruction.getArguments().map((a) => a.getValue());

export const ofKind = (stage: Stage, keyword: string): Instruction[] =>
  stage.instructions.filter((i) => i.getKeyword() === keyword);

/** The argv of an exec-form (JSON array) command, or undefined when it is in shell form. */
export function execForm(words: string[]): string[] | undefined {
  const text = words.join(' ');
  if (!text.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) && parsed.every((w) => typeof w === 'string') ? parsed : undefined;
}

/** ENV of a stage, in order (later wins), as the container's process will see it. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of ofKind(stage, 'ENV')) {
    for (const word of args(instruction)) {
      const eq = word.indexOf('=');
      if (eq <= 0) throw new Error(`ENV in legacy "ENV name value" form: ${word}`);
      env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  return env;
}

export function copySteps(stage: Stage): CopyStep[] {
  return ofKind(stage, 'COPY').map((instruction) => {
    const words = args(instruction);
    const from = (instruction as Copy).getFromFlag()?.getValue() ?? undefined;
    return { from, sources: words.slice(0, -1), dest: words.at(-1) ?? '' };
  });
}

/** Docker-style glob (`*`, `?`, `**`) → a RegExp over POSIX paths. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` is any number of folders, including none.
      const folders = pattern[i + 2] === '/';
      source += folders ? '(?:.*/)?' : '.*';
      i += folders ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Paths of `files` a COPY source names: the file itself, everything under a folder, or a glob's matches. */
export function matchSource(source: string, files: Iterable<string>): string[] {
  const clean = source.replace(/^\.\//, '').replace(/\/$/, '');
  const glob = globToRegExp(clean);
  return [...files].filter((file) => glob.test(file) || file.startsWith(`${clean}/`));
}

/**
 * Whether `.dockerignore` keeps `path` out of the build context: patterns in order, the last match wins,
 * `!` re-includes, and a pattern matching a folder matches everything under it (Docker's rules).
 */
export function isIgnored(dockerignore: string, path: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, regexp: globToRegExp(pattern) };
    });
  const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (prefixes.some((prefix) => rule.regexp.test(prefix))) ignored = !rule.negate;
  }
  return ignored;
}
