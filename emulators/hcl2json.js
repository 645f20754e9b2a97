// Parses every .tf file under a folder with HashiCorp's HCL parser (compiled to WebAssembly in
// @cdktf/hcl2json) and prints {"<relative path>": <the file as JSON>, ...}. Any syntax error
// is printed with its file and line and the exit code is 1: the Terraform check without Terraform.
//   node hcl2json.js ../infra
const fs = require('fs');
const path = require('path');
const { parse } = require('@cdktf/hcl2json');

function tfFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    if (entry.name.startsWith('.')) return []; // .terraform/ and friends
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tfFiles(full);
    return entry.name.endsWith('.tf') ? [full] : [];
  });
}

async function main() {
  const root = path.resolve(process.argv[2] || '.');
  const files = tfFiles(root).sort();
  if (files.length === 0) throw new Error(`no .tf files under ${root}`);
  const result = {};
  const errors = [];
  for (const file of files) {
    const name = path.relative(root, file).split(path.sep).join('/');
    try {
      result[name] = await parse(name, fs.readFileSync(file, 'utf8'));
    } catch (error) {
      errors.push(String(error.message || error));
    }
  }
  if (errors.length > 0) {
    console.error(errors.join('\n'));
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

main().catch(error => { console.error(String(error.stack || error)); process.exit(1); });
