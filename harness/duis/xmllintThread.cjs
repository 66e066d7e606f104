/**
 * The schema validator's worker thread: xmllint (libxml2 compiled to WASM by xmllint-wasm) kept loaded for the life
 * of the thread. xmllint-wasm's own validateXML starts a new thread per call, which loads this module, compiles the
 * WASM and is thrown away; here the compiled module and the schema texts stay, and each run only instantiates it.
 * xmllint's main() frees everything it parsed, so each run still parses the XSDs: callers batch documents per run.
 *
 * Plain CommonJS because it runs in a bare worker (no tsx loader under vitest) and loads xmllint-wasm's CommonJS
 * Emscripten factory. Messages: in { id, documents: [{ fileName, contents }] }, out { id, exitCode, stderr }.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const packageDir = path.dirname(require.resolve('xmllint-wasm/package.json'));
// the factory also installs xmllint-wasm's own message handler, which ignores messages without its tag (ours)
const xmllint = require(path.join(packageDir, 'xmllint-node.js'));
const wasmModule = new WebAssembly.Module(readFileSync(path.join(packageDir, 'xmllint.wasm')));

/** @type {{ fileName: string, contents: string }[]} */
const schemas = workerData.schemas;
const MIB_PAGES = 16;

function run(documents) {
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    const finish = (exitCode, extra) => {
      if (settled) return;
      settled = true;
      resolve({ exitCode, stderr: stderr + (extra ?? '') });
    };
    xmllint({
      inputFiles: [...documents, ...schemas],
      arguments: ['--schema', schemas[0].fileName, '--noout', ...documents.map((d) => d.fileName)],
      print() {},
      printErr(text) {
        stderr += `${text}\n`;
      },
      onExit: (code) => finish(code),
      onAbort: (reason) => finish(-1, `WASM abort: ${reason}\n`),
      // a fresh, bounded heap per run: one run's documents cannot grow the next run's memory
      wasmMemory: new WebAssembly.Memory({ initial: 16 * MIB_PAGES, maximum: workerData.maxMemoryMiB * MIB_PAGES }),
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(wasmModule, imports).then(
          (instance) => receive(instance, wasmModule),
          (error) => finish(-1, `WASM instantiation failed: ${error}\n`),
        );
        return {};
      },
    }).catch((error) => finish(-1, `${error instanceof Error ? error.message : String(error)}\n`));
  });
}

parentPort.on('message', async (message) => {
  if (message === null || typeof message !== 'object' || message.xmllintThread !== true) return;
  const { exitCode, stderr } = await run(message.documents);
  parentPort.postMessage({ xmllintThread: true, id: message.id, exitCode, stderr });
});
