/**
 * The Node.js a generated project needs, in one place: package.json `engines`, and the warning `create` prints
 * when the Node running the generator is older (the generator itself runs on Node 20.19, which is end-of-life;
 * the projects it writes target the maintained lines, 22 and 24).
 */
export const PROJECT_NODE_MAJOR = 22;
export const PROJECT_ENGINES = `>=${PROJECT_NODE_MAJOR}`;

/** One line when `running` (a `process.versions.node`) is below the project's engines; otherwise undefined. */
export function nodeVersionWarning(running: string = process.versions.node): string | undefined {
  const major = Number.parseInt(running, 10);
  if (major >= PROJECT_NODE_MAJOR) return undefined;
  return (
    `Node ${running} is running this, but the project needs Node ${PROJECT_ENGINES} (package.json "engines"): ` +
    `switch to Node ${PROJECT_NODE_MAJOR} or 24 (e.g. \`nvm install 24\`) before you install and run it; ` +
    `under Node ${major} yarn refuses to install it (npm and pnpm only warn).`
  );
}
