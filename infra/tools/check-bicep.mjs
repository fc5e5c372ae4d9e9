// Syntax-only check of Bicep files with the tree-sitter-bicep grammar.
//
// Usage: node check-bicep.mjs [file-or-folder ...]
// Without arguments it checks every .bicep file under the infra/ folder that holds this script.
// Prints file:line:column for every ERROR or MISSING node and exits 1 when there is any,
// 2 when no Bicep file was found, 0 otherwise.
// It knows nothing about types, resource names or API versions: that takes the Bicep compiler.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'tree-sitter';
import Bicep from 'tree-sitter-bicep';

const toolsDir = dirname(fileURLToPath(import.meta.url));
const infraDir = resolve(toolsDir, '..');

function collectBicepFiles(path, found) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) {
    console.error(`${path}: no such file or folder`);
    return found;
  }
  if (stat.isFile()) {
    if (path.endsWith('.bicep')) {
      found.push(path);
    }
    return found;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) {
      continue;
    }
    collectBicepFiles(join(path, entry.name), found);
  }
  return found;
}

// The node binding reads its input through a fixed-size buffer; size it to the file.
function parse(parser, text) {
  const bufferSize = Math.max(64 * 1024, Buffer.byteLength(text, 'utf8') * 2 + 1);
  return parser.parse(text, undefined, { bufferSize });
}

function snippet(text, node) {
  const raw = text.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 40));
  return raw.replace(/\s+/g, ' ').trim();
}

// Walks only the subtrees that contain an error; returns one problem per ERROR or MISSING node.
function findProblems(node, text, problems) {
  if (node.type === 'ERROR') {
    problems.push({ node, message: `syntax error near '${snippet(text, node)}'` });
  } else if (node.isMissing) {
    problems.push({ node, message: `missing ${node.type}` });
  }
  if (!node.hasError) {
    return problems;
  }
  for (const child of node.children) {
    findProblems(child, text, problems);
  }
  return problems;
}

function main(args) {
  const roots = args.length > 0 ? args.map((arg) => resolve(arg)) : [infraDir];
  const files = roots.flatMap((root) => collectBicepFiles(root, [])).sort();
  if (files.length === 0) {
    console.error(`no .bicep files under ${roots.join(', ')}`);
    return 2;
  }

  const parser = new Parser();
  parser.setLanguage(Bicep);
  let problemCount = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const tree = parse(parser, text);
    const fromHere = relative(process.cwd(), file);
    const shown = fromHere.startsWith('..') ? file : fromHere;
    for (const { node, message } of findProblems(tree.rootNode, text, [])) {
      const { row, column } = node.startPosition;
      console.error(`${shown}:${row + 1}:${column + 1}: ${message}`);
      problemCount += 1;
    }
  }

  if (problemCount > 0) {
    console.error(`${problemCount} problem(s) in ${files.length} Bicep file(s)`);
    return 1;
  }
  console.log(`${files.length} Bicep file(s) parsed without syntax errors`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
