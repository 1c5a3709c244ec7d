// CPU profile of the wasm core's streaming path: V8's sampling profiler over many 2,000-token
// chats, keeping only samples under core_feed / core_event (the setup effects are left out),
// printed as self and inclusive shares per wasm function. Needs a build with function names:
//   emcmake cmake -S . -B build/cmake-wasm-prof -DCMAKE_BUILD_TYPE=Release \
//     -DWASM_OUT=$PWD/build/wasm-prof -DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs
//   cmake --build build/cmake-wasm-prof
//   G2A_WASM_DIR=build/wasm-prof node --no-liftoff bench/profile-feed.mjs [rest-b|mgw-b|rest-long|mgw-long] [runs]
// CALLERS=name1,name2 also prints who calls those functions. See docs/PERFORMANCE.md.
import { Session } from 'node:inspector/promises';
import { loadCore } from './lib/wasm-driver.mjs';
import { inputsFor, wasmOnce } from './transcode.mjs';
import { longInputs } from './native/long-line.mjs';

const name = process.argv[2] || 'rest-b';
const runs = Number(process.argv[3] || 300);
const { core } = await loadCore();
const input = name.endsWith('-long')
  ? longInputs().find((x) => x.name === name) // the 10 MB line (bench/native/long-line.mjs)
  : inputsFor([name.split('-')[1]]).find((x) => x.name === name);
if (!input) throw new Error(`unknown input ${name}`);
for (let i = 0; i < (name.endsWith('-long') ? 2 : 50); i++) wasmOnce(core, input); // tier-up
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
let feedMs = 0;
for (let i = 0; i < runs; i++) feedMs += wasmOnce(core, input).ms;
const { profile } = await session.post('Profiler.stop');
console.log(`${name}: ${(feedMs / runs).toFixed(3)} ms of feeds per request (profiler on)`);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
const dt = new Map();
profile.samples.forEach((s, i) => dt.set(s, (dt.get(s) || 0) + (profile.timeDeltas[i] || 0)));
const fn = (n) => n.callFrame.functionName || '(anonymous)';
const self = new Map();
const incl = new Map();
let total = 0;
for (const n of profile.nodes) {
  const d = dt.get(n.id) || 0;
  if (!d) continue;
  const chain = [];
  for (let id = n.id; id !== undefined; id = parent.get(id)) chain.push(fn(byId.get(id)));
  if (!chain.some((f) => f === 'core_feed' || f === 'core_event')) continue;
  total += d;
  self.set(chain[0], (self.get(chain[0]) || 0) + d);
  for (const f of new Set(chain)) incl.set(f, (incl.get(f) || 0) + d);
}
const top = (m, k) =>
  [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([f, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}% ${f.slice(0, 140)}`).join('\n');
console.log(`--- self time under core_feed/core_event\n${top(self, 30)}`);
console.log(`--- inclusive\n${top(incl, 30)}`);
for (const want of (process.env.CALLERS || '').split(',').filter(Boolean)) {
  const callers = new Map();
  let t = 0;
  for (const n of profile.nodes) {
    const d = dt.get(n.id) || 0;
    if (!d || !fn(n).startsWith(want)) continue;
    const p = byId.get(parent.get(n.id));
    const k = p ? fn(p) : '?';
    callers.set(k, (callers.get(k) || 0) + d);
    t += d;
  }
  console.log(`--- callers of ${want}`);
  for (const [k, v] of [...callers.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${((100 * v) / t).toFixed(1).padStart(5)}% ${k.slice(0, 120)}`);
}
