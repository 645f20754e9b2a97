// Starts s3rver (S3) on a free loopback port over a fresh temporary folder and prints
// "listening <port>" once it accepts connections, so a test fixture can wait for that line.
// Buckets named on the command line are created first: `node s3rver.js logs other-bucket`.
// Clients must sign with access key S3RVER / secret S3RVER and use path-style addressing.
const fs = require('fs');
const os = require('os');
const path = require('path');
const S3rver = require('s3rver');

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: process.argv.slice(2).map(name => ({ name })),
});

const cleanUp = () => fs.rmSync(directory, { recursive: true, force: true });
process.on('exit', cleanUp);

server.run().then(
  address => console.log(`listening ${address.port}`),
  error => { console.error(`s3rver did not start: ${error.stack || error}`); process.exit(1); });

process.stdin.on('end', () => process.exit(0)); // exit with the test process that started us
process.stdin.resume();
