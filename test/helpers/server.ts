// A real HTTP server on loopback that serves documents (DID documents, status lists,
// credentials) the way an issuer's web server would. Tests change `routes` as they go.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  body: string | Buffer;
  type?: string;
  status?: number;
  /** Never answer (for timeout tests). */
  hang?: boolean;
}

export interface DocumentServer {
  /** http://localhost:PORT */
  origin: string;
  /** did:web:localhost%3APORT */
  didWebHost: string;
  routes: Map<string, Route>;
  /** How many requests each path received. */
  hits: Map<string, number>;
  json(path: string, value: unknown): void;
  close(): Promise<void>;
}

export async function startDocumentServer(): Promise<DocumentServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes.get(path);
    if (route?.hang) return;
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'application/json' }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    didWebHost: `did:web:localhost%3A${port}`,
    routes,
    hits,
    json(path, value) {
      routes.set(path, { body: JSON.stringify(value), type: 'application/json' });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
