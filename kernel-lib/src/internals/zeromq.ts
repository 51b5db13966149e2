/**
 * zeromq as tslab loads it, the one reach into zeromq from kernel-lib. tslab sends every output on
 * a zeromq `Publisher` (the iopub socket) without awaiting the send; runtime/send-queue.ts chains
 * those sends by replacing `Publisher.prototype.send` inside the kernel.
 *
 * kernel-lib does not depend on zeromq: the module is resolved from tslab's own folder, so it is
 * the very copy (and class) tslab uses. Shape relied on (zeromq ZEROMQ_PINNED): the module exports
 * a class `Publisher` whose prototype inherits `send(message): Promise<void>` from its base Socket
 * class, defined there read-only but configurable, so that an own `send` on `Publisher.prototype`
 * can shadow it. test/unit/internals/zeromq.test.ts fails, naming the pinned version, when that
 * changes.
 */
import { readFileSync } from "fs";
import { dirname, join } from "path";
import { tslabDir } from "./tslab";

/** The zeromq version this module was written against (the one tslab 1.0.22 installs here). */
export const ZEROMQ_PINNED = "6.8.0";

export interface SendingSocket {
  send(message: unknown): Promise<void>;
}

export interface ZeromqModule {
  Publisher: { prototype: SendingSocket };
}

/** Path of zeromq's entry as tslab resolves it; throws when tslab or zeromq is missing. */
function tslabZeromqPath(): string {
  return require.resolve("zeromq", { paths: [tslabDir()] });
}

/** tslab's zeromq module, or null when tslab or its zeromq is not installed. */
export function loadTslabZeromq(): ZeromqModule | null {
  try {
    return require(tslabZeromqPath()) as ZeromqModule;
  } catch {
    return null;
  }
}

/** The version of tslab's zeromq, or null when it cannot be read. */
export function tslabZeromqVersion(): string | null {
  try {
    const pkg = require.resolve("zeromq/package.json", { paths: [tslabDir()] });
    return (JSON.parse(readFileSync(pkg, "utf8")) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** The property descriptor of `send` that Publisher instances see, and the prototype holding it. */
function sendDescriptor(zmq: ZeromqModule): { owner: object; descriptor: PropertyDescriptor } | null {
  for (let o: object | null = zmq.Publisher.prototype; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(o, "send");
    if (descriptor) return { owner: o, descriptor };
  }
  return null;
}

/**
 * Give `Publisher.prototype` its own `send` (shadowing the inherited, read-only one) built from
 * the inherited one by `wrap`. Every Publisher in this process, existing or future, uses it.
 */
export function shadowPublisherSend(zmq: ZeromqModule, wrap: (inherited: SendingSocket["send"]) => SendingSocket["send"]): void {
  const proto = zmq.Publisher.prototype;
  const inherited = proto.send;
  Object.defineProperty(proto, "send", { value: wrap(inherited), writable: true, configurable: true });
}

/** What no longer matches the shape this module relies on; empty when all is well. */
export function zeromqShapeProblems(zmq: ZeromqModule | null = loadTslabZeromq()): string[] {
  const problems: string[] = [];
  if (zmq === null) {
    problems.push(`zeromq could not be loaded from tslab's folder (${join(safeTslabDir(), "node_modules")} or above)`);
  } else if (typeof (zmq.Publisher as unknown) !== "function") {
    problems.push("zeromq no longer exports a Publisher class");
  } else {
    const found = sendDescriptor(zmq);
    if (found === null || typeof found.descriptor.value !== "function") {
      problems.push("Publisher instances no longer have a send method");
    } else if (found.owner === zmq.Publisher.prototype && found.descriptor.configurable !== true) {
      problems.push("Publisher.prototype.send is its own, non-configurable property: it can no longer be shadowed");
    }
  }
  const version = tslabZeromqVersion();
  return problems.map((p) => `zeromq ${version ?? "(version unknown)"} (kernel-lib/src/internals/zeromq.ts is written for ${ZEROMQ_PINNED}): ${p}`);
}

function safeTslabDir(): string {
  try {
    return tslabDir();
  } catch {
    return dirname("node_modules/tslab/package.json");
  }
}
