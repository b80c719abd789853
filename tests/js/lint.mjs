// Lint a cypher-shell script with Neo4j's own Cypher language support (the linter of
// Neo4j's editors): `node lint.mjs SCRIPT.cypher '{"parameters": {...}, "labels": [...]}'`.
// Prints {"diagnostics": [{severity, message, line, character, text}]}; severity 1 = error.
import { readFileSync } from 'node:fs';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const script = readFileSync(process.argv[2], 'utf8');
const schema = JSON.parse(process.argv[3] ?? '{}');
const { diagnostics } = lintCypherQuery(script, schema, { consoleCommandsEnabled: true });
const out = diagnostics.map((d) => ({
  severity: d.severity,
  message: d.message,
  line: d.range.start.line,
  character: d.range.start.character,
  text: script.slice(d.offsets.start, d.offsets.end).slice(0, 200),
}));
process.stdout.write(JSON.stringify({ diagnostics: out }));
