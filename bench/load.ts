// Load on one URL from its own process, with autocannon: `connections` keep-alive connections for
// `ms`, sending GET `url` (or POST the bytes of `bodyFile` as `type`, with optional extra headers
// as JSON). Prints {rps, p50, p99, errors} as JSON; errors count 4xx/5xx answers, resets and timeouts
// (a login's 303 is its success).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, connectionsArg = '32', msArg = '5000', bodyFile, type = 'application/octet-stream', headersJson = '{}', method] = process.argv.slice(2);
const body = bodyFile ? readFileSync(bodyFile) : undefined;
const result = await autocannon({
  url: url!, connections: Number(connectionsArg), duration: Number(msArg) / 1000, timeout: 30,
  method: (method ?? (body ? 'POST' : 'GET')) as 'GET' | 'POST',
  headers: { 'accept-language': 'fr', ...(body ? { 'content-type': type } : { accept: 'text/html' }), ...(JSON.parse(headersJson) as Record<string, string>) },
  ...(body ? { body } : {}),
});
process.stdout.write(JSON.stringify({
  rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99,
  errors: Object.entries(result.statusCodeStats ?? {}).reduce((n, [code, stat]) => n + (Number(code) >= 400 ? stat?.count ?? 0 : 0), 0) + result.errors + result.timeouts,
  requests: result.requests.total, codes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([c, s]) => [c, s?.count])), timeouts: result.timeouts, resets: result.errors,
}) + '\n');
