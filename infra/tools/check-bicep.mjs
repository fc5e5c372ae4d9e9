// Syntax check of Bicep files with the tree-sitter-bicep grammar, plus the module contracts
// a syntax tree can show: every parameter passed to a local module is declared there, every
// parameter without a default is passed, and every `<module>.outputs.<name>` read is declared.
//
// Usage: node check-bicep.mjs [file-or-folder ...]
// Without arguments it checks every .bicep file under the infra/ folder that holds this script.
// Prints file:line:column for every problem and exits 1 when there is any, 2 when no Bicep file
// was found, 0 otherwise.
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

function namedChildrenOfType(node, type) {
  return node.namedChildren.filter((child) => child.type === type);
}

function stringValue(text, node) {
  return node.type === 'string' ? text.slice(node.startIndex + 1, node.endIndex - 1) : undefined;
}

function propertyKey(text, property) {
  const key = property.namedChildren[0];
  return key.type === 'string' ? stringValue(text, key) : text.slice(key.startIndex, key.endIndex);
}

// What a module file declares: parameters (and whether each has a default) and outputs.
function readContract(tree, text) {
  const params = new Map();
  const outputs = new Set();
  for (const node of tree.rootNode.namedChildren) {
    if (node.type === 'parameter_declaration') {
      const [name, type, defaultValue] = node.namedChildren;
      const nullable = type !== undefined && text.slice(type.startIndex, type.endIndex).endsWith('?');
      params.set(text.slice(name.startIndex, name.endIndex), defaultValue !== undefined || nullable);
    } else if (node.type === 'output_declaration') {
      const name = node.namedChildren[0];
      outputs.add(text.slice(name.startIndex, name.endIndex));
    }
  }
  return { params, outputs };
}

// The body object of a module declaration, also inside `if (...)` or `[for ...: {...}]`.
function moduleBody(node) {
  for (const child of node.namedChildren) {
    if (child.type === 'object') {
      return child;
    }
    if (child.type !== 'string' && child.type !== 'identifier') {
      const found = moduleBody(child);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return undefined;
}

function visit(node, callback) {
  callback(node);
  for (const child of node.namedChildren) {
    visit(child, callback);
  }
}

function checkModules(file, tree, text, loadContract) {
  const problems = [];
  const modules = new Map();
  for (const node of namedChildrenOfType(tree.rootNode, 'module_declaration')) {
    const [symbol, pathNode] = node.namedChildren;
    const path = stringValue(text, pathNode);
    if (path === undefined || path.includes(':')) {
      continue; // registry or template-spec modules are out of reach here
    }
    const target = resolve(dirname(file), path);
    const contract = loadContract(target);
    if (contract === undefined) {
      problems.push({ node: pathNode, message: `module file '${path}' not found` });
      continue;
    }
    modules.set(text.slice(symbol.startIndex, symbol.endIndex), { path, contract });

    const body = moduleBody(node);
    const paramsProperty = body === undefined
      ? undefined
      : namedChildrenOfType(body, 'object_property').find((p) => propertyKey(text, p) === 'params');
    const passed = new Set();
    const paramsObject = paramsProperty?.namedChildren[1];
    if (paramsObject?.type === 'object') {
      for (const property of namedChildrenOfType(paramsObject, 'object_property')) {
        const key = propertyKey(text, property);
        passed.add(key);
        if (!contract.params.has(key)) {
          problems.push({ node: property, message: `'${path}' declares no parameter '${key}'` });
        }
      }
    }
    for (const [name, optional] of contract.params) {
      if (!optional && !passed.has(name)) {
        problems.push({ node: symbol, message: `required parameter '${name}' of '${path}' is not passed` });
      }
    }
  }

  visit(tree.rootNode, (node) => {
    if (node.type !== 'member_expression') {
      return;
    }
    const inner = node.childForFieldName('object');
    if (inner?.type !== 'member_expression') {
      return;
    }
    const symbol = inner.childForFieldName('object');
    const outputsWord = inner.childForFieldName('property');
    const module = symbol && modules.get(text.slice(symbol.startIndex, symbol.endIndex));
    if (module === undefined || text.slice(outputsWord.startIndex, outputsWord.endIndex) !== 'outputs') {
      return;
    }
    const property = node.childForFieldName('property');
    const name = text.slice(property.startIndex, property.endIndex);
    if (!module.contract.outputs.has(name)) {
      problems.push({ node: property, message: `'${module.path}' declares no output '${name}'` });
    }
  });
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
  const contracts = new Map();
  const loadContract = (path) => {
    if (!contracts.has(path)) {
      const stat = statSync(path, { throwIfNoEntry: false });
      const text = stat?.isFile() ? readFileSync(path, 'utf8') : undefined;
      contracts.set(path, text === undefined ? undefined : readContract(parse(parser, text), text));
    }
    return contracts.get(path);
  };

  let problemCount = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const tree = parse(parser, text);
    const fromHere = relative(process.cwd(), file);
    const shown = fromHere.startsWith('..') ? file : fromHere;
    const syntaxProblems = findProblems(tree.rootNode, text, []);
    // Contracts are only read from trees that parsed cleanly.
    const problems = syntaxProblems.length > 0 ? syntaxProblems : checkModules(file, tree, text, loadContract);
    for (const { node, message } of problems) {
      const { row, column } = node.startPosition;
      console.error(`${shown}:${row + 1}:${column + 1}: ${message}`);
      problemCount += 1;
    }
  }

  if (problemCount > 0) {
    console.error(`${problemCount} problem(s) in ${files.length} Bicep file(s)`);
    return 1;
  }
  console.log(`${files.length} Bicep file(s) parsed without syntax errors or module mismatches`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
