// A stand-in for harness/duis/xmllintThread.cjs that dies. XmllintWorker hands a thread its schema list only, so the
// test passes a marker file's path as the first schema's name: the first thread started for that marker exits
// (code 7) on its first message; a later thread finds the marker and answers every run "valid".
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync, writeFileSync } = require('node:fs');

const marker = workerData.schemas[0].fileName;
const dies = !existsSync(marker);
parentPort.on('message', (message) => {
  if (dies) {
    writeFileSync(marker, 'died');
    process.exit(7);
  }
  parentPort.postMessage({
    xmllintThread: true,
    id: message.id,
    exitCode: 0,
    stderr: `${message.documents.length} validated by a later thread\n`,
  });
});
