/**
 * What every driver shares: reading the plan (JSON in argv[2]) and printing what the client handed back, as
 * one JSON line on stdout. A plan is a connection and a list of steps, run in order:
 *   { "transport": { "type": "http", "url": "…", "headers": {…} }
 *                | { "type": "stdio", "command": "…", "args": […], "env": {…} },
 *     "steps": [{ "id": "list", "list": true }, { "id": "ok", "tool": "…", "arguments": {…} }, …] }
 * A step's outcome is what the client's caller holds: a result (`result`), or what it threw (`thrown`).
 */
export function readPlan() {
  return JSON.parse(process.argv[2]);
}

export function thrown(error) {
  return {
    thrown: {
      name: error?.constructor?.name,
      message: String(error?.message ?? error),
      code: error?.code,
      data: error?.data,
    },
  };
}

export async function runSteps(plan, { list, call }) {
  const outcomes = {};
  for (const step of plan.steps) {
    try {
      outcomes[step.id] = step.list ? { tools: await list() } : { result: await call(step) };
    } catch (error) {
      outcomes[step.id] = thrown(error);
    }
  }
  return outcomes;
}

export function print(report) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
