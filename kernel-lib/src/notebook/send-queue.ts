/**
 * tslab sends every output with `socket.send(...)` and never awaits it. A zeromq v6 socket allows
 * one send in flight: once its queue is full (a burst of outputs, e.g. a fast loop that prints or
 * updates a chart), the next send rejects with "Socket is busy writing", and the cell fails with
 * no error text or the kernel exits. Chaining the kernel's publisher sends one after another keeps
 * their order and never has two in flight. Installed once, inside the kernel only.
 */
const INSTALLED = Symbol.for("llm-lessons.send-queue");

interface SendingSocket {
  send(message: unknown): Promise<void>;
}

type PublisherClass = { prototype: SendingSocket & { [INSTALLED]?: boolean } };

/** Serialise sends of zeromq Publisher sockets in this process; returns false if unavailable. */
export function installSendQueue(zmq?: { Publisher: PublisherClass }): boolean {
  let mod = zmq;
  if (!mod) {
    try {
      mod = require("zeromq") as { Publisher: PublisherClass };
    } catch {
      return false;
    }
  }
  const proto = mod.Publisher.prototype;
  if (proto[INSTALLED]) return true;
  const send = proto.send;
  const queues = new WeakMap<object, Promise<void>>();
  const queuedSend = function (this: SendingSocket, message: unknown): Promise<void> {
    const previous = queues.get(this) ?? Promise.resolve();
    const next = previous.then(() => send.call(this, message));
    // A failed send must not block the ones behind it; the caller still sees the rejection.
    queues.set(this, next.catch(() => undefined));
    return next;
  };
  // zeromq defines `send` read-only on its base Socket class: shadow it on Publisher instead.
  Object.defineProperty(proto, "send", { value: queuedSend, writable: true, configurable: true });
  Object.defineProperty(proto, INSTALLED, { value: true });
  return true;
}
