// `npm run fake-grok -- --port N [--assets-port N] [--public-port N] [--frame-delay MS]`:
// starts the fake Grok upstream, prints one JSON line {url, assetsUrl, publicUrl} and
// stays up until SIGINT/SIGTERM, then closes its listeners and exits 0.
import { startFakeGrok } from './server.mjs';

function parseArgs(argv) {
  const out = {};
  const names = { '--port': 'port', '--assets-port': 'assetsPort', '--public-port': 'publicPort', '--frame-delay': 'frameDelayMs' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const key = names[flag];
    if (!key) {
      if (flag === '--user-agent') {
        out.userAgent = inline ?? argv[++i];
        continue;
      }
      throw new Error(`unknown argument ${argv[i]}`);
    }
    const value = Number(inline ?? argv[++i]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a non-negative integer`);
    out[key] = value;
  }
  return out;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`fake-grok: ${err.message}\n`);
  process.exit(2);
}
const fake = await startFakeGrok(opts);
process.stdout.write(`${JSON.stringify({ url: fake.url, assetsUrl: fake.assetsUrl, publicUrl: fake.publicUrl })}\n`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
