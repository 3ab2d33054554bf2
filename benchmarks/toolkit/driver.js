'use strict';
// Benchmark driver (never shipped): one `deploy` of the Node `tencent-scf` component, reduced to what it
// asks of tencent-component-toolkit's `Scf`, against the scf-component emulator.
//
// Usage: node driver.js <toolkit-install-dir>   (the job arrives as JSON on stdin)
//   {"endpoint": "127.0.0.1:PORT", "secretId", "secretKey", "region", "statePath", "inputs": {...}}
// The component's part is imitated: `inputs.lastVersion` comes from the instance state (the component's
// `prepareInputs`), `events` defaults to [] and the state keeps `lastVersion`/`traffic` afterwards
// (`serverless.js`). The code is already in "COS" (`inputs.code = {bucket, object}`): uploading it is the
// component's job, not the toolkit's. Prints one JSON line: {"loadMs", "deployMs", "outputs"}.
const t0 = performance.now();
const fs = require('fs');
const path = require('path');

const [installDir] = process.argv.slice(2);
const { Scf } = require(path.join(installDir, 'node_modules', 'tencent-component-toolkit'));
const loadMs = performance.now() - t0;

// The toolkit names the host `scf.tencentcloudapi.com` on every request (`utils/api.js` passes `host` to
// `Capi.request`, which merges it over the client's options), over https. Point each request at the
// emulator's http endpoint instead; the legacy HmacSHA1 signature then covers the emulator's host.
function pointAt(capi, endpoint) {
  const request = capi.request.bind(capi);
  capi.request = (data, opts = {}, isV3 = false) =>
    request(data, { ...opts, host: endpoint, protocol: 'http' }, isV3);
}

function readState(statePath) {
  try {
    return JSON.parse(fs.readFileSync(statePath, 'utf8'));
  } catch (e) {
    if (e.code === 'ENOENT') return {};
    throw e;
  }
}

async function main() {
  const job = JSON.parse(fs.readFileSync(0, 'utf8'));
  const state = readState(job.statePath);
  const scf = new Scf({ SecretId: job.secretId, SecretKey: job.secretKey }, job.region);
  pointAt(scf.capi, job.endpoint);
  const inputs = { events: [], ...job.inputs, lastVersion: state.lastVersion };
  const start = performance.now();
  const out = await scf.deploy(inputs);
  const deployMs = performance.now() - start;
  state.lastVersion = out.LastVersion || state.lastVersion || '$LATEST';
  state.traffic = out.Traffic ? out.Traffic : state.traffic !== undefined ? state.traffic : 1;
  fs.writeFileSync(job.statePath, JSON.stringify(state));
  const outputs = { lastVersion: state.lastVersion, traffic: state.traffic };
  process.stdout.write(`${JSON.stringify({ loadMs, deployMs, outputs })}\n`);
}

main().catch((error) => {
  process.stderr.write(`toolkit deploy failed: ${error.message}\n`);
  process.exit(1);
});
