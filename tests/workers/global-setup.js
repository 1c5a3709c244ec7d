// Starts the fake Grok upstream on the ports vitest.config.js handed to the Worker.
import { startFakeGrok } from '../fake-grok/server.mjs';

export default async function setup() {
  const [port, assetsPort, publicPort] = process.env.G2A_FAKE_PORTS.split(',').map(Number);
  const fake = await startFakeGrok({ port, assetsPort, publicPort });
  return async () => fake.close();
}
