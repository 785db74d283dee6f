import net from "node:net";
import { Transform } from "node:stream";

/**
 * A TCP relay in front of the PostgreSQL server, so a test can take "the database" away from the app and
 * bring it back without touching the server that other tests use.
 */
export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  /**
   * What a client sees when PostgreSQL restarts: every connection gets the server's FATAL 57P01 ("terminating
   * connection due to administrator command") and is closed, then connecting is refused (nothing listens) for
   * `downMs`, then the server accepts again. Resolves once it does.
   */
  restart(downMs: number): Promise<void>;
  /**
   * Every open connection goes quiet (nothing relayed either way, nothing closed); new ones work as before.
   */
  silenceOpenConnections(): void;
  /**
   * The next client message whose bytes match `pattern` is not passed on: its connection is closed both ways
   * instead, as a pooler or a network does when it drops a server connection mid-transaction. Resolves then.
   */
  dropConnectionAt(pattern: RegExp): Promise<void>;
  close(): Promise<void>;
}

/**
 * PostgreSQL's ErrorResponse message for an administrator shutdown, as the backend sends it before closing.
 */
function adminShutdownMessage(): Buffer {
  const fields = Buffer.from(
    "SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0",
    "latin1",
  );
  const header = Buffer.alloc(5);
  header.write("E", 0, "latin1");
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; outbound: Transform }>();
  let down = false;
  let dropAt: { pattern: RegExp; dropped: () => void } | null = null;
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    const outbound = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (dropAt && dropAt.pattern.test(chunk.toString("latin1"))) {
          dropAt.dropped();
          dropAt = null;
          client.destroy();
          upstream.destroy();
          return done();
        }
        done(null, chunk);
      },
    });
    const pair = { client, upstream, outbound };
    pairs.add(pair);
    client.on("close", () => pairs.delete(pair));
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(outbound).pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    silenceOpenConnections() {
      for (const { client, upstream, outbound } of pairs) {
        client.unpipe(outbound);
        outbound.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      pairs.clear();
    },
    async restart(downMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const { client, upstream } of pairs) {
        upstream.unpipe(client);
        upstream.destroy();
        client.end(adminShutdownMessage());
        setTimeout(() => client.destroy(), 100);
      }
      await closed;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    },
    dropConnectionAt: (pattern) => new Promise<void>((resolve) => (dropAt = { pattern, dropped: resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
