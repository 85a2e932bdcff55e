import { setMaxListeners } from 'node:events';

/**
 * An AbortController whose signal many waits share at once (every held
 * answer, every pending status callback). Each wait adds a listener and
 * removes it when done, so Node's leak warning past 10 listeners is a false
 * alarm here: the limit is lifted for this signal only.
 */
export function sharedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
