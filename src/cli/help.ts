import { GENERATOR } from '../core/version.js';

/** The public contract of the command line (issue 2); keep names stable, add rather than rename. */
export const HELP = `${GENERATOR.name} ${GENERATOR.version}
Generate a production-grade MCP server (TypeScript, MCP SDK v2), and keep it up to date.

Usage:
  create-prod-mcp [directory] [options]        create a new project
  create-prod-mcp add <feature...> [options]   add or switch features in an existing project (--cwd, default .)
  create-prod-mcp update [options]             re-render an existing project with this generator version

  features: http stdio api-key jwt gateway memory redis docker systemd k8s otel metrics
  (a slot feature switches: add jwt on an api-key project; add http on a stdio project gives both transports;
   to remove one: update --auth none / --rate-limit none / --no-docker / --transport http)

  directory: where to create the project (default: my-mcp-server; asked for on a terminal)

Options:
  --name <package-name>                        default: the directory's name
  --transport <stdio|http|both>                default: both
  --auth <none|api-key|jwt|gateway>            default: api-key (none with --transport stdio)
  --rate-limit <none|memory|redis>             default: memory (none with --transport stdio)
  --docker / --no-docker                       default: on
  --systemd / --no-systemd                     default: off
  --k8s / --no-k8s                             default: off (Kubernetes manifests; needs --docker)
  --otel / --no-otel                           default: off
  --metrics / --no-metrics                     default: off
  --pm <npm|pnpm|yarn|bun>                     default: detected from how it was invoked
  --install / --no-install, --git / --no-git   default: on
  --cwd <dir>                                  add/update: the project directory (default .)
  -y, --yes                                    never prompt; defaults for anything not given
  --dry-run                                    print what would be written (and diffs for add/update); write nothing
  --force                                      allow a non-empty directory / a dirty git tree
  -h, --help, -v, --version

Auth, rate limits, metrics, systemd and Kubernetes serve an HTTP listener: with --transport stdio they are
off, and asking for them is an error. Prompts appear only on a terminal, outside CI, without --yes.

Exit codes: 0 done, 1 failed (install, git, I/O) or conflicts left to resolve (add/update), 2 usage error (nothing written), 130 cancelled.

Examples:
  npm create prod-mcp@latest my-server
  npx create-prod-mcp my-server --yes --transport http --auth jwt --rate-limit redis --otel --metrics
  npx create-prod-mcp add redis --cwd my-server
  npx create-prod-mcp update --cwd my-server --dry-run
`;
