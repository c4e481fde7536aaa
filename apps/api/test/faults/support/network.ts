import { execFile } from "node:child_process";
import { randomInt } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { promisify } from "node:util";

// Network namespaces for the partition fault (OPS-5): each process of the cluster in a namespace
// of its own, joined to the test's namespace by a veth pair on one bridge there, on a private
// /24 that leads nowhere else (no route out, no forwarding). The test's servers stay on loopback;
// a relay on the bridge address passes each one's port on, as a network between machines would.
// Cutting a process's link sets its veth down: its packets are lost without a reset, as when a
// machine or a switch port dies, so the peers on both sides hear nothing at all.

const run = promisify(execFile);

async function ip(...args: string[]): Promise<void> {
  await run("ip", args, { timeout: 10_000 });
}

/** One process's namespace: where it listens and what cuts it off. */
export interface Namespace {
  readonly name: string;
  /** Its address on the bridge. */
  readonly address: string;
  /** Sets its link down: nothing reaches it, nothing leaves it, and nobody is told. */
  cut(): Promise<void>;
}

/** The namespaces of one test, the bridge joining them to the test, and the relays to its servers. */
export interface Network {
  /** The test's own address on the bridge, where the relays listen. */
  readonly hostAddress: string;
  readonly namespaces: readonly Namespace[];
  /** Listens on the bridge address and passes every connection on to `127.0.0.1:port`; its port. */
  relay(port: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Creates `count` namespaces on a bridge of their own. Fails, never skips, with a sentence when
 * the machine cannot: the test needs iproute2 and root (CAP_NET_ADMIN), as CI has.
 */
export async function startNetwork(count: number): Promise<Network> {
  const tag = randomInt(0x1000, 0xffff).toString(16);
  const subnet = `10.${randomInt(64, 250)}.${randomInt(1, 250)}`;
  const bridge = `ccbr${tag}`;
  const names: string[] = [];
  const relays = new Set<Server>();
  const sockets = new Set<Socket>();
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of relays) server.close();
    for (const name of names) await ip("netns", "del", name).catch(() => undefined);
    await ip("link", "del", bridge).catch(() => undefined);
  };
  try {
    await ip("link", "add", bridge, "type", "bridge");
  } catch (error) {
    throw new Error(
      `The network-partition fault test needs network namespaces, and this machine cannot make them: "ip link add … type bridge" failed (${(error as Error).message.split("\n")[0]}). Run the tests as root with iproute2 installed (apt-get install iproute2), as .ci/run does.`,
    );
  }
  try {
    await ip("addr", "add", `${subnet}.1/24`, "dev", bridge);
    await ip("link", "set", bridge, "up");
    const namespaces: Namespace[] = [];
    for (let i = 0; i < count; i++) {
      const name = `cc-${tag}-${i}`;
      const outside = `cc${tag}h${i}`;
      const inside = `cc${tag}n${i}`;
      const address = `${subnet}.${i + 2}`;
      await ip("netns", "add", name);
      names.push(name);
      await ip("link", "add", outside, "type", "veth", "peer", "name", inside);
      await ip("link", "set", inside, "netns", name);
      await ip("link", "set", outside, "master", bridge);
      await ip("link", "set", outside, "up");
      await ip("-n", name, "addr", "add", `${address}/24`, "dev", inside);
      await ip("-n", name, "link", "set", inside, "up");
      await ip("-n", name, "link", "set", "lo", "up");
      namespaces.push({ name, address, cut: () => ip("link", "set", outside, "down") });
    }
    return {
      hostAddress: `${subnet}.1`,
      namespaces,
      relay: (port) =>
        new Promise((resolve, reject) => {
          const server = createServer((incoming) => {
            const outgoing = connect(port, "127.0.0.1");
            for (const socket of [incoming, outgoing]) {
              sockets.add(socket);
              socket.on("close", () => sockets.delete(socket));
              socket.on("error", () => {
                incoming.destroy();
                outgoing.destroy();
              });
            }
            incoming.pipe(outgoing).pipe(incoming);
          });
          relays.add(server);
          server.once("error", reject);
          server.listen(0, `${subnet}.1`, () => {
            const address = server.address();
            resolve(typeof address === "object" && address ? address.port : 0);
          });
        }),
      close,
    };
  } catch (error) {
    await close();
    throw new Error(
      `The network-partition fault test could not set up its namespaces: ${(error as Error).message.split("\n")[0]}`,
    );
  }
}
