/** Work slice length: long enough to make progress, short enough to keep the page responsive. */
export const SLICE_MS = 12;

const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();

/**
 * Resolves in a fresh task, letting the browser paint and handle input first. A message
 * channel is used because nested timers are clamped to 4 ms or more.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** Resolves after the next frame has been painted. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
