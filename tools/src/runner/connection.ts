/**
 * The connection file a kernel is started with: five TCP ports on 127.0.0.1 and the HMAC key that
 * signs every message (Jupyter's "connection file" format).
 */
import { randomBytes } from "crypto";
import { writeFileSync } from "fs";
import { createServer } from "net";

/** The content of a Jupyter connection file. */
export interface ConnectionInfo {
  transport: "tcp";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name: string;
}

/** A port that is free on `host` right now (the OS picks it). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`could not get a free port on ${host}`))));
    });
  });
}

/** Fresh connection info: five distinct free ports on 127.0.0.1 and a random 256-bit key. */
export async function makeConnectionInfo(kernelName = "llm-lessons"): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(await freePort());
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = [...ports];
  return {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port,
    iopub_port,
    stdin_port,
    control_port,
    hb_port,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: kernelName,
  };
}

/** Write `info` to `path`, readable by this user only (the key is a secret). */
export function writeConnectionFile(path: string, info: ConnectionInfo): void {
  writeFileSync(path, JSON.stringify(info, null, 2), { mode: 0o600 });
}

/** The ZeroMQ address of one channel, e.g. `tcp://127.0.0.1:52011`. */
export function channelAddress(info: ConnectionInfo, channel: "shell" | "iopub" | "stdin" | "control" | "hb"): string {
  return `${info.transport}://${info.ip}:${info[`${channel}_port`]}`;
}
