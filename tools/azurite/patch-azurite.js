// Azurite looks an entity up with findOne({ RowKey, PartitionKey }). LokiJS narrows by the first property's index,
// so every lookup scans all entities sharing the RowKey, and in our model every patient's record row has RowKey
// "patient": inserting N patients costs O(N²) (10,000 patients: ~45 s; 100,000: hours). Asking for the PartitionKey
// first makes the index narrow to one partition. Same results, other order; run by npm after install.
const fs = require("fs");
const path = require("path");
const file = path.join(__dirname, "node_modules", "azurite", "dist", "src", "table", "persistence", "LokiTableMetadataStore.js");
const source = fs.readFileSync(file, "utf8");
const pattern = /findOne\(\{(\s*)RowKey: ([\w.]+),(\s*)PartitionKey: ([\w.]+)(\s*)\}\)/g;
let count = 0;
const patched = source.replace(pattern, (_, a, row, b, partition, c) => {
  count++;
  return `findOne({${a}PartitionKey: ${partition},${b}RowKey: ${row}${c}})`;
});
if (count === 0 && !/findOne\(\{\s*PartitionKey: [\w.]+,\s*RowKey:/.test(source)) {
  console.error(`patch-azurite: no RowKey-first lookup found in ${file}; Azurite changed, review this patch.`);
  process.exit(1);
}
fs.writeFileSync(file, patched);
const first = (patched.match(/findOne\(\{\s*PartitionKey: [\w.]+,\s*RowKey:/g) || []).length;
fs.writeFileSync(path.join(__dirname, "node_modules", ".pvp-azurite-patched"), `${first} entity lookups ask for the PartitionKey first\n`);
console.error(`patch-azurite: ${count} lookups reordered; ${first} ask for the PartitionKey first.`);
