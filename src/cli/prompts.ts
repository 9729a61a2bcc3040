import { basename, resolve } from 'node:path';
import { cancel, confirm, isCancel, select, text } from '@clack/prompts';
import type { Answers } from '../core/answers.js';
import { Cancelled } from '../core/errors.js';
import { defaultsFor, nameProblems, suggestName } from '../core/validate.js';
import type { ParsedArgs } from './args.js';

/**
 * One clack prompt per option not already given as a flag, each defaulting to what `--yes` would pick.
 * Options that only make sense with HTTP are not asked for a stdio-only server. The answers still go through
 * resolveAnswers afterwards: prompts are a way to fill flags, not a second validator.
 */

function check<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) {
    cancel('Cancelled; nothing was written.');
    throw new Cancelled();
  }
  return value as Exclude<T, symbol>;
}

const yesNo = async (message: string, initialValue: boolean): Promise<boolean> =>
  check(await confirm({ message, initialValue }));

export interface Prompted {
  directory: string;
  args: ParsedArgs;
}

export async function promptForMissing(args: ParsedArgs, directory: string | undefined): Promise<Prompted> {
  const a = { ...args.answers };
  const dir =
    directory ??
    check(
      await text({
        message: 'Where should the project go?',
        placeholder: 'my-mcp-server',
        defaultValue: 'my-mcp-server',
      }),
    );
  if (a.name === undefined) {
    const fromDir = basename(resolve(dir));
    a.name = check(
      await text({
        message: 'Package name',
        initialValue: nameProblems(fromDir).length === 0 ? fromDir : suggestName(fromDir),
        validate: (value) => {
          const problems = nameProblems(value ?? '');
          return problems.length > 0 ? problems.join('; ') : undefined;
        },
      }),
    );
  }
  a.transport ??= check(
    await select<Answers['transport']>({
      message: 'Transport',
      initialValue: 'both',
      options: [
        {
          value: 'both',
          label: 'HTTP and stdio',
          hint: 'one codebase: deploy over HTTP, run locally over stdio',
        },
        { value: 'http', label: 'Streamable HTTP', hint: 'a shared, deployed server' },
        { value: 'stdio', label: 'stdio', hint: 'launched by one client on one machine; no auth or limits' },
      ],
    }),
  );
  const http = a.transport !== 'stdio';
  const defaults = defaultsFor(a.transport as Answers['transport']);
  if (http) {
    a.auth ??= check(
      await select<Answers['auth']>({
        message: 'Authentication',
        initialValue: defaults.auth,
        options: [
          { value: 'api-key', label: 'API keys', hint: 'hashed keys, timing-safe compare' },
          { value: 'jwt', label: 'JWT / OAuth 2.1 resource server', hint: 'JWKS or shared secret, scopes' },
          {
            value: 'gateway',
            label: 'Behind an API gateway',
            hint: 'identity asserted by the gateway, with proof',
          },
          { value: 'none', label: 'None', hint: 'only behind something that authenticates' },
        ],
      }),
    );
    a.rateLimit ??= check(
      await select<Answers['rateLimit']>({
        message: 'Rate limits and call budgets',
        initialValue: defaults.rateLimit,
        options: [
          { value: 'memory', label: 'In memory', hint: 'one replica' },
          { value: 'redis', label: 'Redis', hint: 'exact across replicas' },
          { value: 'none', label: 'None' },
        ],
      }),
    );
  }
  a.docker ??= await yesNo('Dockerfile and compose file?', defaults.docker);
  if (http && a.docker) a.k8s ??= await yesNo('Kubernetes manifests?', defaults.k8s);
  if (http) a.systemd ??= await yesNo('systemd unit?', defaults.systemd);
  a.otel ??= await yesNo('OpenTelemetry traces?', defaults.otel);
  if (http) a.metrics ??= await yesNo('Prometheus /metrics?', defaults.metrics);
  const install = args.install ?? (await yesNo('Install dependencies?', true));
  return { directory: dir, args: { ...args, answers: a, install } };
}
