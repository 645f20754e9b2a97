// Starts dynalite on a free loopback port and prints "listening <port>" once it accepts
// connections, so a test fixture can wait for that line instead of sleeping.
// Tables are ACTIVE at once (createTableMs 0): tests create a fresh table set per class.
const dynalite = require('dynalite');
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.stdin.on('end', () => process.exit(0)); // exit with the test process that started us
process.stdin.resume();
