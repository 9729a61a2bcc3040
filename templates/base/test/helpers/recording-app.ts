import { AppEventBus } from '../../src/core/events.js';
import { createLogger } from '../../src/core/logger.js';
import { captureLogs } from './logs.js';

/** The events and logger a feature gets from the app, with every eviction and log line kept for asserts. */
export function recordingApp() {
  const logs = captureLogs();
  const logger = createLogger({ name: 'test', level: 'info', destination: logs.stream });
  const events = new AppEventBus();
  const evicted: string[] = [];
  events.on('store.evicted', (event) => evicted.push(event.store));
  return { app: { events, logger }, evicted, logs: logs.lines };
}
