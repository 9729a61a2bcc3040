/**
 * Managed by create-prod-mcp: the feature modules this server is composed of, in setup order.
 * `create-prod-mcp add` and `create-prod-mcp update` rewrite this file; edit the feature folders instead.
 */
import { stdio } from './features/stdio/index.js';

export const features = [stdio] as const;
