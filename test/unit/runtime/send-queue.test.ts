import { describe, expect, it } from "vitest";
import { installSendQueue } from "../../../kernel-lib/src/runtime/send-queue";

/** A stand-in for zeromq's Publisher: one send in flight at a time, like zeromq v6. */
function fakeZmq() {
  const log: string[] = [];
  class Socket {
    inFlight = false;
    send(message: unknown): Promise<void> {
      if (this.inFlight) return Promise.reject(new Error("Socket is busy writing"));
      this.inFlight = true;
      return new Promise((resolve, reject) =>
        setTimeout(() => {
          this.inFlight = false;
          if (message === "bad") reject(new Error("send failed"));
          else {
            log.push(String(message));
            resolve();
          }
        }, 1),
      );
    }
  }
  Object.defineProperty(Socket.prototype, "send", { writable: false });
  class Publisher extends Socket {}
  return { zmq: { Publisher }, log };
}

describe("installSendQueue", () => {
  it("the unpatched socket rejects a second send in flight (the bug it fixes)", async () => {
    const { zmq } = fakeZmq();
    const s = new zmq.Publisher();
    const first = s.send("a");
    await expect(s.send("b")).rejects.toThrow(/busy writing/);
    await first;
  });

  it("chains sends in order with never two in flight, and a failure does not block the rest", async () => {
    const { zmq, log } = fakeZmq();
    expect(installSendQueue(zmq as never)).toBe(true);
    expect(installSendQueue(zmq as never)).toBe(true); // idempotent
    const s = new zmq.Publisher();
    const sends = ["1", "2", "bad", "3"].map((m) => s.send(m));
    await expect(sends[2]).rejects.toThrow("send failed");
    await Promise.all([sends[0], sends[1], sends[3]]);
    expect(log).toEqual(["1", "2", "3"]);
  });
});
