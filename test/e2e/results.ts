/**
 * The generated project's own reader of failed tool results, used as is: the e2e suite holds the server to
 * the same delivery contract (no structuredContent, envelope in text and `_meta`) as the project's tests do.
 */
export { envelopeOf } from '../../templates/base/test/helpers/results.js';
