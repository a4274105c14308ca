// The image's HEALTHCHECK, for both of its processes: probes the health port of whichever one
// runs as PID 1 (the projector listens on PROJECTOR_PORT, the API on PORT). Exit 0 when the
// route answers 200 within the timeout, else 1. Usage: node deploy/healthcheck.js [/health/live]
'use strict';
const { readFileSync } = require('node:fs');
const http = require('node:http');

const command = (() => {
  try {
    return readFileSync('/proc/1/cmdline', 'utf8');
  } catch {
    return '';
  }
})();
// Empty means unset, as everywhere in the product's configuration.
const port = command.includes('apps/projector/') ? process.env.PROJECTOR_PORT || '3001' : process.env.PORT || '3000';
const path = process.argv[2] || '/health/live';

http
  .get({ host: '127.0.0.1', port: Number(port), path, timeout: 2500 }, (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  })
  .on('timeout', () => process.exit(1))
  .on('error', () => process.exit(1));
