// A small HTTP load generator, run as its own process: `connections` keep-alive connections
// each sending GET `url` (or POST the bytes of `bodyFile` as `type`) back to back for `ms`.
// Prints {rps, p50, p99, errors} as JSON.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const [url, connectionsArg = '32', msArg = '5000', bodyFile, type = 'application/octet-stream'] = process.argv.slice(2);
const body = bodyFile ? readFileSync(bodyFile) : undefined;
const connections = Number(connectionsArg);
const ms = Number(msArg);
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const latencies: number[] = [];
let errors = 0;

function once(): Promise<void> {
  return new Promise((resolve) => {
    const start = performance.now();
    const headers = body ? { 'content-type': type, 'content-length': String(body.length) } : { accept: 'text/html', 'accept-language': 'fr' };
    const req = request(url!, { agent, method: body ? 'POST' : 'GET', headers }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(performance.now() - start);
        else errors++;
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end(body);
  });
}

async function worker(until: number): Promise<void> {
  while (performance.now() < until) await once();
}

const start = performance.now();
await Promise.all(Array.from({ length: connections }, () => worker(start + ms)));
const elapsed = performance.now() - start;
latencies.sort((a, b) => a - b);
const at = (q: number) => Number((latencies[Math.floor(q * (latencies.length - 1))] ?? 0).toFixed(2));
process.stdout.write(JSON.stringify({ rps: Math.round((latencies.length * 1000) / elapsed), p50: at(0.5), p99: at(0.99), errors }) + '\n');
agent.destroy();
