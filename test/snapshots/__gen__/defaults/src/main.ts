import { serve } from './lifecycle.js';
import { prompts } from './prompts/index.js';
import { resources } from './resources/index.js';
import { tools } from './tools/index.js';

await serve({ tools, resources, prompts });
