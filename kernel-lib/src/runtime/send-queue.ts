/**
 * tslab sends every output with `socket.send(...)` and never awaits it. A zeromq v6 socket allows
 * one send in flight: once its queue is full (a burst of outputs, e.g. a fast loop that prints or
 * updates a chart), the next send rejects with "Socket is busy writing", and the cell fails with
 * no error text or the kernel exits. Chaining the kernel's publisher sends one after another keeps
 * their order and never has two in flight. Installed once, inside the kernel only.
 */
import { type SendingSocket, type ZeromqModule, loadTslabZeromq, shadowPublisherSend } from "../internals/zeromq";

const INSTALLED = Symbol.for("llm-lessons.send-queue");

/** Serialise sends of zeromq Publisher sockets in this process (tslab's zeromq by default); returns false if unavailable. */
export function installSendQueue(zmq: ZeromqModule | null = loadTslabZeromq()): boolean {
  if (!zmq) return false;
  const proto = zmq.Publisher.prototype as SendingSocket & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) return true;
  shadowPublisherSend(zmq, (send) => {
    const queues = new WeakMap<object, Promise<void>>();
    return function queuedSend(this: SendingSocket, message: unknown): Promise<void> {
      const previous = queues.get(this) ?? Promise.resolve();
      const next = previous.then(() => send.call(this, message));
      // A failed send must not block the ones behind it; the caller still sees the rejection.
      queues.set(
        this,
        next.catch(() => undefined),
      );
      return next;
    };
  });
  Object.defineProperty(proto, INSTALLED, { value: true });
  return true;
}
