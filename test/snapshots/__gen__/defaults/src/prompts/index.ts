import type { PromptDefinition } from '../core/prompt.js';
import { useToolV1 } from './use-tool.js';

/**
 * Every published prompt version. Like tools, a published prompt's arguments never change
 * (`npm run tools:check`): add a new version and deprecate the old one instead.
 */
export const prompts: readonly PromptDefinition[] = [useToolV1];
