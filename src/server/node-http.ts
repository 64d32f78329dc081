// For answers given before the request body was read (over a limit, refused): the rest of the
// body is read and dropped as it comes, up to MAX_DRAIN_BYTES, like nginx's lingering close.
// Closing a connection with unread data makes the kernel reset it, and the client, still busy
// sending, would see the reset instead of the answer.
import type http from 'node:http';

export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export function drainBody(req: http.IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
}
