import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  args,
  copySteps,
  execForm,
  isIgnored,
  matchSource,
  ofKind,
  parseStages,
  type Stage,
  stageEnv,
} from '../deploy/dockerfile.js';
import { runIn } from './harness.js';

/**
 * There is no Docker engine on these machines, so this carries out a Dockerfile's instructions itself, one
 * folder per stage standing in for that stage's WORKDIR: COPY from the build context (after .dockerignore)
 * or from an earlier stage, RUN through `sh -c` on the image's Node (24), ENV/USER/HEALTHCHECK/CMD recorded
 * for the runtime. It understands exactly the instructions our Dockerfile uses and refuses any other, so a
 * Dockerfile change it cannot follow fails loudly instead of being skipped.
 */
export interface BuiltImage {
  /** The runtime stage's WORKDIR, as the container sees it. */
  root: string;
  env: Record<string, string>;
  user: string;
  cmd: string[];
  /** undefined for `HEALTHCHECK NONE`. */
  healthcheck?: string[];
  exposed: string[];
  remove(): Promise<void>;
}

const HANDLED = new Set(['WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'LABEL']);

/** Files of the build context that a COPY source names, with .dockerignore applied as Docker does. */
async function contextFiles(context: string, source: string, dockerignore: string): Promise<string[]> {
  const walk = async (rel: string): Promise<string[]> => {
    const info = await stat(join(context, rel)).catch(() => undefined);
    if (!info) return [];
    if (!info.isDirectory()) return [rel];
    const entries = await readdir(join(context, rel));
    return (await Promise.all(entries.map((entry) => walk(`${rel}/${entry}`)))).flat();
  };
  const top = (await readdir(context)).filter(
    (entry) => matchSource(source.split('/')[0] ?? '', [entry]).length,
  );
  const candidates = (await Promise.all(top.map(walk))).flat();
  return matchSource(source, candidates).filter((file) => !isIgnored(dockerignore, file));
}

/** COPY semantics: a folder's contents go into the destination; files keep their names under a `/` destination. */
async function copyInto(fromRoot: string, files: string[], source: string, toRoot: string, dest: string) {
  const prefix = source.replace(/^\.\//, '').replace(/\/$/, '');
  for (const file of files) {
    const target = dest.endsWith('/')
      ? join(toRoot, dest, file.startsWith(`${prefix}/`) ? file.slice(prefix.length + 1) : basename(file))
      : join(toRoot, dest, file.startsWith(`${prefix}/`) ? file.slice(prefix.length + 1) : '');
    await cp(join(fromRoot, file), target, { recursive: true, force: true });
  }
}

export async function buildImage(context: string): Promise<BuiltImage> {
  const work = await mkdtemp(join(tmpdir(), 'prod-mcp-image-'));
  try {
    return await build(context, work);
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}

async function build(context: string, work: string): Promise<BuiltImage> {
  const text = await readFile(join(context, 'Dockerfile'), 'utf8');
  const dockerignore = await readFile(join(context, '.dockerignore'), 'utf8').catch(() => '');
  const stages = parseStages(text);
  const roots = new Map<string, { root: string; workdir: string }>();
  let image: BuiltImage | undefined;

  for (const [index, stage] of stages.entries()) {
    const root = join(work, stage.name ?? `stage-${index}`);
    await mkdir(root, { recursive: true });
    const workdir = args(ofKind(stage, 'WORKDIR')[0] ?? failOn(stage, 'has no WORKDIR'))[0] ?? '';
    for (const instruction of stage.instructions) {
      if (!HANDLED.has(instruction.getKeyword())) {
        failOn(stage, `uses ${instruction.getKeyword()}, which this builder does not carry out`);
      }
    }
    const copies = copySteps(stage);
    let copyIndex = 0;
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword === 'COPY') {
        const step = copies[copyIndex++];
        if (!step) throw new Error('COPY steps out of sync');
        for (const source of step.sources) {
          if (step.from) {
            const from = roots.get(step.from) ?? failOn(stage, `copies from unknown stage ${step.from}`);
            const rel = source.startsWith(`${from.workdir}/`)
              ? source.slice(from.workdir.length + 1)
              : source;
            await copyInto(from.root, [rel], rel, root, step.dest);
          } else {
            const files = await contextFiles(context, source, dockerignore);
            if (files.length === 0) failOn(stage, `COPY ${source}: nothing in the build context`);
            await copyInto(context, files, source, root, step.dest);
          }
        }
      } else if (keyword === 'RUN') {
        // A warm npm cache stands in for Docker's layer cache; the command itself is the Dockerfile's.
        await runIn(root, 'sh', ['-c', args(instruction).join(' ')], {
          node: 24,
          env: { npm_config_prefer_offline: 'true' },
        });
      }
    }
    roots.set(stage.name ?? String(index), { root, workdir });

    if (index === stages.length - 1) {
      const cmd = execForm(args(ofKind(stage, 'CMD')[0] ?? failOn(stage, 'has no CMD')));
      const [sub, ...rest] = args(ofKind(stage, 'HEALTHCHECK')[0] ?? failOn(stage, 'has no HEALTHCHECK'));
      // The container's user must be able to reach its WORKDIR (mkdtemp makes 0700 folders).
      await chmod(work, 0o755);
      await chmod(root, 0o755);
      image = {
        root,
        env: stageEnv(stage),
        user: args(ofKind(stage, 'USER')[0] ?? failOn(stage, 'has no USER'))[0] ?? '',
        cmd: cmd ?? failOn(stage, 'CMD is not in exec form'),
        healthcheck: sub === 'CMD' ? execForm(rest) : undefined,
        exposed: ofKind(stage, 'EXPOSE').flatMap(args),
        // KEEP_E2E=1 keeps it to look at, as the harness does with projects.
        remove: () =>
          process.env.KEEP_E2E === '1' ? Promise.resolve() : rm(work, { recursive: true, force: true }),
      };
    }
  }
  if (!image) throw new Error('Dockerfile has no stages');
  return image;
}

function failOn(stage: Stage, problem: string): never {
  throw new Error(`Dockerfile stage ${stage.name ?? '(runtime)'} ${problem}`);
}
