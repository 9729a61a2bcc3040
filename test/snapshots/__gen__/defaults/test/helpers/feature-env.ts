/** What this project's features need to start in a test, beyond what each test passes: nothing. */
export const featureTestEnv = (): Record<string, string> => ({});
