// badgeons demo: fills the instance configured by the environment (DATA_DIR, KEYS_DIR, PUBLIC_URL)
// with a demo collective and one issued badge, and prints that badge's address.
import { loadConfig } from '../config.js';
import { openContext } from '../server.js';
import { fillDemo } from '../operations/demo.js';
import { parse, usage, type Command } from './command.js';

export const demo: Command = async (args) => {
  const { positionals } = parse(args, {});
  if (positionals.length) throw usage('badgeons demo');
  const ctx = await openContext(loadConfig(), () => {});
  try {
    const { collective, url, partner, requestUrl, reportUrl } = await fillDemo(ctx);
    process.stdout.write(`Demo collective: ${ctx.config.publicUrl}/issuers/${collective.slug}\nIssued badge: ${url}\n` +
      `Partner that endorses it: ${ctx.config.publicUrl}/issuers/${partner.slug}\n` +
      `The atelier's request page (one request waits for an answer): ${requestUrl}\n` +
      `The funder's report (a year of ateliers; for the collective's members): ${reportUrl}\n` +
      '(start the server with "npm start" to open it)\n');
    return 0;
  } finally {
    await ctx.store.close();
  }
};
